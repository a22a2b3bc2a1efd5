// Fields a display filter can read from a summary dissection (no tree): the packet context the
// dissectors fill for the packet list (ctx.net, ctx.tcp, ctx.udp, frame.protocols), the stored
// TCP record with the stream table, and the few application values dissectors collect on
// request (dissect/app/collect.ts). Like `wirenote fields`' fast path, a reader declines
// wherever the tree could hold something else: malformed frames, a field whose protocol occurs
// more than once (tunnels, packets quoted in ICMP errors), IPv4 options, a bogus TCP header.
// test/filter-scan-fields.test.ts holds every reader against the tree on every corpus frame.
import { countProtocols, type ProtocolCounts } from '../dissect/protocol-counts'
import type { TcpStreamTable } from '../analysis/tcp-streams'
import { viewOf } from '../analysis/tcp-analysis'
import type { PacketContext } from '../dissect/context'
import type { FieldNode } from '../dissect/fields'
import { flagsString } from '../dissect/transport/tcp'
import { TCP } from '../dissect/transport/tcp-fields'
import { A, analysisPresence, emptySeqAck, type TcpView } from '../dissect/transport/tcp-present'
import type { FieldUse } from './compile'
import { DECLINE, EXACT, type FieldReader, type ReadResult } from './decide'
import { ANALYSIS_COUNT, FRAME_READERS, PRESENT_ONLY, pushPresent, valueNode, type IndexFrame } from './index-fields'

export interface SummaryFrame extends IndexFrame, ProtocolCounts {
  /** The frame's captured bytes. */
  data: Uint8Array
  comments: readonly string[]
  /** The summary dissection's context. */
  ctx: PacketContext
  /** The capture's TCP streams as the sequential pass left them (relative numbers). */
  streams: TcpStreamTable
  /** collector.values of the dissection: [name, value, ...] (see SUMMARY_COLLECTED). */
  values: readonly string[]
}

export { countProtocols }

/** Values the dissectors must collect in summary mode for these fields (collector.want). */
export const SUMMARY_COLLECTED: ReadonlySet<string> = new Set([
  'dns.qry.name',
  'tls.handshake.extensions_server_name',
  'http.request.method',
  'http.request.uri',
  'http.response.code'
])

/** The collected value a field is read from, when it is read from one. */
export function collectedSource(name: string): string | undefined {
  if (SUMMARY_COLLECTED.has(name)) return name
  if (name === 'http.request') return 'http.request.method'
  if (name === 'http.response') return 'http.response.code'
  return undefined
}

/**
 * Protocols whose presence is read from frame.protocols: each of their dissectors adds its
 * subtree exactly when it names itself there (malformed frames aside, which decline).
 */
const PRESENCE = new Set(['eth', 'ip', 'ipv6', 'tcp', 'udp', 'arp', 'icmp', 'icmpv6', 'dns', 'http', 'tls', 'quic', 'data', 'vlan'])

type Read = (f: SummaryFrame, out: FieldNode[], name: string) => ReadResult

const u16 = (d: Uint8Array, o: number): number => (d[o]! << 8) | d[o + 1]!
const u32 = (d: Uint8Array, o: number): number => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0

// ---- Ethernet ---------------------------------------------------------------------------

/** Offset of the only Ethernet header (the link layer), -1 when there is none, -2 to decline. */
function ethAt(f: SummaryFrame): number {
  if (f.nEth === 0) return -1
  if (f.ctx.malformed || f.nEth !== 1 || f.ctx.linktype !== 1 || f.data.length < 14) return -2
  return 0
}

const eth = (pick: (f: SummaryFrame, out: FieldNode[], name: string) => void): Read => (f, out, name) => {
  const o = ethAt(f)
  if (o === -2) return DECLINE
  if (o >= 0) pick(f, out, name)
  return EXACT
}

// ---- IPv4 / IPv6 ------------------------------------------------------------------------

/** Offset of the only IPv4 header when it has no options, -1 when there is no IPv4, -2 to decline. */
function ip4At(f: SummaryFrame): number {
  if (f.nIp === 0) return -1
  const net = f.ctx.net
  if (f.ctx.malformed || f.nIp !== 1 || f.nIpv6 !== 0 || !net || net.version !== 4 || net.reassembled) return -2
  const o = net.srcOff - 12
  // Options add more ip.addr / ip.dst (source routes): those frames take the tree.
  return o >= 0 && f.data[o] === 0x45 ? o : -2
}

const ip4 = (pick: (f: SummaryFrame, o: number, out: FieldNode[], name: string) => void): Read => (f, out, name) => {
  const o = ip4At(f)
  if (o === -2) return DECLINE
  if (o >= 0) pick(f, o, out, name)
  return EXACT
}

/** Offset of the only IPv6 header, -1 when there is no IPv6, -2 to decline. */
function ip6At(f: SummaryFrame): number {
  if (f.nIpv6 === 0) return -1
  const net = f.ctx.net
  if (f.ctx.malformed || f.nIpv6 !== 1 || f.nIp !== 0 || !net || net.version !== 6 || net.reassembled) return -2
  return net.srcOff - 8
}

const ip6 = (pick: (f: SummaryFrame, o: number, out: FieldNode[], name: string) => void): Read => (f, out, name) => {
  const o = ip6At(f)
  if (o === -2) return DECLINE
  if (o >= 0) pick(f, o, out, name)
  return EXACT
}

// ---- TCP / UDP --------------------------------------------------------------------------

/** 1: one well-formed TCP header (ctx.tcp), 0: no TCP, -1: decline. */
function tcpState(f: SummaryFrame): number {
  if (f.nTcp === 0) return 0
  const t = f.ctx.tcp
  // A header from a reassembled datagram lies in ctx.net.reassembled, not the frame: take the tree.
  return f.ctx.malformed || f.nTcp !== 1 || !t || t.bogus || f.ctx.net?.reassembled ? -1 : 1
}

/** The conversation view redissect presents the segment with (null without a stream). */
function viewFor(f: SummaryFrame): TcpView | null {
  const e = f.entry
  if (e.stream < 0 || e.stream >= f.streams.count) return null
  return viewOf(f.streams, e.stream, e.tcpFlags & A.FROM_CLIENT ? 0 : 1, e.tcpFlags)
}

const rel = (raw: number, base: number): number => (Number.isNaN(base) ? raw : (raw - base) >>> 0)

const tcp = (pick: (f: SummaryFrame, out: FieldNode[], name: string) => void): Read => (f, out, name) => {
  const s = tcpState(f)
  if (s < 0) return DECLINE
  if (s > 0) pick(f, out, name)
  return EXACT
}

const tcpValue = (value: (f: SummaryFrame) => number | boolean | string | undefined): Read =>
  tcp((f, out, name) => {
    const v = value(f)
    if (v !== undefined) out.push(valueNode(name, v))
  })

/** MSS and window-scale options as the option walk of tcp.ts shows them (well-formed headers only). */
function tcpOptionValues(f: SummaryFrame, kind: number, olen: number, out: FieldNode[], name: string): ReadResult {
  const t = f.ctx.tcp!
  const d = f.data
  const end = t.off + t.hdrLen
  if (end > d.length) return DECLINE
  for (let p = t.off + 20; p < end; ) {
    const k = d[p]!
    if (k === 0 || k === 1) {
      p++
      continue
    }
    if (p + 1 >= end) return DECLINE
    const l = d[p + 1]!
    if (l < 2 || p + l > end) return DECLINE
    if (k === kind && l === olen) out.push(valueNode(name, olen === 4 ? u16(d, p + 2) : d[p + 2]!))
    p += l
  }
  return EXACT
}

const tcpOption = (kind: number, olen: number): Read => (f, out, name) => {
  const s = tcpState(f)
  if (s <= 0) return s < 0 ? DECLINE : EXACT
  return tcpOptionValues(f, kind, olen, out, name)
}

const udp = (pick: (f: SummaryFrame, out: FieldNode[], name: string) => void): Read => (f, out, name) => {
  if (f.nUdp === 0) return EXACT
  if (f.ctx.malformed || f.nUdp !== 1 || !f.ctx.udp) return DECLINE
  pick(f, out, name)
  return EXACT
}

// ---- ICMP ------------------------------------------------------------------------------

/** Offset of the only ICMP header, carried by the only IPv4 header: -1 without ICMP, -2 to decline. */
function icmpAt(f: SummaryFrame): number {
  const p = f.ctx.protocols
  const i = p.indexOf('icmp')
  if (i < 0) return -1
  if (p.indexOf('icmp', i + 1) >= 0) return -2
  const o = ip4At(f)
  const net = f.ctx.net
  if (o < 0 || !net || net.proto !== 1 || net.fragment || o + 24 > f.data.length) return -2
  return o + 20
}

const icmp = (at: number): Read => (f, out, name) => {
  const o = icmpAt(f)
  if (o === -2) return DECLINE
  if (o >= 0) out.push(valueNode(name, f.data[o + at]!))
  return EXACT
}

// ---- values collected by application dissectors ------------------------------------------

const collected = (toValue: (s: string) => string | number | boolean, source?: string): Read => (f, out, name) => {
  if (f.ctx.malformed) return DECLINE
  const v = f.values
  const key = source ?? name
  for (let i = 0; i < v.length; i += 2) if (v[i] === key) out.push(valueNode(name, toValue(v[i + 1]!)))
  return EXACT
}

const TCP_FLAG_FIELDS = [TCP.flagRes, TCP.flagAe, TCP.flagCwr, TCP.flagEce, TCP.flagUrg, TCP.flagAck, TCP.flagPush, TCP.flagReset, TCP.flagSyn, TCP.flagFin]

const READERS: Record<string, Read> = {
  ...FRAME_READERS,
  'frame.protocols': (f, out, name) => (f.ctx.malformed ? DECLINE : (out.push(valueNode(name, f.ctx.protocols.join(':'))), EXACT)),
  'frame.comment': (f, out, name) => {
    for (const c of f.comments) out.push(valueNode(name, c))
    return EXACT
  },

  'eth.dst': eth((f, out, n) => out.push(valueNode(n, f.data.subarray(0, 6)))),
  'eth.src': eth((f, out, n) => out.push(valueNode(n, f.data.subarray(6, 12)))),
  'eth.addr': eth((f, out, n) => out.push(valueNode(n, f.data.subarray(0, 6)), valueNode(n, f.data.subarray(6, 12)))),
  'eth.type': eth((f, out, n) => {
    const t = u16(f.data, 12)
    if (t >= 0x0600) out.push(valueNode(n, t))
  }),

  'ip.version': (f, out, n) => {
    if (f.nIp === 0 && f.nIpv6 === 0) return EXACT
    if (f.nIp === 0) {
      if (ip6At(f) < 0) return DECLINE
      out.push(valueNode(n, 6))
      return EXACT
    }
    if (ip4At(f) < 0) return DECLINE
    out.push(valueNode(n, 4))
    return EXACT
  },
  'ip.hdr_len': ip4((_f, _o, out, n) => out.push(valueNode(n, 20))),
  'ip.dsfield': ip4((f, o, out, n) => out.push(valueNode(n, f.data[o + 1]!))),
  'ip.dsfield.dscp': ip4((f, o, out, n) => out.push(valueNode(n, f.data[o + 1]! >> 2))),
  'ip.dsfield.ecn': ip4((f, o, out, n) => out.push(valueNode(n, f.data[o + 1]! & 3))),
  // The header's length, or what the frame gives when it says 0 (TSO), as ipv4.ts shows it.
  'ip.len': ip4((f, _o, out, n) => out.push(valueNode(n, f.ctx.net!.payloadLen + 20))),
  'ip.id': ip4((f, o, out, n) => out.push(valueNode(n, u16(f.data, o + 4)))),
  'ip.flags': ip4((f, o, out, n) => out.push(valueNode(n, u16(f.data, o + 6) >> 13))),
  'ip.flags.rb': ip4((f, o, out, n) => out.push(valueNode(n, (u16(f.data, o + 6) & 0x8000) !== 0))),
  'ip.flags.df': ip4((f, o, out, n) => out.push(valueNode(n, (u16(f.data, o + 6) & 0x4000) !== 0))),
  'ip.flags.mf': ip4((f, o, out, n) => out.push(valueNode(n, (u16(f.data, o + 6) & 0x2000) !== 0))),
  'ip.frag_offset': ip4((f, o, out, n) => out.push(valueNode(n, u16(f.data, o + 6) & 0x1fff))),
  'ip.ttl': ip4((f, o, out, n) => out.push(valueNode(n, f.data[o + 8]!))),
  'ip.proto': ip4((f, o, out, n) => out.push(valueNode(n, f.data[o + 9]!))),
  'ip.checksum': ip4((f, o, out, n) => out.push(valueNode(n, u16(f.data, o + 10)))),
  'ip.src': ip4((f, o, out, n) => out.push(valueNode(n, u32(f.data, o + 12)))),
  'ip.dst': ip4((f, o, out, n) => out.push(valueNode(n, u32(f.data, o + 16)))),
  'ip.addr': ip4((f, o, out, n) => out.push(valueNode(n, u32(f.data, o + 12)), valueNode(n, u32(f.data, o + 16)))),
  'ip.src_host': ip4((f, _o, out, n) => out.push(valueNode(n, f.ctx.net!.src))),
  'ip.dst_host': ip4((f, _o, out, n) => out.push(valueNode(n, f.ctx.net!.dst))),
  'ip.host': ip4((f, _o, out, n) => out.push(valueNode(n, f.ctx.net!.src), valueNode(n, f.ctx.net!.dst))),

  'ipv6.hlim': ip6((f, o, out, n) => out.push(valueNode(n, f.data[o + 7]!))),
  'ipv6.src': ip6((f, o, out, n) => out.push(valueNode(n, f.data.subarray(o + 8, o + 24)))),
  'ipv6.dst': ip6((f, o, out, n) => out.push(valueNode(n, f.data.subarray(o + 24, o + 40)))),
  'ipv6.addr': ip6((f, o, out, n) => out.push(valueNode(n, f.data.subarray(o + 8, o + 24)), valueNode(n, f.data.subarray(o + 24, o + 40)))),
  'ipv6.src_host': ip6((f, _o, out, n) => out.push(valueNode(n, f.ctx.net!.src))),
  'ipv6.dst_host': ip6((f, _o, out, n) => out.push(valueNode(n, f.ctx.net!.dst))),
  'ipv6.host': ip6((f, _o, out, n) => out.push(valueNode(n, f.ctx.net!.src), valueNode(n, f.ctx.net!.dst))),

  'tcp.srcport': tcpValue((f) => f.ctx.tcp!.srcport),
  'tcp.dstport': tcpValue((f) => f.ctx.tcp!.dstport),
  'tcp.port': tcp((f, out, n) => out.push(valueNode(n, f.ctx.tcp!.srcport), valueNode(n, f.ctx.tcp!.dstport))),
  'tcp.len': tcpValue((f) => (f.ctx.tcp!.len >= 0 ? f.ctx.tcp!.len : undefined)),
  'tcp.seq_raw': tcpValue((f) => f.ctx.tcp!.seq),
  'tcp.ack_raw': tcpValue((f) => f.ctx.tcp!.ack),
  'tcp.hdr_len': tcpValue((f) => f.ctx.tcp!.hdrLen),
  'tcp.flags': tcpValue((f) => f.ctx.tcp!.flags),
  'tcp.flags.str': tcpValue((f) => flagsString(f.ctx.tcp!.flags)),
  'tcp.window_size_value': tcpValue((f) => f.ctx.tcp!.window),
  'tcp.checksum': tcpValue((f) => u16(f.data, f.ctx.tcp!.off + 16)),
  'tcp.urgent_pointer': tcpValue((f) => u16(f.data, f.ctx.tcp!.off + 18)),
  'tcp.stream': tcpValue((f) => viewFor(f)?.stream),
  'tcp.seq': tcpValue((f) => {
    const t = f.ctx.tcp!
    const view = viewFor(f)
    return view && t.len >= 0 ? rel(t.seq, view.seqBase) : t.seq
  }),
  'tcp.ack': tcpValue((f) => {
    const t = f.ctx.tcp!
    if (!(t.flags & 0x10)) return 0
    const view = viewFor(f)
    return view && t.len >= 0 ? rel(t.ack, view.ackBase) : t.ack
  }),
  'tcp.nxtseq': tcpValue((f) => {
    const t = f.ctx.tcp!
    const view = viewFor(f)
    if (!view || t.len < 0) return undefined
    return (rel(t.seq, view.seqBase) + t.len + (t.flags & 0x02 ? 1 : 0) + (t.flags & 0x01 ? 1 : 0)) >>> 0
  }),
  'tcp.window_size': tcpValue((f) => {
    const t = f.ctx.tcp!
    const view = viewFor(f)
    const scale = view && t.len >= 0 && !(t.flags & 0x02) ? view.scale : -1
    return scale >= 0 ? t.window * (1 << scale) : t.window
  }),
  'tcp.payload': tcp((f, out, n) => {
    const t = f.ctx.tcp!
    // RST data is tcp.reset_cause, not payload (tcp-present.ts resetCause).
    if (t.len > 0 && t.payloadEnd > t.payloadOff && !(t.flags & 0x04)) out.push(valueNode(n, f.data.subarray(t.payloadOff, t.payloadEnd)))
  }),
  'tcp.options.mss_val': tcpOption(2, 4),
  'tcp.options.wscale.shift': tcpOption(3, 3),

  'udp.srcport': udp((f, out, n) => out.push(valueNode(n, f.ctx.udp!.srcport))),
  'udp.dstport': udp((f, out, n) => out.push(valueNode(n, f.ctx.udp!.dstport))),
  'udp.port': udp((f, out, n) => out.push(valueNode(n, f.ctx.udp!.srcport), valueNode(n, f.ctx.udp!.dstport))),
  'udp.length': udp((f, out, n) => out.push(valueNode(n, f.ctx.udp!.len))),

  'dns.qry.name': collected((s) => s),
  'tls.handshake.extensions_server_name': collected((s) => s),
  'http.request.method': collected((s) => s),
  'http.request.uri': collected((s) => s),
  'http.response.code': collected(Number),
  // Every request shows its method and the hidden http.request flag, every response its code and http.response.
  'http.request': collected(() => true, 'http.request.method'),
  'http.response': collected(() => true, 'http.response.code'),

  'icmp.type': icmp(0),
  'icmp.code': icmp(1)
}

for (const def of TCP_FLAG_FIELDS) {
  const mask = def.mask!
  READERS[def.name] = tcpValue((f) => (f.ctx.tcp!.flags & mask) !== 0)
}

const seqAck = emptySeqAck()

for (const [name, count] of Object.entries(ANALYSIS_COUNT)) {
  READERS[name] = tcp((f, out) => {
    const view = viewFor(f)
    if (!view) return
    if (PRESENT_ONLY.has(name)) {
      // Whether the tree has them follows from the SEQ/ACK details the pass recorded.
      const p = analysisPresence(view.flags, f.streams.seqAcks.get(f.no, seqAck) ? seqAck.bits : undefined)
      pushPresent(out, name, name === 'tcp.analysis' ? p & 1 : (p >> 1) & 1)
    } else pushPresent(out, name, count(view.flags))
  })
}

function presence(name: string): Read {
  if (name === 'pkt_comment') return (f, out) => (f.comments.length > 0 && out.push(valueNode(name, null)), EXACT)
  return (f, out) => {
    // Malformed frames take the tree: a dissector stopped somewhere, possibly after naming itself.
    if (f.ctx.malformed) return DECLINE
    // "ip:ipv6": the ip dissector names itself for a version-6 packet without adding a subtree.
    if (name === 'ip' && f.nIp > 0 && f.nIpv6 > 0) return DECLINE
    if (f.ctx.protocols.includes(name)) out.push(valueNode(name, null))
    return EXACT
  }
}

/** Readers over a summary dissection (see decide.ts). */
export function summaryReader(use: FieldUse): FieldReader<SummaryFrame> | undefined {
  const name = use.name
  // The frame's data is all of the frame's bytes, whatever else the filter asks of it.
  if (name === 'frame' && !use.layers) return (f, out) => (out.push(valueNode(name, f.data)), EXACT)
  if (use.def.type === 'protocol') {
    // A protocol's value is its bytes in the tree: only presence is known here.
    if (use.values || use.count || use.bytes) return undefined
    if (name !== 'pkt_comment' && !PRESENCE.has(name)) return undefined
    const read = presence(name)
    return (f, out) => read(f, out, name)
  }
  const read = READERS[name]
  if (!read) return undefined
  // Malformed frames take the tree: a dissector stopped somewhere, possibly after some of its nodes.
  if (name in FRAME_READERS || name === 'frame.comment') return (f, out) => read(f, out, name)
  return (f, out) => (f.ctx.malformed ? DECLINE : read(f, out, name))
}

/**
 * Protocols whose nodes always lie in the bytes the dissection read: the frame's, or for the
 * frame completing an IP datagram, the reassembled datagram (ctx.net.reassembled).
 */
const IN_FRAME = new Set(['eth', 'ip', 'ipv6', 'tcp', 'udp'])

/** See decide.ts HaystackLookup. */
export function summaryHaystack(protocol: string): ((f: SummaryFrame) => Uint8Array) | undefined {
  return IN_FRAME.has(protocol) ? (f) => f.ctx.net?.reassembled ?? f.data : undefined
}

/**
 * Fields and protocols whose readers need the application layers carried by TCP (HTTP, TLS,
 * DNS over TCP ...): the others read the same from a dissection that stops at the TCP header.
 */
const NEEDS_TCP_PAYLOAD = new Set(['frame.protocols', ...SUMMARY_COLLECTED, 'http.request', 'http.response', 'dns', 'http', 'tls', 'quic', 'data'])

/** True when summaryReader's answer for `name` depends on dissecting TCP payloads. */
export function needsTcpPayload(name: string): boolean {
  return NEEDS_TCP_PAYLOAD.has(name)
}

/** Every field and protocol summaryReader knows (for tests and reports). */
export const SUMMARY_FIELDS: readonly string[] = ['frame', 'pkt_comment', ...PRESENCE, ...Object.keys(READERS)]
