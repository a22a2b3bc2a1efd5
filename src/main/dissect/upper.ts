// Registers the transport- and application-layer dissectors (imported for their side effects).
// Port claims by name come first so that the real dissectors below replace them.
import './app/named'
import './transport/tcp'
import './transport/udp'
import './app/dns'
import './app/http'
import './app/tls'
import './app/mysql'
import './app/udp-apps'
import './app/quic'
import { conversationDissectors } from './transport/tcp-present'
import { dissectTls } from './app/tls'
import { CONV_TLS } from './transport/ports'

conversationDissectors[CONV_TLS] = dissectTls
