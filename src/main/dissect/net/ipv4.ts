// IPv4 (RFC 791), EtherType 0x0800. Hands the payload to byIpProto, or with a defragmenter
// reassembles fragments and dissects the datagram on the frame that completes it.
import { ipv4Key } from '../../analysis/ip-defrag'
import { addLayer, buildPartial, markShort, reportedEnd, type NetInfo, type PacketContext } from '../context'
import { byEthertype, byIpProto, dissectData, handOff } from '../dispatch'
import { add, addExpert, addGenerated, addHidden, defineField, defineProtocol, TFS_SET, type FieldNode } from '../fields'
import { hexPad, ipv4String } from '../format'
import { bitString } from '../label'
import { addFragmentTree, dissectReassembled, type FragmentFields } from './ip-reassembly'
import { addIpv4Options, sourceRouteDst } from './ipv4-options'
import { DSCP_VALS, ECN_VALS, IP_PROTO_VALS } from './values'

/** Byte ranges of the IPv4 header (RFC 791 section 3.1). */
const field = { VER_IHL: 0, DSCP_ECN: 1, LENGTH: 2, IDENT: 4, FLG_OFF: 6, TTL: 8, PROTOCOL: 9, CHECKSUM: 10, SRC: 12, DST: 16 } as const
export const IPV4_MIN_HEADER = 20
const FLAG_RB = 0x8000
const FLAG_DF = 0x4000
const FLAG_MF = 0x2000
const OFFSET_MASK = 0x1fff

/** Short DSCP names of the dsfield summary ("DSCP: CS0"). */
export const DSCP_SHORT: Readonly<Record<number, string>> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23', 24: 'CS3',
  26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5', 44: 'VOICE-ADMIT', 46: 'EF PHB',
  48: 'CS6', 56: 'CS7'
}
export const ECN_SHORT: Readonly<Record<number, string>> = { 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' }

export const hfIp = defineProtocol('ip', 'Internet Protocol Version 4')
export const hfIpVersion = defineField('ip.version', 'Version', 'uint8', {
  base: 'dec',
  // IPv6 adds a hidden ip.version too, with Wireshark's note on why
  labeler: (n) =>
    bitString(0xf0, 8, Number(n.value) << 4) +
    `Version: ${n.value}${n.hidden ? ' [This field makes the filter match on "ip.version == 6" possible]' : ''}`
})
const hfHdrLen = defineField('ip.hdr_len', 'Header Length', 'uint8', {
  base: 'dec',
  labeler: (n) => {
    const v = Number(n.value)
    return bitString(0x0f, 8, v >> 2) + `Header Length: ${v} bytes (${v >> 2})`
  }
})
/** "0x00 (DSCP: CS0, ECN: Not-ECT)", the summary of a DS field / traffic class byte. */
export function dsText(ds: number): string {
  return `${hexPad(ds, 2)} (DSCP: ${DSCP_SHORT[ds >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[ds & 3]})`
}
const hfDsfield = defineField('ip.dsfield', 'Differentiated Services Field', 'uint8', {
  base: 'hex',
  labeler: (n) => `Differentiated Services Field: ${dsText(Number(n.value))}`
})
const hfDscp = defineField('ip.dsfield.dscp', 'Differentiated Services Codepoint', 'uint8', { base: 'dec', mask: 0xfc, strings: DSCP_VALS })
const hfEcn = defineField('ip.dsfield.ecn', 'Explicit Congestion Notification', 'uint8', { base: 'dec', mask: 0x03, strings: ECN_VALS })
const hfLen = defineField('ip.len', 'Total Length', 'uint16', { base: 'dec' })
const hfId = defineField('ip.id', 'Identification', 'uint16', { base: 'hex_dec' })
const FLAG_NAMES = ['More fragments', "Don't fragment", 'Reserved bit']
const hfFlags = defineField('ip.flags', 'Flags', 'uint8', {
  base: 'hex',
  mask: 0xe0,
  labeler: (n) => {
    const v = Number(n.value)
    const names: string[] = []
    for (let b = 2; b >= 0; b--) if (v & (1 << b)) names.push(FLAG_NAMES[b])
    return bitString(0xe0, 8, v << 5) + `Flags: 0x${v.toString(16)}${names.length ? ', ' + names.join(', ') : ''}`
  }
})
const hfFlagRb = defineField('ip.flags.rb', 'Reserved bit', 'bool', { mask: 0x80, maskBits: 8, tfs: TFS_SET })
const hfFlagDf = defineField('ip.flags.df', "Don't fragment", 'bool', { mask: 0x40, maskBits: 8, tfs: TFS_SET })
const hfFlagMf = defineField('ip.flags.mf', 'More fragments', 'bool', { mask: 0x20, maskBits: 8, tfs: TFS_SET })
const hfFragOff = defineField('ip.frag_offset', 'Fragment Offset', 'uint16', {
  base: 'dec',
  mask: 0x1fff,
  // the field holds 8-byte units; the line shows bytes
  labeler: (n) => bitString(OFFSET_MASK, 16, Number(n.value)) + `Fragment Offset: ${Number(n.value) * 8}`
})
const hfTtl = defineField('ip.ttl', 'Time to Live', 'uint8', { base: 'dec' })
const hfProto = defineField('ip.proto', 'Protocol', 'uint8', { base: 'dec', strings: IP_PROTO_VALS })
const hfChecksum = defineField('ip.checksum', 'Header Checksum', 'uint16', {
  base: 'hex',
  labeler: (n) => `Header Checksum: ${hexPad(Number(n.value), 4)} [validation disabled]`
})
const hfChecksumStatus = defineField('ip.checksum.status', 'Header checksum status', 'uint8', { strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } })
const hfSrc = defineField('ip.src', 'Source Address', 'ipv4')
const hfDst = defineField('ip.dst', 'Destination Address', 'ipv4')
const hfAddr = defineField('ip.addr', 'Source or Destination Address', 'ipv4')
const hfSrcHost = defineField('ip.src_host', 'Source Host', 'string')
const hfDstHost = defineField('ip.dst_host', 'Destination Host', 'string')
const hfHost = defineField('ip.host', 'Source or Destination Host', 'string')
const hfCurRt = defineField('ip.cur_rt', 'Current Route', 'ipv4')
const hfCurRtHost = defineField('ip.cur_rt_host', 'Current Route Host', 'string')

const fragFields: FragmentFields = {
  fragments: defineField('ip.fragments', 'IPv4 Fragments', 'bytes'),
  fragment: defineField('ip.fragment', 'IPv4 Fragment', 'framenum'),
  count: defineField('ip.fragment.count', 'Fragment count', 'uint32', { base: 'dec' }),
  length: defineField('ip.reassembled.length', 'Reassembled IPv4 length', 'uint32', { base: 'dec' }),
  data: defineField('ip.reassembled.data', 'Reassembled IPv4 data', 'bytes'),
  name: 'IPv4'
}

/** Version, header length and DS field: what Wireshark shows before it looks at the total length. */
function addVersionToLength(ctx: PacketContext, root: FieldNode, off: number, hlen: number): void {
  const d = ctx.data
  add(root, hfIpVersion, off, 1, 4)
  add(root, hfHdrLen, off, 1, hlen)
  const ds = d[off + field.DSCP_ECN]
  const dsn = add(root, hfDsfield, off + 1, 1, ds)
  add(dsn, hfDscp, off + 1, 1, ds >> 2)
  add(dsn, hfEcn, off + 1, 1, ds & 3)
}

/** The fixed header's fields; returns the ip.len node (for an expert about the length). */
function addHeaderTree(ctx: PacketContext, root: FieldNode, off: number, hlen: number, len: number, curRt: boolean): FieldNode {
  const d = ctx.data
  const v = ctx.view
  addVersionToLength(ctx, root, off, hlen)
  const lenNode = add(root, hfLen, off + field.LENGTH, 2, len)
  add(root, hfId, off + field.IDENT, 2, v.getUint16(off + field.IDENT))
  const fo = v.getUint16(off + field.FLG_OFF)
  const fl = add(root, hfFlags, off + field.FLG_OFF, 1, fo >> 13)
  add(fl, hfFlagRb, off + field.FLG_OFF, 1, (fo & FLAG_RB) !== 0)
  add(fl, hfFlagDf, off + field.FLG_OFF, 1, (fo & FLAG_DF) !== 0)
  add(fl, hfFlagMf, off + field.FLG_OFF, 1, (fo & FLAG_MF) !== 0)
  const fragOff = fo & OFFSET_MASK
  add(root, hfFragOff, off + field.FLG_OFF, 2, fragOff)
  add(root, hfTtl, off + field.TTL, 1, d[off + field.TTL])
  add(root, hfProto, off + field.PROTOCOL, 1, d[off + field.PROTOCOL])
  const sum = v.getUint16(off + field.CHECKSUM)
  add(root, hfChecksum, off + field.CHECKSUM, 2, sum)
  addGenerated(root, hfChecksumStatus, off + field.CHECKSUM, 0, 2)
  const src = ipv4String(d, off + field.SRC)
  add(root, hfSrc, off + field.SRC, 4, src)
  addHidden(root, hfAddr, off + field.SRC, 4, src)
  addHidden(root, hfSrcHost, off + field.SRC, 4, src)
  addHidden(root, hfHost, off + field.SRC, 4, src)
  const dst = ipv4String(d, off + field.DST)
  if (curRt) {
    add(root, hfCurRt, off + field.DST, 4, dst)
    addHidden(root, hfCurRtHost, off + field.DST, 4, dst)
  } else {
    add(root, hfDst, off + field.DST, 4, dst)
    addHidden(root, hfAddr, off + field.DST, 4, dst)
    addHidden(root, hfDstHost, off + field.DST, 4, dst)
    addHidden(root, hfHost, off + field.DST, 4, dst)
  }
  return lenNode
}

export function dissectIpv4(ctx: PacketContext, off: number, end: number): void {
  const d = ctx.data
  const avail = end - off
  if (avail < 1) {
    markShort(ctx, addLayer(ctx, hfIp, off, 0), off, IPV4_MIN_HEADER, end, 'IPv4')
    return
  }
  const b0 = d[off]
  if (b0 >> 4 !== 4) {
    if (b0 >> 4 === 6) {
      // Wireshark's "ip" dissector passes version 6 on to IPv6, after naming itself: "ip:ipv6"
      const v6 = byEthertype.get(0x86dd)
      if (v6) {
        ctx.protocols.push(hfIp.name)
        v6(ctx, off, end)
        return
      }
    }
    const root = addLayer(ctx, hfIp, off, Math.min(IPV4_MIN_HEADER, avail))
    const version = b0 >> 4
    if (root) {
      root.label = 'Internet Protocol Version 4'
      const vn = add(root, hfIpVersion, off, 1, version)
      addExpert(vn, 'error', 'protocol', 'Bogus IPv4 version')
      if (!ctx.inErrorPkt) ctx.info = `Bogus IPv4 version (${version}, must be 4)`
    }
    ctx.malformed = true
    if (!ctx.inErrorPkt) ctx.protocol = 'IPv4'
    return
  }
  const hlen = (b0 & 0x0f) << 2
  const root = addLayer(ctx, hfIp, off, Math.min(hlen, avail))
  if (!ctx.inErrorPkt) ctx.protocol = 'IPv4'
  if (hlen < IPV4_MIN_HEADER) {
    if (root) {
      root.label = 'Internet Protocol Version 4'
      add(root, hfIpVersion, off, 1, 4)
      const hn = add(root, hfHdrLen, off, 1, hlen)
      const msg = `Bogus IP header length (${hlen}, must be at least ${IPV4_MIN_HEADER})`
      addExpert(hn, 'error', 'protocol', msg)
      if (!ctx.inErrorPkt) ctx.info = msg
    }
    ctx.malformed = true
    return
  }
  if (avail < hlen) {
    if (root) {
      buildPartial(ctx, root, off, hlen, end, () => addHeaderTree(ctx, root, off, hlen, ctx.view.getUint16(off + field.LENGTH), false))
      // Wireshark names the addresses in the summary line as it reaches them
      root.label = 'Internet Protocol Version 4'
      if (off + field.SRC + 4 <= end) root.label += `, Src: ${ipv4String(d, off + field.SRC)}`
      if (off + field.DST + 4 <= end) root.label += `, Dst: ${ipv4String(d, off + field.DST)}`
    }
    markShort(ctx, root, off, hlen, end, 'IPv4')
    return
  }
  const v = ctx.view
  let len = v.getUint16(off + field.LENGTH)
  const repEnd = reportedEnd(ctx, end)
  if (len === 0) len = repEnd - off // TSO: the NIC fills in the length later; Wireshark assumes the frame's
  const srcOff = off + field.SRC
  let dstOff = off + field.DST
  const finalDst = hlen > IPV4_MIN_HEADER ? sourceRouteDst(d, off + IPV4_MIN_HEADER, off + hlen) : -1
  if (finalDst >= 0) dstOff = finalDst
  const src = ipv4String(d, srcOff)
  const dst = ipv4String(d, dstOff)
  const proto = d[off + field.PROTOCOL]
  const fo = v.getUint16(off + field.FLG_OFF)
  const fragOff = (fo & OFFSET_MASK) << 3
  const more = (fo & FLAG_MF) !== 0
  if (len < hlen) {
    if (root) {
      root.label = 'Internet Protocol Version 4'
      addVersionToLength(ctx, root, off, hlen)
      const ln = add(root, hfLen, off + field.LENGTH, 2, len)
      ln.label = `Total Length: ${len} bytes (bogus, less than header length ${hlen})`
      addExpert(ln, 'error', 'protocol', 'Bogus IP length')
      if (!ctx.inErrorPkt) ctx.info = `Bogus IP length (${len}, less than header length ${hlen})`
    }
    ctx.malformed = true
    return
  }
  const ipEnd = off + len
  const tooLong = ipEnd > repEnd && !ctx.inErrorPkt
  if (root) {
    root.label = `Internet Protocol Version 4, Src: ${src}, Dst: ${dst}${finalDst >= 0 ? `, Via: ${ipv4String(d, off + field.DST)}` : ''}`
    const ln = addHeaderTree(ctx, root, off, hlen, len, finalDst >= 0)
    if (tooLong) addExpert(ln, 'error', 'protocol', `IPv4 total length exceeds packet length (${repEnd - off} bytes)`)
    if (hlen > IPV4_MIN_HEADER) addIpv4Options(ctx, root, off + IPV4_MIN_HEADER, off + hlen, finalDst)
  }
  if (tooLong) ctx.malformed = true
  const capEnd = ipEnd < end ? ipEnd : end
  const payloadOff = off + hlen
  const net: NetInfo = {
    version: 4,
    src,
    dst,
    srcOff,
    dstOff,
    addrLen: 4,
    proto,
    payloadOff,
    payloadLen: len - hlen,
    fragment: more || fragOff !== 0,
    ttl: d[off + field.TTL]
  }
  ctx.net = net
  if (!ctx.inErrorPkt) {
    ctx.src = src
    ctx.dst = dst
  }
  if (!net.fragment) handOff(byIpProto, proto, ctx, payloadOff, capEnd)
  else dissectFragment(ctx, root, net, off, fragOff, more, capEnd)
  ctx.claimedEnd = ipEnd
}

function dissectFragment(ctx: PacketContext, root: FieldNode | undefined, net: NetInfo, off: number, fragOff: number, more: boolean, capEnd: number): void {
  const id = ctx.view.getUint16(off + field.IDENT)
  const payloadOff = net.payloadOff
  const fragLen = net.payloadLen
  // Only whole, captured fragments can be reassembled (Wireshark's rule too).
  if (ctx.defrag && !ctx.inErrorPkt && payloadOff + fragLen <= capEnd) {
    const key = ipv4Key(net.src, ipv4String(ctx.data, off + field.DST), id, net.proto)
    const r = ctx.defrag.add(key, ctx.number, ctx.time, fragOff, more, ctx.data.subarray(payloadOff, payloadOff + fragLen))
    if (r) {
      if (root) addFragmentTree(root, fragFields, r)
      dissectReassembled(ctx, net, r, payloadOff, fragOff, fragLen, (c, o, e) => handOff(byIpProto, net.proto, c, o, e))
      return
    }
  }
  if (ctx.tree && !ctx.inErrorPkt) {
    const pname = IP_PROTO_VALS[net.proto] ?? 'Unknown'
    ctx.info = `Fragmented IP protocol (proto=${pname} ${net.proto}, off=${fragOff}, ID=${id.toString(16).padStart(4, '0')})`
  }
  dissectData(ctx, payloadOff, capEnd)
}

byEthertype.set(0x0800, dissectIpv4)
byIpProto.set(4, dissectIpv4)
