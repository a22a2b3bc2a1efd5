// Hand-built frames for the transport/application dissector tests: Ethernet + IPv4 + TCP/UDP
// with correct lengths, and a tiny pcap writer for tests that go through the CLI or tshark.
import { writeFileSync } from 'node:fs'
import type { FrameInput } from '../src/main/dissect'

export interface TcpSpec {
  src?: string
  dst?: string
  sport: number
  dport: number
  seq: number
  ack?: number
  flags: number
  window?: number
  options?: number[]
  payload?: Uint8Array | string
  /** Claimed header length in bytes (default: 20 + options, padded to 4). */
  hdrLen?: number
}

export const FIN = 0x01
export const SYN = 0x02
export const RST = 0x04
export const PSH = 0x08
export const ACK = 0x10

const bytes = (p: Uint8Array | string | undefined): Uint8Array =>
  p === undefined ? new Uint8Array(0) : typeof p === 'string' ? new TextEncoder().encode(p) : p

function ip4(s: string): number[] {
  return s.split('.').map(Number)
}

/** Ethernet II + IPv4 (+ the given transport header and payload). */
export function ipv4Frame(proto: number, src: string, dst: string, transport: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + 20 + transport.length)
  f.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00])
  const ip = 14
  f[ip] = 0x45
  const total = 20 + transport.length
  f[ip + 2] = total >> 8
  f[ip + 3] = total & 0xff
  f[ip + 6] = 0x40
  f[ip + 8] = 64
  f[ip + 9] = proto
  f.set(ip4(src), ip + 12)
  f.set(ip4(dst), ip + 16)
  f.set(transport, 34)
  return f
}

export function tcpSegment(s: TcpSpec): Uint8Array {
  const opts = s.options ?? []
  const optLen = (opts.length + 3) & ~3
  const hdr = s.hdrLen ?? 20 + optLen
  const payload = bytes(s.payload)
  const t = new Uint8Array(20 + optLen + payload.length)
  const v = new DataView(t.buffer)
  v.setUint16(0, s.sport)
  v.setUint16(2, s.dport)
  v.setUint32(4, s.seq >>> 0)
  v.setUint32(8, (s.ack ?? 0) >>> 0)
  v.setUint16(12, ((hdr / 4) << 12) | s.flags)
  v.setUint16(14, s.window ?? 65535)
  t.set(opts, 20)
  t.set(payload, 20 + optLen)
  return t
}

export function tcpFrame(s: TcpSpec): Uint8Array {
  return ipv4Frame(6, s.src ?? '10.0.0.1', s.dst ?? '10.0.0.2', tcpSegment(s))
}

export function udpFrame(sport: number, dport: number, payload: Uint8Array | string, src = '10.0.0.1', dst = '10.0.0.2'): Uint8Array {
  const p = bytes(payload)
  const u = new Uint8Array(8 + p.length)
  const v = new DataView(u.buffer)
  v.setUint16(0, sport)
  v.setUint16(2, dport)
  v.setUint16(4, 8 + p.length)
  u.set(p, 8)
  return ipv4Frame(17, src, dst, u)
}

export function input(data: Uint8Array, number = 1, tsSec = 1_700_000_000, tsNsec = 0): FrameInput {
  return { number, data, origlen: data.length, linktype: 1, interfaceId: 0, hasTs: true, tsSec, tsNsec, comments: [] }
}

/** Writes a classic little-endian µs pcap (link type Ethernet) of these frames, 1 ms apart. */
export function writePcap(path: string, frames: Uint8Array[], start = 1_700_000_000): void {
  const parts: Uint8Array[] = []
  const h = new DataView(new ArrayBuffer(24))
  h.setUint32(0, 0xa1b2c3d4, true)
  h.setUint16(4, 2, true)
  h.setUint16(6, 4, true)
  h.setUint32(16, 262144, true)
  h.setUint32(20, 1, true)
  parts.push(new Uint8Array(h.buffer))
  frames.forEach((f, i) => {
    const r = new DataView(new ArrayBuffer(16))
    r.setUint32(0, start + Math.floor(i / 1000), true)
    r.setUint32(4, (i % 1000) * 1000, true)
    r.setUint32(8, f.length, true)
    r.setUint32(12, f.length, true)
    parts.push(new Uint8Array(r.buffer), f)
  })
  writeFileSync(path, Buffer.concat(parts))
}

// ---- application payload builders ------------------------------------------------------

/** A DNS name in wire form (no compression). */
export function dnsName(name: string): number[] {
  const out: number[] = []
  for (const label of name.split('.').filter(Boolean)) {
    out.push(label.length, ...new TextEncoder().encode(label))
  }
  out.push(0)
  return out
}

const u16 = (v: number) => [v >> 8, v & 0xff]
const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]

export interface DnsRr {
  name: number[]
  type: number
  cls?: number
  ttl?: number
  rdata: number[]
}

/** A DNS message: header, questions (name, type) and answer/authority/additional RRs. */
export function dnsMessage(opts: { id: number; flags: number; questions: [number[], number][]; answers?: DnsRr[]; authority?: DnsRr[]; additional?: DnsRr[] }): Uint8Array {
  const rr = (r: DnsRr) => [...r.name, ...u16(r.type), ...u16(r.cls ?? 1), ...u32(r.ttl ?? 300), ...u16(r.rdata.length), ...r.rdata]
  const a = opts.answers ?? []
  const ns = opts.authority ?? []
  const ar = opts.additional ?? []
  return new Uint8Array([
    ...u16(opts.id), ...u16(opts.flags), ...u16(opts.questions.length), ...u16(a.length), ...u16(ns.length), ...u16(ar.length),
    ...opts.questions.flatMap(([n, t]) => [...n, ...u16(t), ...u16(1)]),
    ...a.flatMap(rr), ...ns.flatMap(rr), ...ar.flatMap(rr)
  ])
}

export function tlsRecord(type: number, version: number, body: number[]): number[] {
  return [type, ...u16(version), ...u16(body.length), ...body]
}

export function tlsHandshake(type: number, body: number[]): number[] {
  return [type, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff, ...body]
}

function ext(type: number, data: number[]): number[] {
  return [...u16(type), ...u16(data.length), ...data]
}

/** ClientHello with SNI, ALPN, supported_versions and supported_groups. */
export function clientHello(sni: string, alpn: string[], versions: number[]): number[] {
  const name = [...new TextEncoder().encode(sni)]
  const alpnList = alpn.flatMap((p) => [p.length, ...new TextEncoder().encode(p)])
  const exts = [
    ...ext(0, [...u16(name.length + 3), 0, ...u16(name.length), ...name]),
    ...ext(10, [...u16(4), ...u16(0x001d), ...u16(0x0017)]),
    ...ext(16, [...u16(alpnList.length), ...alpnList]),
    ...ext(43, [versions.length * 2, ...versions.flatMap(u16)]),
    ...ext(0x0a0a, [])
  ]
  const body = [
    ...u16(0x0303), ...new Array(32).fill(7), 32, ...new Array(32).fill(9),
    ...u16(6), ...u16(0x1301), ...u16(0xc02f), ...u16(0x0a0a), 1, 0,
    ...u16(exts.length), ...exts
  ]
  return tlsHandshake(1, body)
}

export function serverHello(version: number | null, suite = 0x1301): number[] {
  const exts = version === null ? [] : ext(43, u16(version))
  const body = [...u16(0x0303), ...new Array(32).fill(5), 32, ...new Array(32).fill(9), ...u16(suite), 0, ...u16(exts.length), ...exts]
  return tlsHandshake(2, body)
}
