// A frame that completed an IPv4/IPv6 datagram, re-dissected alone (the details pane, rows,
// filters, exports), shows what the sequential pass showed: redissect replays the fragments the
// pass recorded (SequentialDecoder.datagrams). Crafted captures cover what the corpus lacks:
// IPv6 fragment headers, overlapping and out-of-order fragments, a datagram straddling thousands
// of packets, TCP segments in fragments that are part of a multi-segment PDU, UDP (DNS, QUIC) in
// fragments, and enough datagrams for the records to spill. Each is checked against tshark and
// against the session as the app uses it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatagramRecords } from '../src/main/analysis/frame-records'
import { openCaptureFile } from '../src/main/capfile/open'
import { PcapngWriter } from '../src/main/capfile/pcapng/writer'
import type { FrameInput } from '../src/main/dissect'
import type { FieldNode } from '../src/main/dissect/fields'
import { formatNode } from '../src/main/dissect/format'
import { labelOf } from '../src/main/dissect/label'
import { frameInput, redissect, SequentialDecoder, TCP_FLAGS, type TcpPacketRecord } from '../src/main/engine/decoder'
import { FieldsRenderer } from '../src/main/engine/fields'
import type { TreeNode } from '../src/shared/contract'
import { appHarness } from './app-support'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

// ---- building frames ---------------------------------------------------------------------

const enc = new TextEncoder()

function concat(parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const u16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff]
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]

function sum16(parts: ArrayLike<number>[]): number {
  let s = 0
  for (const p of parts) {
    for (let i = 0; i + 1 < p.length; i += 2) s += (p[i]! << 8) | p[i + 1]!
    if (p.length & 1) s += p[p.length - 1]! << 8
  }
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16)
  return ~s & 0xffff
}

type Addr = number[]
const v4 = (t: string): Addr => t.split('.').map(Number)
function v6(t: string): Addr {
  const [head, tail] = t.split('::') as [string, string?]
  const groups = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const h = groups(head)
  const tl = groups(tail)
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - tl.length).fill(0), ...tl]
  return all.flatMap(u16)
}

/** A transport header + payload with its checksum over the pseudo header of src/dst. */
function transport(proto: 6 | 17, src: Addr, dst: Addr, seg: Uint8Array): Uint8Array {
  const pseudo = src.length === 4 ? [...src, ...dst, 0, proto, ...u16(seg.length)] : [...src, ...dst, ...u32(seg.length), 0, 0, 0, proto]
  const at = proto === 6 ? 16 : 6
  seg[at] = 0
  seg[at + 1] = 0
  const c = sum16([pseudo, seg])
  const v = proto === 17 && c === 0 ? 0xffff : c
  seg[at] = v >>> 8
  seg[at + 1] = v & 0xff
  return seg
}

interface Tcp {
  sport: number
  dport: number
  seq: number
  ack: number
  flags: number
  payload?: string | Uint8Array
}

function tcpSegment(src: Addr, dst: Addr, t: Tcp): Uint8Array {
  const body = typeof t.payload === 'string' ? enc.encode(t.payload) : (t.payload ?? new Uint8Array(0))
  const seg = concat([[...u16(t.sport), ...u16(t.dport), ...u32(t.seq), ...u32(t.ack), 0x50, t.flags, ...u16(65535), 0, 0, 0, 0], body])
  return transport(6, src, dst, seg)
}

function udpDatagram(src: Addr, dst: Addr, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return transport(17, src, dst, concat([[...u16(sport), ...u16(dport), ...u16(8 + payload.length), 0, 0], payload]))
}

const MAC_C = [0x02, 0, 0, 0, 0, 1]
const MAC_S = [0x02, 0, 0, 0, 0, 2]
const eth = (type: number, payload: Uint8Array, toServer = true): Uint8Array =>
  concat([toServer ? MAC_S : MAC_C, toServer ? MAC_C : MAC_S, u16(type), payload])

function ipv4Header(src: Addr, dst: Addr, proto: number, id: number, fragOff: number, more: boolean, payloadLen: number, df = false): number[] {
  const h = [0x45, 0, ...u16(20 + payloadLen), ...u16(id), ...u16((df ? 0x4000 : 0) | (more ? 0x2000 : 0) | (fragOff >>> 3)), 64, proto, 0, 0, ...src, ...dst]
  const c = sum16([h])
  h[10] = c >>> 8
  h[11] = c & 0xff
  return h
}

/** One fragment: payload bytes [off, off + len) of the datagram (off a multiple of 8). */
interface Piece {
  off: number
  len: number
  /** Bytes to send instead of the datagram's own (a conflicting overlap). */
  data?: Uint8Array
}

function ipv4Packet(src: Addr, dst: Addr, proto: number, payload: Uint8Array, id = 0): Uint8Array {
  return concat([ipv4Header(src, dst, proto, id, 0, false, payload.length, true), payload])
}

function ipv4Fragment(src: Addr, dst: Addr, proto: number, id: number, payload: Uint8Array, p: Piece): Uint8Array {
  const end = Math.min(payload.length, p.off + p.len)
  const bytes = p.data ?? payload.subarray(p.off, end)
  return concat([ipv4Header(src, dst, proto, id, p.off, end < payload.length, bytes.length), bytes])
}

/** Cuts `total` bytes into fragments of at most `size` (a multiple of 8) bytes. */
function cut(total: number, size: number): Piece[] {
  const out: Piece[] = []
  for (let off = 0; off < total; off += size) out.push({ off, len: Math.min(size, total - off) })
  return out
}

function ipv6Packet(src: Addr, dst: Addr, next: number, payload: Uint8Array): Uint8Array {
  return concat([[0x60, 0, 0, 0, ...u16(payload.length), next, 64, ...src, ...dst], payload])
}

function ipv6Fragment(src: Addr, dst: Addr, next: number, id: number, payload: Uint8Array, p: Piece): Uint8Array {
  const end = Math.min(payload.length, p.off + p.len)
  const bytes = p.data ?? payload.subarray(p.off, end)
  const more = end < payload.length
  return ipv6Packet(src, dst, 44, concat([[next, 0, ...u16(p.off | (more ? 1 : 0)), ...u32(id)], bytes]))
}

function httpGet(uri: string, padTo: number): string {
  const head = `GET ${uri} HTTP/1.1\r\nHost: example.test\r\nUser-Agent: wirenote-test\r\n`
  const pad = Math.max(0, padTo - head.length - 'X-Pad: \r\n\r\n'.length)
  return `${head}X-Pad: ${'p'.repeat(pad)}\r\n\r\n`
}

function dnsResponse(id: number, name: string, answers: number): Uint8Array {
  const qname = concat([...name.split('.').flatMap((l) => [[l.length], enc.encode(l)]), [0]])
  const rr = (k: number): number[] => [0xc0, 0x0c, 0, 1, 0, 1, ...u32(300), 0, 4, 10, 0, (k >>> 8) & 0xff, k & 0xff]
  const rrs: number[] = []
  for (let k = 0; k < answers; k++) rrs.push(...rr(k))
  return concat([[...u16(id), 0x81, 0x80, 0, 1, ...u16(answers), 0, 0, 0, 0], qname, [0, 1, 0, 1], rrs])
}

/** A capture under construction: Ethernet frames 1 ms apart. */
class Cap {
  readonly frames: { data: Uint8Array; linktype: number }[] = []
  add(data: Uint8Array, linktype = 1): number {
    this.frames.push({ data, linktype })
    return this.frames.length
  }
  write(path: string): string {
    const w = PcapngWriter.toFile(path)
    const ifaces = new Map<number, number>()
    this.frames.forEach((f, i) => {
      let id = ifaces.get(f.linktype)
      if (id === undefined) ifaces.set(f.linktype, (id = w.addInterface({ linktype: f.linktype, name: `if${f.linktype}` })))
      w.writePacket({ interfaceId: id, timestamp: { sec: 1_700_000_000 + Math.floor(i / 1000), nsec: (i % 1000) * 1_000_000 }, data: f.data })
    })
    w.close()
    return path
  }
}

const C4 = v4('192.0.2.10')
const S4 = v4('198.51.100.80')
const C6 = v6('2001:db8::10')
const S6 = v6('2001:db8::80')
const ACK = 0x10
const PSH_ACK = 0x18
const SYN = 0x02

/** Handshake of a conversation, IPv4 or IPv6, unfragmented. */
function handshake(cap: Cap, c: Addr, s: Addr, cport: number, isn: number, sisn: number): void {
  const v6 = c.length === 16
  const pkt = (src: Addr, dst: Addr, t: Tcp): Uint8Array =>
    v6 ? eth(0x86dd, ipv6Packet(src, dst, 6, tcpSegment(src, dst, t)), src === c) : eth(0x0800, ipv4Packet(src, dst, 6, tcpSegment(src, dst, t)), src === c)
  cap.add(pkt(c, s, { sport: cport, dport: 80, seq: isn, ack: 0, flags: SYN }))
  cap.add(pkt(s, c, { sport: 80, dport: cport, seq: sisn, ack: isn + 1, flags: SYN | ACK }))
  cap.add(pkt(c, s, { sport: cport, dport: 80, seq: isn + 1, ack: sisn + 1, flags: ACK }))
}

function v4Tcp(src: Addr, dst: Addr, t: Tcp, toServer: boolean): Uint8Array {
  return eth(0x0800, ipv4Packet(src, dst, 6, tcpSegment(src, dst, t)), toServer)
}

// ---- the scenarios -----------------------------------------------------------------------

interface Scenario {
  name: string
  build(dir: string): string
  /** Frames that complete a datagram carrying TCP, with the URI tshark shows there ('' none). */
  completing?: Record<number, string>
  session?: boolean
  /** Compare whole trees of every n-th frame only (labels are costly); Info, protocols and fields of all. */
  treeEvery?: number
}

/** An HTTP GET in 4 IPv4 fragments spread over 3000 other packets (another conversation, DNS, another fragmented datagram). */
function straddle(dir: string): string {
  const cap = new Cap()
  handshake(cap, C4, S4, 40000, 1000, 5000)
  const req = tcpSegment(C4, S4, { sport: 40000, dport: 80, seq: 1001, ack: 5001, flags: PSH_ACK, payload: httpGet('/straddle?x=1', 1400) })
  const pieces = cut(req.length, 368)
  const frag = (k: number): Uint8Array => eth(0x0800, ipv4Fragment(C4, S4, 6, 0x1234, req, pieces[k]!))
  cap.add(frag(0))
  handshake(cap, C4, S4, 40001, 7000, 9000)
  const dns = udpDatagram(S4, C4, 53, 33000, dnsResponse(0x4242, 'straddle.example', 100))
  const dnsPieces = cut(dns.length, 800)
  let seq = 7001
  for (let i = 0; i < 3000; i++) {
    if (i === 700) cap.add(frag(2))
    if (i === 1000) cap.add(eth(0x0800, ipv4Fragment(S4, C4, 17, 0x77, dns, dnsPieces[1]!), false))
    if (i === 1500) cap.add(frag(1))
    if (i === 2000) cap.add(eth(0x0800, ipv4Fragment(S4, C4, 17, 0x77, dns, dnsPieces[0]!), false))
    if (i % 3 === 0) {
      cap.add(v4Tcp(C4, S4, { sport: 40001, dport: 80, seq, ack: 9001, flags: PSH_ACK, payload: 'GET /other HTTP/1.1\r\nHost: o\r\n\r\n' }, true))
      seq += 32
    } else if (i % 3 === 1) cap.add(v4Tcp(S4, C4, { sport: 80, dport: 40001, seq: 9001, ack: seq, flags: ACK }, false))
    else cap.add(eth(0x0800, ipv4Packet(S4, C4, 17, udpDatagram(S4, C4, 53, 33001, dnsResponse(i, 'filler.example', 1))), false))
  }
  cap.add(frag(3)) // completes the request: frame 3012
  cap.add(v4Tcp(S4, C4, { sport: 80, dport: 40000, seq: 5001, ack: 1001 + req.length - 20, flags: PSH_ACK, payload: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' }, false))
  return cap.write(join(dir, 'straddle.pcapng'))
}

/** Out-of-order and overlapping fragments (same bytes, and a conflicting copy), and a retransmission of the whole request in new fragments. */
function overlap(dir: string): string {
  const cap = new Cap()
  handshake(cap, C4, S4, 41000, 100, 200)
  const req = tcpSegment(C4, S4, { sport: 41000, dport: 80, seq: 101, ack: 201, flags: PSH_ACK, payload: httpGet('/overlap', 1000) })
  const add = (id: number, p: Piece): number => cap.add(eth(0x0800, ipv4Fragment(C4, S4, 6, id, req, p)))
  const conflicting = new Uint8Array(req.subarray(600, 616)).fill(0x7a) // inside X-Pad's value
  add(0x10, { off: 800, len: 4000 }) // the last fragment first
  add(0x10, { off: 200, len: 400 })
  add(0x10, { off: 600, len: 16, data: conflicting }) // overlaps nothing yet, later fragments overlap it
  add(0x10, { off: 400, len: 408 }) // overlaps both neighbours with the same bytes
  add(0x10, { off: 200, len: 200 }) // a duplicate
  add(0x10, { off: 0, len: 208 }) // completes: frame 9
  cap.add(v4Tcp(S4, C4, { sport: 80, dport: 41000, seq: 201, ack: 101, flags: ACK }, false))
  // the same segment again, in two fragments, in reverse order: a retransmission
  add(0x11, { off: 512, len: 4000 })
  add(0x11, { off: 0, len: 512 }) // completes: frame 12
  cap.add(v4Tcp(S4, C4, { sport: 80, dport: 41000, seq: 201, ack: 101 + req.length - 20, flags: PSH_ACK, payload: 'HTTP/1.1 204 No Content\r\n\r\n' }, false))
  return cap.write(join(dir, 'overlap.pcapng'))
}

/** IPv6 with fragment headers: a request, a fragmented response, and a DNS answer over UDP. */
function ipv6(dir: string): string {
  const cap = new Cap()
  handshake(cap, C6, S6, 42000, 3000, 4000)
  const req = tcpSegment(C6, S6, { sport: 42000, dport: 80, seq: 3001, ack: 4001, flags: PSH_ACK, payload: httpGet('/v6?frag=yes', 1300) })
  const pieces = cut(req.length, 512)
  cap.add(eth(0x86dd, ipv6Fragment(C6, S6, 6, 0xabcdef01, req, pieces[1]!)))
  cap.add(eth(0x86dd, ipv6Fragment(C6, S6, 6, 0xabcdef01, req, pieces[2]!)))
  cap.add(eth(0x86dd, ipv6Fragment(C6, S6, 6, 0xabcdef01, req, pieces[0]!))) // completes: frame 6
  const body = 'x'.repeat(900)
  const res = tcpSegment(S6, C6, { sport: 80, dport: 42000, seq: 4001, ack: 3001 + req.length - 20, flags: PSH_ACK, payload: `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}` })
  for (const p of cut(res.length, 504)) cap.add(eth(0x86dd, ipv6Fragment(S6, C6, 6, 0x55, res, p), false)) // completes: frame 8
  const dns = udpDatagram(S6, C6, 53, 34000, dnsResponse(0x6666, 'v6.example', 90))
  const dp = cut(dns.length, 600)
  cap.add(eth(0x86dd, ipv6Fragment(S6, C6, 17, 0x56, dns, dp[1]!), false))
  cap.add(eth(0x86dd, ipv6Fragment(S6, C6, 17, 0x56, dns, dp[0]!), false))
  return cap.write(join(dir, 'ipv6.pcapng'))
}

/** An HTTP request in three TCP segments (one PDU); the first and last segments come in IP fragments. */
function pdu(dir: string): string {
  const cap = new Cap()
  handshake(cap, C4, S4, 43000, 500, 600)
  const text = httpGet('/pdu/in/fragments', 2400)
  const parts = [text.slice(0, 1100), text.slice(1100, 1300), text.slice(1300)]
  let seq = 501
  const segs = parts.map((p) => {
    const s = tcpSegment(C4, S4, { sport: 43000, dport: 80, seq, ack: 601, flags: PSH_ACK, payload: p })
    seq += p.length
    return s
  })
  const a = cut(segs[0]!.length, 400)
  cap.add(eth(0x0800, ipv4Fragment(C4, S4, 6, 0x2001, segs[0]!, a[0]!)))
  cap.add(v4Tcp(S4, C4, { sport: 80, dport: 43000, seq: 601, ack: 501, flags: ACK }, false))
  cap.add(eth(0x0800, ipv4Fragment(C4, S4, 6, 0x2001, segs[0]!, a[2]!)))
  cap.add(eth(0x0800, ipv4Fragment(C4, S4, 6, 0x2001, segs[0]!, a[1]!))) // segment 1: frame 7
  cap.add(eth(0x0800, ipv4Packet(C4, S4, 6, segs[1]!, 0x2002))) // segment 2: frame 8
  const b = cut(segs[2]!.length, 656)
  cap.add(eth(0x0800, ipv4Fragment(C4, S4, 6, 0x2003, segs[2]!, b[0]!)))
  cap.add(v4Tcp(S4, C4, { sport: 80, dport: 43000, seq: 601, ack: 501 + 1300, flags: ACK }, false))
  cap.add(eth(0x0800, ipv4Fragment(C4, S4, 6, 0x2003, segs[2]!, b[1]!))) // segment 3, the PDU: frame 11
  cap.add(v4Tcp(S4, C4, { sport: 80, dport: 43000, seq: 601, ack: seq, flags: PSH_ACK, payload: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' }, false))
  return cap.write(join(dir, 'pdu.pcapng'))
}

/** The corpus QUIC handshake (NULL/IPv6) with every whole packet split into two IPv6 fragments, every other one in reverse order. */
function quic(dir: string): string {
  const cap = new Cap()
  const reader = openCaptureFile(CORPUS + 'tcpdump-quic_handshake_truncated.pcap')
  let id = 1
  for (let rec = reader.next(); rec; rec = reader.next()) {
    const d = rec.data.slice()
    const ip = d.subarray(4)
    if (rec.caplen !== rec.origlen || ip[0]! >> 4 !== 6 || ip[6] !== 17) {
      cap.add(d, rec.linktype)
      continue
    }
    const src = Array.from(ip.subarray(8, 24))
    const dst = Array.from(ip.subarray(24, 40))
    const payload = ip.subarray(40)
    const pieces = cut(payload.length, 16)
    const frags = [pieces[0]!, { off: 16, len: payload.length - 16 }].map((p) => concat([d.subarray(0, 4), ipv6Fragment(src, dst, 17, id, payload, p)]))
    if (id % 2 === 0) frags.reverse()
    for (const f of frags) cap.add(f, rec.linktype)
    id++
  }
  reader.close()
  return cap.write(join(dir, 'quic.pcapng'))
}

/** 17 000 DNS answers in two IPv4 fragments each: more completing frames than the records keep resident. */
function bulk(dir: string): string {
  const cap = new Cap()
  for (let i = 0; i < 17_000; i++) {
    const dns = udpDatagram(S4, C4, 53, 20000 + (i % 30000), dnsResponse(i & 0xffff, 'bulk.example', 3))
    const p = cut(dns.length, 48)
    const frags = p.map((x) => eth(0x0800, ipv4Fragment(S4, C4, 17, i & 0xffff, dns, x), false))
    if (i % 2) frags.reverse()
    for (const f of frags) cap.add(f)
  }
  return cap.write(join(dir, 'bulk.pcapng'))
}

const corpusFile = (name: string) => (): string => CORPUS + name

const SCENARIOS: Scenario[] = [
  { name: 'pcpp-frag_http_req.pcap', build: corpusFile('pcpp-frag_http_req.pcap'), completing: { 11: '/convert_data.js?partner_id=29' }, session: true },
  { name: 'straddle', build: straddle, completing: { 3012: '/straddle?x=1' }, session: true },
  // tshark leaves a retransmission's payload undissected: frame 12 is TCP only
  { name: 'overlap', build: overlap, completing: { 9: '/overlap', 12: '' }, session: true },
  { name: 'ipv6', build: ipv6, completing: { 6: '/v6?frag=yes', 8: '' }, session: true },
  { name: 'pdu', build: pdu, completing: { 7: '', 11: '/pdu/in/fragments' }, session: true },
  { name: 'quic', build: quic, session: true },
  { name: 'bulk', build: bulk, treeEvery: 7 }
]

// ---- the checks --------------------------------------------------------------------------

/** Every node in tree order: depth, name=value, bytes, flags, label, expert note. */
function flatten(nodes: readonly FieldNode[], out: string[] = [], depth = 0): string[] {
  for (const n of nodes) {
    const flags = `${n.hidden ? 'H' : ''}${n.generated ? 'G' : ''}`
    const expert = n.expert ? ` !${n.expert.severity}:${n.expert.message}` : ''
    out.push(`${depth} ${n.name ? `${n.name}=${formatNode(n)}` : '-'} @${n.off}+${n.len} ${flags} "${labelOf(n)}"${expert}`)
    if (n.children) flatten(n.children, out, depth + 1)
  }
  return out
}

const FIELDS = ['frame.number', 'frame.protocols', 'tcp.stream', 'http.request.uri']

function tshark(path: string, args: string[]): string[] {
  const out = execFileSync('tshark', ['-n', '-r', path, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })
  return out.split('\n').filter((l) => l !== '')
}

function copy(f: FrameInput): FrameInput {
  return { ...f, data: f.data.slice(), comments: [...f.comments] }
}

interface PassResult {
  /** tshark -T fields lines from the sequential tree pass and from redissect of each frame alone. */
  seqLines: string[]
  redLines: string[]
  diffs: string[]
  datagrams: number
  datagramBytes: number
}

/** The sequential tree pass, then every frame re-dissected alone (tree and summary), compared. */
function passAndRedissect(path: string, treeEvery = 1): PassResult {
  const reader = openCaptureFile(path)
  const dec = new SequentialDecoder({ tree: true })
  const summary = new SequentialDecoder({ tree: false })
  const fields = new FieldsRenderer(FIELDS)
  const frames: FrameInput[] = []
  const seq: { flat: string[]; info: string; protocols: string; record: TcpPacketRecord }[] = []
  const seqLines: string[] = []
  const recordDiffs: string[] = []
  for (let rec = reader.next(); rec; rec = reader.next()) {
    const input = copy(frameInput(rec, reader))
    frames.push(input)
    const p = dec.decode(copy(input))
    const s = summary.decode(copy(input))
    // the session indexes in summary mode: same records
    if (s.tcp.stream !== p.tcp.stream || s.tcp.flags !== p.tcp.flags) recordDiffs.push(`frame ${input.number} record`)
    seq.push({ flat: input.number % treeEvery === 0 ? flatten(p.dissection.tree) : [], info: p.dissection.ctx.info, protocols: s.dissection.ctx.protocols.join(':'), record: p.tcp })
    seqLines.push(fields.line(p.dissection))
  }
  reader.close()
  // the session's decoder is the summary one: its records drive redissect
  const readFrame = (no: number): FrameInput | null => (frames[no - 1] ? copy(frames[no - 1]!) : null)
  const diffs: string[] = [...recordDiffs]
  const redLines: string[] = []
  frames.forEach((input, i) => {
    const s = seq[i]!
    const stored: TcpPacketRecord = { stream: s.record.stream, flags: s.record.flags }
    const opts = {
      pdu: summary.pdus.get(input.number),
      dupAck: summary.dupAcks.get(input.number),
      quic: summary.quicConnections,
      datagrams: summary.datagrams,
      readFrame
    }
    const d = redissect(copy(input), stored, summary.streams, opts)
    redLines.push(fields.line(d))
    const flat = input.number % treeEvery === 0 ? flatten(d.tree) : []
    if (s.flat.join('\n') !== flat.join('\n')) {
      const k = s.flat.findIndex((x, j) => x !== flat[j])
      diffs.push(`frame ${input.number}: sequential ${s.flat[k] ?? '<end>'} / redissect ${flat[k] ?? '<end>'}`)
    }
    if (!(stored.flags & TCP_FLAGS.NOT_DISSECTED) && d.ctx.info !== s.info) diffs.push(`frame ${input.number} info: "${s.info}" / "${d.ctx.info}"`)
    const sum = redissect(copy(input), stored, summary.streams, { ...opts, tree: false })
    if (sum.ctx.protocols.join(':') !== s.protocols) diffs.push(`frame ${input.number} summary protocols: ${s.protocols} / ${sum.ctx.protocols.join(':')}`)
  })
  const result = { seqLines, redLines, diffs, datagrams: (summary.datagrams as DatagramRecords).size, datagramBytes: summary.memory().datagrams }
  dec.close()
  summary.close()
  return result
}

const app = appHarness()
const call = app.call

async function filtered(text: string): Promise<number[]> {
  const f = await call('view.filter', { text })
  if (!f.ok) throw new Error(f.error.message)
  const out: number[] = []
  for (let start = 0; start < f.total; start += 2000) {
    const { rows } = await call('view.rows', { start, count: 2000 })
    out.push(...rows.map((r) => r.no))
  }
  return out
}

function protocolsOf(tree: readonly TreeNode[]): string[] {
  return tree.map((n) => n.name)
}

function findNode(nodes: readonly TreeNode[], name: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.name === name) return n
    const c = n.children && findNode(n.children, name)
    if (c) return c
  }
  return undefined
}

let dir = ''
const paths = new Map<string, string>()
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirenote-defrag-'))
  for (const s of SCENARIOS) paths.set(s.name, s.build(dir))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('redissect of a frame that completed an IP datagram', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: same tree and Info as the pass, same fields as tshark`, () => {
      const path = paths.get(s.name)!
      const r = passAndRedissect(path, s.treeEvery)
      expect(r.diffs.slice(0, 10)).toEqual([])
      const want = tshark(path, ['-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])])
      expect(r.seqLines).toEqual(want)
      expect(r.redLines).toEqual(want)
      for (const [no, uri] of Object.entries(s.completing ?? {})) {
        const line = want[Number(no) - 1]!.split('\t')
        expect(line[1], `frame ${no}`).toMatch(/:tcp(:|$)/)
        expect(line[3], `frame ${no}`).toBe(uri)
      }
      if (s.name === 'bulk') {
        expect(r.datagrams).toBe(17_000)
        // 4 resident chunks of 4096 records (frame, list start, count) and of 16 Ki list entries
        expect(r.datagramBytes).toBeLessThanOrEqual(4 * 4096 * 16 + 4 * 16384 * 4)
      }
    }, 120_000)
  }
})

describe('the session shows reassembled datagrams like tshark', () => {
  for (const s of SCENARIOS.filter((x) => x.session)) {
    it(s.name, async () => {
      const path = paths.get(s.name)!
      await app.start()
      await call('file.open', { path })
      const num = (filter: string): number[] => tshark(path, ['-Y', filter, '-T', 'fields', '-e', 'frame.number']).map(Number)
      for (const filter of ['http', 'tcp.stream == 0', 'tcp', 'udp', 'dns', 'quic', 'http.request.uri contains "/"', 'tcp.len > 1000', 'tcp.analysis.retransmission', 'ip.flags.mf == 1 || ipv6.fraghdr']) {
        expect(await filtered(filter), filter).toEqual(num(filter))
      }
      for (const [no, uri] of Object.entries(s.completing ?? {})) {
        const details = await call('packet.details', { no: Number(no) })
        const names = protocolsOf(details.tree)
        expect(names, `frame ${no}`).toContain('tcp')
        const stream = tshark(path, ['-Y', `frame.number == ${no}`, '-T', 'fields', '-e', 'tcp.stream'])[0]
        expect(findNode(details.tree, 'tcp.stream')?.label, `frame ${no}`).toBe(`[Stream index: ${stream}]`)
        if (uri) {
          expect(names, `frame ${no}`).toContain('http')
          expect(findNode(details.tree, 'http.request.uri')?.label, `frame ${no}`).toBe(`Request URI: ${uri}`)
        }
      }
    }, 120_000)
  }
})

describe('DatagramRecords', () => {
  it('keeps every record through spills and finds it again', () => {
    const r = new DatagramRecords()
    const list = (f: number): number[] => Array.from({ length: (f % 5) + 1 }, (_, k) => f - 5 + k)
    for (let f = 10; f < 200_000; f += 3) r.set(f, list(f))
    expect(r.size).toBe(Math.ceil((200_000 - 10) / 3))
    expect(r.residentBytes).toBeLessThanOrEqual(4 * 4096 * 16 + 4 * 16384 * 4)
    for (const f of [10, 13, 4099 * 3 + 1, 100_000, 199_999, 150_001]) {
      if ((f - 10) % 3 === 0) expect(Array.from(r.get(f)!)).toEqual(list(f))
      else expect(r.get(f)).toBeUndefined()
    }
    expect(r.get(11)).toBeUndefined()
    expect(r.get(300_000)).toBeUndefined()
    r.set(5, [1, 2]) // out of order: kept aside
    expect(Array.from(r.get(5)!)).toEqual([1, 2])
    r.close()
  })
})
