// Ethernet II and IEEE 802.3 (length) frames, link type 1. The type/length field decides:
// ≥ 0x0600 is an EtherType (→ `ethertype`), ≤ 1500 is an 802.3 length (→ LLC).
import { addLayer, markShort, reportedEnd, type Dissector, type PacketContext } from '../context'
import { byLinktype, dissectData } from '../dispatch'
import { add, addExpert, addHidden, defineField, defineProtocol, type FieldNode } from '../fields'
import { etherString } from '../format'
import { addEthernetTrailer, dissectEthertype, hfEthTrailer, type FcsLen } from './ethertype'
import { dissectLlc } from './llc'
import { ETHERTYPE_VALS } from './values'

/** Byte ranges of the Ethernet header (IEEE 802.3 clause 3.1.1). */
const field = { DST: 0, SRC: 6, TYPE: 12 } as const
const HEADER_LEN = 14
/** Largest 802.3 length value; from 0x0600 on the field is an EtherType. */
const MAX_8023_LEN = 1500
const MIN_ETHERTYPE = 0x0600

const LG_TFS: readonly [string, string] = ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)']
const IG_TFS: readonly [string, string] = ['Group address (multicast/broadcast)', 'Individual address (unicast)']

export const hfEth = defineProtocol('eth', 'Ethernet')
const hfDst = defineField('eth.dst', 'Destination', 'ether')
const hfSrc = defineField('eth.src', 'Source', 'ether')
const hfAddr = defineField('eth.addr', 'Address', 'ether')
const hfDstLg = defineField('eth.dst.lg', 'LG bit', 'bool', { mask: 0x020000, maskBits: 24, tfs: LG_TFS })
const hfDstIg = defineField('eth.dst.ig', 'IG bit', 'bool', { mask: 0x010000, maskBits: 24, tfs: IG_TFS })
const hfSrcLg = defineField('eth.src.lg', 'LG bit', 'bool', { mask: 0x020000, maskBits: 24, tfs: LG_TFS })
const hfSrcIg = defineField('eth.src.ig', 'IG bit', 'bool', { mask: 0x010000, maskBits: 24, tfs: IG_TFS })
const hfDstResolved = defineField('eth.dst_resolved', 'Destination (resolved)', 'string')
const hfSrcResolved = defineField('eth.src_resolved', 'Source (resolved)', 'string')
const hfAddrResolved = defineField('eth.addr_resolved', 'Address (resolved)', 'string')
const hfDstOui = defineField('eth.dst.oui', 'Destination OUI', 'uint24', { base: 'oui' })
const hfSrcOui = defineField('eth.src.oui', 'Source OUI', 'uint24', { base: 'oui' })
const hfAddrOui = defineField('eth.addr.oui', 'Address OUI', 'uint24', { base: 'oui' })
const hfLg = defineField('eth.lg', 'LG bit', 'bool', { mask: 0x020000, maskBits: 24, tfs: LG_TFS })
const hfIg = defineField('eth.ig', 'IG bit', 'bool', { mask: 0x010000, maskBits: 24, tfs: IG_TFS })
export const hfEthType = defineField('eth.type', 'Type', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })
const hfLen = defineField('eth.len', 'Length', 'uint16', { base: 'dec' })
const hfInvalidLenType = defineField('eth.invalid_lentype', 'Invalid length/type', 'uint16', { base: 'hex_dec' })

function addAddress(root: FieldNode, d: Uint8Array, at: number, src: boolean): void {
  const a = etherString(d, at)
  const n = add(root, src ? hfSrc : hfDst, at, 6, a)
  // No vendor or host names here: the "resolved" forms are the address itself, as with tshark -n.
  const oui = (d[at] << 16) | (d[at + 1] << 8) | d[at + 2]
  addHidden(n, src ? hfSrcResolved : hfDstResolved, at, 6, a)
  addHidden(n, src ? hfSrcOui : hfDstOui, at, 3, oui)
  add(n, hfAddr, at, 6, a)
  addHidden(n, hfAddrResolved, at, 6, a)
  addHidden(n, hfAddrOui, at, 3, oui)
  const lg = (d[at] & 0x02) !== 0
  const ig = (d[at] & 0x01) !== 0
  add(n, src ? hfSrcLg : hfDstLg, at, 3, lg)
  addHidden(n, hfLg, at, 3, lg)
  add(n, src ? hfSrcIg : hfDstIg, at, 3, ig)
  addHidden(n, hfIg, at, 3, ig)
  if (src && ig) addExpert(n, 'warn', 'protocol', 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)')
}

function dissectEthernet(ctx: PacketContext, off: number, end: number, fcsLen: FcsLen): void {
  const root = addLayer(ctx, hfEth, off, Math.min(HEADER_LEN, end - off))
  if (!ctx.inErrorPkt) ctx.protocol = 'Ethernet'
  if (end - off < HEADER_LEN) {
    if (root) root.label = 'Ethernet II'
    markShort(ctx, root, off, HEADER_LEN, end, 'Ethernet')
    return
  }
  const d = ctx.data
  const type = ctx.view.getUint16(off + field.TYPE)
  if (root) {
    addAddress(root, d, off + field.DST, false)
    addAddress(root, d, off + field.SRC, true)
  }
  if (type >= MIN_ETHERTYPE) {
    if (root) root.label = `Ethernet II, Src: ${etherString(d, off + field.SRC)}, Dst: ${etherString(d, off + field.DST)}`
    dissectEthertype(ctx, root, hfEthType, type, off + field.TYPE, off + HEADER_LEN, end, hfEthTrailer, fcsLen)
  } else if (type <= MAX_8023_LEN) {
    if (root) {
      root.label = 'IEEE 802.3 Ethernet '
      add(root, hfLen, off + field.TYPE, 2, type)
    }
    const payloadEnd = Math.min(off + HEADER_LEN + type, end)
    if (root && off + HEADER_LEN + type > reportedEnd(ctx, end)) {
      addExpert(root, 'error', 'malformed', 'Length field value goes past the end of the payload')
    }
    dissectLlc(ctx, off + HEADER_LEN, payloadEnd)
    if (root && payloadEnd < end) addEthernetTrailer(ctx, root, payloadEnd, end, hfEthTrailer, fcsLen, ctx.origlen)
  } else {
    if (root) {
      root.label = `Ethernet II, Src: ${etherString(d, off + field.SRC)}, Dst: ${etherString(d, off + field.DST)}`
      addExpert(add(root, hfInvalidLenType, off + field.TYPE, 2, type), 'warn', 'protocol', 'Invalid length/type')
      ctx.info = `Ethernet Unknown: Invalid length/type: 0x${type.toString(16).padStart(4, '0')} (${type})`
    }
    dissectData(ctx, off + HEADER_LEN, end)
  }
  if (ctx.src === '') {
    ctx.src = etherString(d, off + field.SRC)
    ctx.dst = etherString(d, off + field.DST)
  }
}

/** Ethernet whose FCS presence is unknown (capture files): Wireshark's "eth_maybefcs". */
export const dissectEthernetMaybeFcs: Dissector = (ctx, off, end) => dissectEthernet(ctx, off, end, -1)
/** Ethernet inside a tunnel (ERSPAN, GRE 0x6558): never an FCS. */
export const dissectEthernetWithoutFcs: Dissector = (ctx, off, end) => dissectEthernet(ctx, off, end, 0)

byLinktype.set(1, dissectEthernetMaybeFcs)
