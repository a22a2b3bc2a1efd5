// Linux "cooked" capture headers: SLL (link type 113, 16 bytes) and SLL2 (276, 20 bytes),
// what `tcpdump -i any` writes. Both show up as "sll" in frame.protocols. The protocol field is
// an EtherType unless it is one of Linux's small pseudo-types (802.2 LLC, raw 802.3...).
import { addLayer, markShort, type PacketContext } from '../context'
import { byEthertype, byLinktype, dissectData } from '../dispatch'
import { add, defineField, defineProtocol, type FieldNode } from '../fields'
import { etherString, ipv4String } from '../format'
import { dissectEthertype } from './ethertype'
import { dissectLlc } from './llc'
import { ARPHRD_VALS, ETHERTYPE_VALS, SLL_PKTTYPE_VALS } from './values'

/** Byte ranges of the SLL (v1) header. */
const v1 = { PKTTYPE: 0, HATYPE: 2, HALEN: 4, ADDR: 6, PROTOCOL: 14 } as const
const V1_LEN = 16
/** Byte ranges of the SLL2 header. */
const v2 = { PROTOCOL: 0, RESERVED: 2, IFINDEX: 4, HATYPE: 8, PKTTYPE: 10, HALEN: 11, ADDR: 12 } as const
const V2_LEN = 20
const ADDR_LEN = 8

const ARPHRD_ETHER = 1
const ARPHRD_LOOPBACK = 772
const ARPHRD_IPGRE = 778
const ARPHRD_NETLINK = 824
/** Linux protocol numbers used in place of an EtherType (below 1536). */
const LINUX_SLL_P_802_2 = 0x0004

const LTYPE_VALS: Readonly<Record<number, string>> = {
  0x0001: 'Raw 802.3',
  0x0004: '802.2 LLC',
  0x000c: 'CAN',
  0x000d: 'CAN FD',
  0x0010: 'Netlink'
}

const hfSll = defineProtocol('sll', 'Linux cooked-mode capture')
const hfPkttype = defineField('sll.pkttype', 'Packet type', 'uint16', { base: 'dec', strings: SLL_PKTTYPE_VALS })
const hfHatype = defineField('sll.hatype', 'Link-layer address type', 'uint16', { base: 'dec', strings: ARPHRD_VALS })
const hfHalen = defineField('sll.halen', 'Link-layer address length', 'uint16', { base: 'dec' })
const hfSrcEth = defineField('sll.src.eth', 'Source', 'ether')
const hfSrcIpv4 = defineField('sll.src.ipv4', 'Source', 'ipv4')
const hfSrcOther = defineField('sll.src.other', 'Source', 'bytes')
const hfUnused = defineField('sll.unused', 'Unused', 'bytes')
const hfLtype = defineField('sll.ltype', 'Protocol', 'uint16', { base: 'hex', strings: LTYPE_VALS })
const hfEtype = defineField('sll.etype', 'Protocol', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })
const hfGretype = defineField('sll.gretype', 'Protocol', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })
const hfIfindex = defineField('sll.ifindex', 'Interface index', 'uint32', { base: 'dec' })
const hfTrailer = defineField('sll.trailer', 'Trailer', 'bytes')

function addSource(root: FieldNode, d: Uint8Array, at: number, hatype: number, halen: number): void {
  const n = Math.min(halen, ADDR_LEN)
  if (n === 6 && (hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK)) add(root, hfSrcEth, at, 6, etherString(d, at))
  else if (n === 4 && hatype === ARPHRD_IPGRE) add(root, hfSrcIpv4, at, 4, ipv4String(d, at))
  else if (n > 0) add(root, hfSrcOther, at, n, d.subarray(at, at + n))
  if (n < ADDR_LEN) add(root, hfUnused, at + n, ADDR_LEN - n, d.subarray(at + n, at + ADDR_LEN))
}

/** Protocol field and payload, shared by both versions. */
function payload(ctx: PacketContext, root: FieldNode | undefined, proto: number, protoOff: number, hatype: number, off: number, end: number): void {
  if (hatype === ARPHRD_IPGRE) {
    // the protocol field is a GRE protocol type; the usual ones are EtherTypes
    if (root) add(root, hfGretype, protoOff, 2, proto)
    const d = byEthertype.get(proto)
    if (d) d(ctx, off, end)
    else dissectData(ctx, off, end)
  } else if (proto <= 1500 || hatype === ARPHRD_NETLINK) {
    if (root) add(root, hfLtype, protoOff, 2, proto)
    if (proto === LINUX_SLL_P_802_2) dissectLlc(ctx, off, end)
    else dissectData(ctx, off, end)
  } else {
    dissectEthertype(ctx, root, hfEtype, proto, protoOff, off, end, hfTrailer, 0)
  }
}

function dissectSll(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfSll, off, Math.min(V1_LEN, end - off))
  ctx.protocol = 'SLL'
  if (root) root.label = 'Linux cooked capture v1'
  if (end - off < V1_LEN) {
    markShort(ctx, root, off, V1_LEN, end, 'Linux cooked capture v1')
    return
  }
  const v = ctx.view
  const hatype = v.getUint16(off + v1.HATYPE)
  const halen = v.getUint16(off + v1.HALEN)
  if (root) {
    add(root, hfPkttype, off + v1.PKTTYPE, 2, v.getUint16(off + v1.PKTTYPE))
    add(root, hfHatype, off + v1.HATYPE, 2, hatype)
    add(root, hfHalen, off + v1.HALEN, 2, halen)
    addSource(root, ctx.data, off + v1.ADDR, hatype, halen)
  }
  payload(ctx, root, v.getUint16(off + v1.PROTOCOL), off + v1.PROTOCOL, hatype, off + V1_LEN, end)
}

function dissectSll2(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfSll, off, Math.min(V2_LEN, end - off))
  ctx.protocol = 'SLL'
  if (root) root.label = 'Linux cooked capture v2'
  if (end - off < V2_LEN) {
    markShort(ctx, root, off, V2_LEN, end, 'Linux cooked capture v2')
    return
  }
  const v = ctx.view
  const d = ctx.data
  const proto = v.getUint16(off + v2.PROTOCOL)
  const hatype = v.getUint16(off + v2.HATYPE)
  const halen = d[off + v2.HALEN]
  if (root) {
    // the protocol field comes first in v2; payload() adds it, and it is moved up below
    add(root, hfIfindex, off + v2.IFINDEX, 4, v.getUint32(off + v2.IFINDEX))
    add(root, hfHatype, off + v2.HATYPE, 2, hatype)
    add(root, hfPkttype, off + v2.PKTTYPE, 1, d[off + v2.PKTTYPE])
    add(root, hfHalen, off + v2.HALEN, 1, halen)
    addSource(root, d, off + v2.ADDR, hatype, halen)
  }
  const before = root?.children?.length ?? 0
  payload(ctx, root, proto, off + v2.PROTOCOL, hatype, off + V2_LEN, end)
  if (root?.children && root.children.length > before) {
    const c = root.children
    const protoNode = c.splice(before, 1)[0]
    c.unshift(protoNode)
  }
}

byLinktype.set(113, dissectSll)
byLinktype.set(276, dissectSll2)
