// Chooses the transport: Electron's preload bridge when present, else the headless
// server's WebSocket at the page's own origin.
import type { WirenoteApi } from '../../../shared/contract'
import { WsTransport, wsUrlFor, type ConnectionState } from './ws'

declare global {
  interface Window {
    wirenote?: WirenoteApi
  }
}

export interface Connection {
  api: WirenoteApi
  /** Always 'open' in Electron. */
  state(): ConnectionState
  onState(listener: (s: ConnectionState) => void): () => void
  /** False when served headless without a token in the URL: the server will refuse us. */
  hasToken: boolean
}

export function connect(): Connection {
  if (window.wirenote) {
    const api = window.wirenote
    return { api, state: () => 'open', onState: () => () => {}, hasToken: true }
  }
  const { url, token } = wsUrlFor(window.location)
  const ws = new WsTransport({ url })
  return { api: ws, state: () => ws.state, onState: (l) => ws.onState(l), hasToken: !!token }
}
