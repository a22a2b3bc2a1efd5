// IPv6 (RFC 8200), EtherType 0x86dd, and its extension headers: hop-by-hop and destination
// options, routing, fragment (with reassembly when a defragmenter is given) and AH. Extension
// headers are drawn inside the ipv6 subtree but named in frame.protocols (ipv6.hopopts, ...),
// as Wireshark does; the last next header goes to byIpProto.
import { ipv6Key } from '../../analysis/ip-defrag'
import { addLayer, buildPartial, markShort, reportedEnd, type NetInfo, type PacketContext } from '../context'
import { byEthertype, byIpProto, dissectData, handOff } from '../dispatch'
import { add, addExpert, addHidden, defineField, defineProtocol, TFS_YES_NO, type FieldNode } from '../fields'
import { etherString, ipv6String } from '../format'
import { bitString } from '../label'
import { dissectAhHeader } from './ah'
import { addFragmentTree, dissectReassembled, type FragmentFields } from './ip-reassembly'
import { dsText, hfIpVersion } from './ipv4'
import { DSCP_VALS, ECN_VALS, IP_PROTO_VALS, IPV6_OPT_VALS, IPV6_ROUTING_TYPE_VALS, IPV6_RTALERT_VALS } from './values'

/** Byte ranges of the fixed IPv6 header (RFC 8200 section 3). */
const field = { VER_TC_FLOW: 0, LENGTH: 4, NXT_HDR: 6, HOP_LIMIT: 7, SRC: 8, DST: 24 } as const
export const IPV6_HEADER_LEN = 40

const NH_HOPOPTS = 0
const NH_ROUTING = 43
const NH_FRAGMENT = 44
const NH_AH = 51
const NH_NONE = 59
const NH_DSTOPTS = 60

const OPT_PAD1 = 0
const OPT_PADN = 1
const OPT_ROUTER_ALERT = 5
const OPT_JUMBO = 0xc2

export const hfIpv6 = defineProtocol('ipv6', 'Internet Protocol Version 6')
const hfVersion = defineField('ipv6.version', 'Version', 'uint8', {
  base: 'dec',
  labeler: (n) => bitString(0xf0, 8, Number(n.value) << 4) + `Version: ${n.value}`
})
const hfTclass = defineField('ipv6.tclass', 'Traffic Class', 'uint32', {
  base: 'hex',
  mask: 0x0ff00000,
  labeler: (n) => bitString(0x0ff00000, 32, Number(n.value) << 20) + `Traffic Class: ${dsText(Number(n.value))}`
})
const hfTclassDscp = defineField('ipv6.tclass.dscp', 'Differentiated Services Codepoint', 'uint32', { base: 'dec', mask: 0x0fc00000, strings: DSCP_VALS })
const hfTclassEcn = defineField('ipv6.tclass.ecn', 'Explicit Congestion Notification', 'uint32', { base: 'dec', mask: 0x00300000, strings: ECN_VALS })
const hfFlow = defineField('ipv6.flow', 'Flow Label', 'uint24', { base: 'hex', mask: 0x0fffff })
const hfPlen = defineField('ipv6.plen', 'Payload Length', 'uint16', { base: 'dec' })
const hfNxt = defineField('ipv6.nxt', 'Next Header', 'uint8', { base: 'dec', strings: IP_PROTO_VALS })
const hfHlim = defineField('ipv6.hlim', 'Hop Limit', 'uint8', { base: 'dec' })
const hfSrc = defineField('ipv6.src', 'Source Address', 'ipv6')
const hfDst = defineField('ipv6.dst', 'Destination Address', 'ipv6')
const hfAddr = defineField('ipv6.addr', 'Source or Destination Address', 'ipv6')
const hfSrcHost = defineField('ipv6.src_host', 'Source Host', 'string')
const hfDstHost = defineField('ipv6.dst_host', 'Destination Host', 'string')
const hfHost = defineField('ipv6.host', 'Source or Destination Host', 'string')
const hfSrcSlaac = defineField('ipv6.src_slaac_mac', 'Source SLAAC MAC', 'ether')
const hfDstSlaac = defineField('ipv6.dst_slaac_mac', 'Destination SLAAC MAC', 'ether')
const hfSlaac = defineField('ipv6.slaac_mac', 'SLAAC MAC', 'ether')

const hfHopopts = defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option')
const hfHopNxt = defineField('ipv6.hopopts.nxt', 'Next Header', 'uint8', { base: 'dec', strings: IP_PROTO_VALS })
const hfHopLen = defineField('ipv6.hopopts.len', 'Length', 'uint8', { base: 'dec' })
const hfHopLenOct = defineField('ipv6.hopopts.len_oct', 'Length', 'uint16', { base: 'dec', unit: ' bytes' })
const hfDstopts = defineProtocol('ipv6.dstopts', 'Destination Options for IPv6')
const hfDstNxt = defineField('ipv6.dstopts.nxt', 'Next Header', 'uint8', { base: 'dec', strings: IP_PROTO_VALS })
const hfDstLen = defineField('ipv6.dstopts.len', 'Length', 'uint8', { base: 'dec' })
const hfDstLenOct = defineField('ipv6.dstopts.len_oct', 'Length', 'uint16', { base: 'dec', unit: ' bytes' })
const hfOpt = defineField('ipv6.opt', 'IPv6 Option', 'none')
const hfOptType = defineField('ipv6.opt.type', 'Type', 'uint8', { base: 'hex', strings: IPV6_OPT_VALS })
const hfOptAction = defineField('ipv6.opt.type.action', 'Action', 'uint8', {
  base: 'dec',
  mask: 0xc0,
  strings: { 0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem', 3: 'Discard and send ICMP if not multicast' }
})
const hfOptChange = defineField('ipv6.opt.type.change', 'May Change', 'bool', { mask: 0x20, maskBits: 8, tfs: TFS_YES_NO })
const hfOptRest = defineField('ipv6.opt.type.rest', 'Low-Order Bits', 'uint8', { base: 'hex', mask: 0x1f })
const hfOptLength = defineField('ipv6.opt.length', 'Length', 'uint8', { base: 'dec' })
const hfOptPad1 = defineField('ipv6.opt.pad1', 'Pad1', 'none')
const hfOptPadn = defineField('ipv6.opt.padn', 'PadN', 'bytes')
const hfOptRouterAlert = defineField('ipv6.opt.router_alert', 'Router Alert', 'uint16', { base: 'dec', strings: IPV6_RTALERT_VALS })
const hfOptJumbo = defineField('ipv6.opt.jumbo', 'Payload Length', 'uint32', { base: 'dec' })
const hfOptUnknown = defineField('ipv6.opt.unknown', 'Unknown Option Payload', 'bytes')

const hfRouting = defineProtocol('ipv6.routing', 'Routing Header for IPv6')
const hfRtNxt = defineField('ipv6.routing.nxt', 'Next Header', 'uint8', { base: 'dec', strings: IP_PROTO_VALS })
const hfRtLen = defineField('ipv6.routing.len', 'Length', 'uint8', { base: 'dec' })
const hfRtLenOct = defineField('ipv6.routing.len_oct', 'Length', 'uint16', { base: 'dec', unit: ' bytes' })
const hfRtType = defineField('ipv6.routing.type', 'Type', 'uint8', { base: 'dec', strings: IPV6_ROUTING_TYPE_VALS })
const hfRtSegleft = defineField('ipv6.routing.segleft', 'Segments Left', 'uint8', { base: 'dec' })
const hfRtSrcReserved = defineField('ipv6.routing.src.reserved', 'Reserved', 'bytes')
const hfRtSrcAddr = defineField('ipv6.routing.src.addr', 'Address', 'ipv6')
const hfRtUnknown = defineField('ipv6.routing.unknown_data', 'Type-Specific Data', 'bytes')

const hfFraghdr = defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6')
const hfFragNxt = defineField('ipv6.fraghdr.nxt', 'Next header', 'uint8', { base: 'dec', strings: IP_PROTO_VALS })
const hfFragRes = defineField('ipv6.fraghdr.reserved_octet', 'Reserved octet', 'uint8', { base: 'hex' })
const hfFragOffset = defineField('ipv6.fraghdr.offset', 'Offset', 'uint16', { base: 'dec', mask: 0xfff8 })
const hfFragResBits = defineField('ipv6.fraghdr.reserved_bits', 'Reserved bits', 'uint16', { base: 'dec', mask: 0x0006 })
const hfFragMore = defineField('ipv6.fraghdr.more', 'More Fragments', 'bool', { mask: 0x0001, maskBits: 16, tfs: TFS_YES_NO })
const hfFragIdent = defineField('ipv6.fraghdr.ident', 'Identification', 'uint32', { base: 'hex' })

const fragFields: FragmentFields = {
  fragments: defineField('ipv6.fragments', 'IPv6 Fragments', 'none'),
  fragment: defineField('ipv6.fragment', 'IPv6 Fragment', 'framenum'),
  count: defineField('ipv6.fragment.count', 'Fragment count', 'uint32', { base: 'dec' }),
  length: defineField('ipv6.reassembled.length', 'Reassembled IPv6 length', 'uint32', { base: 'dec' }),
  data: defineField('ipv6.reassembled.data', 'Reassembled IPv6 data', 'bytes'),
  name: 'IPv6'
}

function addAddress(root: FieldNode, d: Uint8Array, at: number, src: boolean): void {
  const a = ipv6String(d, at)
  add(root, src ? hfSrc : hfDst, at, 16, a)
  addHidden(root, hfAddr, at, 16, a)
  addHidden(root, src ? hfSrcHost : hfDstHost, at, 16, a)
  addHidden(root, hfHost, at, 16, a)
}

/**
 * EUI-64 interface identifiers (…ff:fe…) embed the interface's MAC (RFC 4291 appendix A);
 * Wireshark shows it only for universal ones (the U/L bit set in the identifier).
 */
function addSlaac(root: FieldNode, d: Uint8Array, at: number, src: boolean): void {
  if (d[at + 11] !== 0xff || d[at + 12] !== 0xfe || (d[at + 8] & 0x02) === 0) return
  const mac = new Uint8Array([d[at + 8] ^ 0x02, d[at + 9], d[at + 10], d[at + 13], d[at + 14], d[at + 15]])
  const m = etherString(mac, 0)
  add(root, src ? hfSrcSlaac : hfDstSlaac, at + 8, 8, m)
  addHidden(root, hfSlaac, at + 8, 8, m)
}

function addHeaderTree(ctx: PacketContext, root: FieldNode, off: number, plen: number): void {
  const d = ctx.data
  const w = ctx.view.getUint32(off)
  add(root, hfVersion, off, 1, 6)
  addHidden(root, hfIpVersion, off, 1, 6)
  const tc = (w >>> 20) & 0xff
  const tcn = add(root, hfTclass, off, 4, tc)
  add(tcn, hfTclassDscp, off, 4, tc >> 2)
  add(tcn, hfTclassEcn, off, 4, tc & 3)
  add(root, hfFlow, off + 1, 3, w & 0xfffff)
  add(root, hfPlen, off + field.LENGTH, 2, plen)
  add(root, hfNxt, off + field.NXT_HDR, 1, d[off + field.NXT_HDR])
  add(root, hfHlim, off + field.HOP_LIMIT, 1, d[off + field.HOP_LIMIT])
  addAddress(root, d, off + field.SRC, true)
  addAddress(root, d, off + field.DST, false)
  addSlaac(root, d, off + field.SRC, true)
  addSlaac(root, d, off + field.DST, false)
}

/** IPv6 as an EtherType (and IP protocol 41): a header with a bogus version is left to `data`, as Wireshark does. */
export function dissectIpv6(ctx: PacketContext, off: number, end: number): void {
  if (!ipv6(ctx, off, end)) dissectData(ctx, off, end)
}

/** IPv6 as the link type itself (229): nothing else to try, frame.protocols stays empty. */
export function dissectIpv6Only(ctx: PacketContext, off: number, end: number): void {
  ipv6(ctx, off, end)
}

/** Returns false when the version is not 6 (Wireshark's dissector rejects the packet then). */
function ipv6(ctx: PacketContext, off: number, end: number): boolean {
  const d = ctx.data
  if (end - off < 1) {
    markShort(ctx, addLayer(ctx, hfIpv6, off, 0), off, IPV6_HEADER_LEN, end, 'IPv6')
    return true
  }
  const version = d[off] >> 4
  if (version !== 6) {
    // Wireshark keeps the subtree but not the layer: frame.protocols stays as it was.
    ctx.malformed = true
    if (ctx.tree) {
      const root: FieldNode = { name: hfIpv6.name, off, len: Math.min(IPV6_HEADER_LEN, end - off), label: 'Internet Protocol Version 6', children: [] }
      ctx.layers.push(root)
      const v = add(root, hfVersion, off, 1, version)
      addHidden(root, hfIpVersion, off, 1, version)
      addExpert(v, 'error', 'malformed', 'Bogus IPv6 version')
      ctx.info = `Bogus IPv6 version (${version}, must be 6)`
    }
    ctx.protocol = 'IPv6'
    return false
  }
  const root = addLayer(ctx, hfIpv6, off, Math.min(IPV6_HEADER_LEN, end - off))
  if (end - off < IPV6_HEADER_LEN) {
    if (root) {
      buildPartial(ctx, root, off, IPV6_HEADER_LEN, end, () => addHeaderTree(ctx, root, off, ctx.view.getUint16(off + field.LENGTH)))
      root.label = 'Internet Protocol Version 6'
      if (off + field.SRC + 16 <= end) root.label += `, Src: ${ipv6String(d, off + field.SRC)}`
      if (reportedEnd(ctx, end) - off < IPV6_HEADER_LEN) addExpert(root, 'error', 'malformed', 'IPv6 header must be exactly 40 bytes')
    }
    markShort(ctx, root, off, IPV6_HEADER_LEN, end, 'IPv6')
    return true
  }
  const v = ctx.view
  let plen = v.getUint16(off + field.LENGTH)
  const repEnd = reportedEnd(ctx, end)
  const srcOff = off + field.SRC
  const dstOff = off + field.DST
  const src = ipv6String(d, srcOff)
  const dst = ipv6String(d, dstOff)
  const nxt = d[off + field.NXT_HDR]
  if (root) {
    root.label = `Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`
    addHeaderTree(ctx, root, off, plen)
  }
  if (plen === 0 && nxt !== NH_HOPOPTS) {
    // TSO (or a jumbogram without its option): Wireshark trusts the frame's length
    plen = Math.max(0, repEnd - off - IPV6_HEADER_LEN)
    if (root) addExpert(root, 'warn', 'protocol', 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))')
  }
  const ipEnd = off + IPV6_HEADER_LEN + plen
  if (ipEnd > repEnd && !ctx.inErrorPkt) {
    if (root) addExpert(root, 'error', 'protocol', `IPv6 payload length exceeds framing length (${repEnd - off - IPV6_HEADER_LEN} bytes)`)
    ctx.malformed = true
  }
  const capEnd = ipEnd < end ? ipEnd : end
  const net: NetInfo = {
    version: 6,
    src,
    dst,
    srcOff,
    dstOff,
    addrLen: 16,
    proto: nxt,
    payloadOff: off + IPV6_HEADER_LEN,
    payloadLen: plen,
    fragment: false,
    ttl: d[off + field.HOP_LIMIT]
  }
  ctx.net = net
  if (!ctx.inErrorPkt) {
    ctx.src = src
    ctx.dst = dst
    ctx.protocol = 'IPv6'
  }
  if (nxt !== NH_HOPOPTS && nxt !== NH_ROUTING && nxt !== NH_FRAGMENT && nxt !== NH_AH && nxt !== NH_DSTOPTS && nxt !== NH_NONE) {
    handOff(byIpProto, nxt, ctx, net.payloadOff, capEnd)
  } else dissectChain(ctx, root, net, nxt, net.payloadOff, capEnd, ipEnd)
  ctx.claimedEnd = ipEnd
  return true
}

/** Options of a hop-by-hop or destination options header, [p, end). */
function addOptions(ctx: PacketContext, parent: FieldNode, p: number, end: number): void {
  const d = ctx.data
  while (p < end) {
    const t = d[p]
    const name = IPV6_OPT_VALS[t]
    const typeNode = (o: FieldNode): void => {
      const tn = add(o, hfOptType, p, 1, t)
      add(tn, hfOptAction, p, 1, t >> 6)
      add(tn, hfOptChange, p, 1, (t & 0x20) !== 0)
      add(tn, hfOptRest, p, 1, t & 0x1f)
    }
    if (t === OPT_PAD1) {
      const o = add(parent, hfOpt, p, 1)
      o.label = 'Pad1'
      typeNode(o)
      add(o, hfOptPad1, p, 1).label = 'Pad1'
      p++
      continue
    }
    if (p + 2 > end) {
      const o = add(parent, hfOpt, p, end - p)
      o.label = name ?? `Unknown IPv6 Option (${t})`
      addExpert(o, 'error', 'malformed', 'Invalid IPv6 option length')
      ctx.malformed = true
      return
    }
    const len = d[p + 1]
    const o = add(parent, hfOpt, p, Math.min(2 + len, end - p))
    o.label = name ?? `Unknown IPv6 Option (${t})`
    typeNode(o)
    add(o, hfOptLength, p + 1, 1, len)
    const v = p + 2
    if (v + len > end) {
      addExpert(o, 'error', 'malformed', 'Invalid IPv6 option length')
      ctx.malformed = true
      return
    }
    if (t === OPT_PADN) add(o, hfOptPadn, v, len, d.subarray(v, v + len))
    else if (t === OPT_ROUTER_ALERT && len === 2) add(o, hfOptRouterAlert, v, 2, ctx.view.getUint16(v))
    else if (t === OPT_JUMBO && len === 4) add(o, hfOptJumbo, v, 4, ctx.view.getUint32(v))
    else {
      const u = add(o, hfOptUnknown, v, len, d.subarray(v, v + len))
      if (len === 0) u.label = 'Unknown Option Payload: <MISSING>'
      if (!name) addExpert(u, 'note', 'undecoded', 'Unknown Data (not interpreted)')
    }
    p = v + len
  }
}

/** Walks extension headers from `p` with next header `nxt`, then hands off to the transport. */
function dissectChain(ctx: PacketContext, root: FieldNode | undefined, net: NetInfo, nxt: number, p: number, capEnd: number, ipEnd: number): void {
  const d = ctx.data
  for (;;) {
    if (nxt === NH_HOPOPTS || nxt === NH_DSTOPTS || nxt === NH_ROUTING) {
      const hop = nxt === NH_HOPOPTS
      const proto = hop ? hfHopopts : nxt === NH_DSTOPTS ? hfDstopts : hfRouting
      ctx.protocols.push(proto.name)
      const hdrLen = p + 2 <= capEnd ? (d[p + 1] + 1) * 8 : 8
      const sub = root ? add(root, proto, p, Math.min(hdrLen, capEnd - p)) : undefined
      if (sub) sub.label = proto.title
      if (p + 2 > capEnd || p + hdrLen > capEnd) {
        markShort(ctx, sub, p, hdrLen, capEnd, proto.title)
        return
      }
      const next = d[p]
      if (sub) {
        if (nxt === NH_ROUTING) addRouting(ctx, sub, p, hdrLen)
        else {
          add(sub, hop ? hfHopNxt : hfDstNxt, p, 1, next)
          add(sub, hop ? hfHopLen : hfDstLen, p + 1, 1, d[p + 1])
          add(sub, hop ? hfHopLenOct : hfDstLenOct, p + 1, 1, hdrLen)
          addOptions(ctx, sub, p + 2, p + hdrLen)
        }
      }
      if (nxt === NH_ROUTING && d[p + 2] === 0 && d[p + 3] > 0 && hdrLen >= 24) net.pseudoDstOff = p + hdrLen - 16
      nxt = next
      p += hdrLen
      continue
    }
    if (nxt === NH_AH) {
      const r = dissectAhHeader(ctx, root, p, capEnd)
      if (!r) return
      nxt = r.next
      p += r.len
      continue
    }
    if (nxt === NH_FRAGMENT) {
      dissectFragmentHeader(ctx, root, net, p, capEnd, ipEnd)
      return
    }
    net.proto = nxt
    net.payloadOff = p
    net.payloadLen = Math.max(0, ipEnd - p)
    if (nxt === NH_NONE) dissectData(ctx, p, capEnd)
    else handOff(byIpProto, nxt, ctx, p, capEnd)
    return
  }
}

function addRouting(ctx: PacketContext, sub: FieldNode, p: number, hdrLen: number): void {
  const d = ctx.data
  const type = d[p + 2]
  const segleft = d[p + 3]
  sub.label = `Routing Header for IPv6 (${IPV6_ROUTING_TYPE_VALS[type] ?? 'Unknown'})`
  add(sub, hfRtNxt, p, 1, d[p])
  add(sub, hfRtLen, p + 1, 1, d[p + 1])
  add(sub, hfRtLenOct, p + 1, 1, hdrLen)
  const t = add(sub, hfRtType, p + 2, 1, type)
  add(sub, hfRtSegleft, p + 3, 1, segleft)
  if (type === 0) {
    addExpert(t, 'note', 'deprecated', 'Routing header type is deprecated')
    add(sub, hfRtSrcReserved, p + 4, 4, d.subarray(p + 4, p + 8))
    let i = 1
    for (let a = p + 8; a + 16 <= p + hdrLen; a += 16, i++) {
      add(sub, hfRtSrcAddr, a, 16, ipv6String(d, a)).label = `Address[${i}]: ${ipv6String(d, a)}`
    }
  } else if (hdrLen > 4) add(sub, hfRtUnknown, p + 4, hdrLen - 4, d.subarray(p + 4, p + hdrLen))
}

const FRAGHDR_LEN = 8

function dissectFragmentHeader(ctx: PacketContext, root: FieldNode | undefined, net: NetInfo, p: number, capEnd: number, ipEnd: number): void {
  const d = ctx.data
  ctx.protocols.push(hfFraghdr.name)
  const sub = root ? add(root, hfFraghdr, p, Math.min(FRAGHDR_LEN, capEnd - p)) : undefined
  if (sub) sub.label = 'Fragment Header for IPv6'
  if (p + FRAGHDR_LEN > capEnd) {
    markShort(ctx, sub, p, FRAGHDR_LEN, capEnd, 'IPv6 fragment header')
    return
  }
  const next = d[p]
  const offm = ctx.view.getUint16(p + 2)
  const offset = offm >> 3
  const more = (offm & 1) !== 0
  const ident = ctx.view.getUint32(p + 4)
  if (sub) {
    add(sub, hfFragNxt, p, 1, next)
    add(sub, hfFragRes, p + 1, 1, d[p + 1])
    add(sub, hfFragOffset, p + 2, 2, offset)
    add(sub, hfFragResBits, p + 2, 2, (offm >> 1) & 3)
    add(sub, hfFragMore, p + 2, 2, more)
    add(sub, hfFragIdent, p + 4, 4, ident)
  }
  const payloadOff = p + FRAGHDR_LEN
  const fragLen = Math.max(0, ipEnd - payloadOff)
  net.payloadOff = payloadOff
  net.payloadLen = fragLen
  net.proto = next
  if (offset === 0 && !more) {
    // an atomic fragment (RFC 6946): nothing to reassemble
    dissectChain(ctx, root, net, next, payloadOff, capEnd, ipEnd)
    return
  }
  net.fragment = true
  if (ctx.defrag && !ctx.inErrorPkt && payloadOff + fragLen <= capEnd) {
    const r = ctx.defrag.add(ipv6Key(net.src, net.dst, ident), ctx.number, ctx.time, offset * 8, more, d.subarray(payloadOff, payloadOff + fragLen))
    if (r) {
      if (sub) addFragmentTree(sub, fragFields, r)
      dissectReassembled(
        ctx,
        net,
        r,
        payloadOff,
        offset * 8,
        fragLen,
        (c, o, e) => dissectChain(c, root, net, next, o, e, e),
        root
      )
      return
    }
  }
  if (ctx.tree && !ctx.inErrorPkt) {
    ctx.info = `IPv6 fragment (off=${offset * 8} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${next})`
  }
  dissectData(ctx, payloadOff, capEnd)
}

byEthertype.set(0x86dd, dissectIpv6)
byIpProto.set(41, dissectIpv6)
