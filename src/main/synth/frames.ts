// Builds well-formed Ethernet/IPv4/TCP and UDP frames with correct checksums. Used to make the
// bundled sample capture and test captures whose content a test controls exactly (e.g. a URI
// and an SNI holding `<script>`), where a live capture would not do.

export function mac(text: string): Uint8Array {
  const parts = text.split(':').map((h) => parseInt(h, 16))
  if (parts.length !== 6 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad MAC ${text}`)
  return Uint8Array.from(parts)
}

export function ipv4(text: string): Uint8Array {
  const parts = text.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !(Number.isInteger(p) && p >= 0 && p <= 255))) throw new Error(`bad IPv4 ${text}`)
  return Uint8Array.from(parts)
}

function checksum(chunks: Uint8Array[]): number {
  let sum = 0
  for (const c of chunks) {
    for (let i = 0; i + 1 < c.length; i += 2) sum += (c[i]! << 8) | c[i + 1]!
    if (c.length & 1) sum += c[c.length - 1]! << 8
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return ~sum & 0xffff
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}

function u16(v: number): Uint8Array {
  return Uint8Array.of(v >>> 8, v & 0xff)
}

function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)
}

export interface L2L3 {
  srcMac: string
  dstMac: string
  src: string
  dst: string
  ttl?: number
  /** IPv4 identification. */
  id?: number
}

function ethernet(h: L2L3, ethertype: number, payload: Uint8Array): Uint8Array {
  return concat([mac(h.dstMac), mac(h.srcMac), u16(ethertype), payload])
}

function ipv4Packet(h: L2L3, proto: number, payload: Uint8Array): Uint8Array {
  const hdr = new Uint8Array(20)
  const v = new DataView(hdr.buffer)
  hdr[0] = 0x45
  v.setUint16(2, 20 + payload.length)
  v.setUint16(4, h.id ?? 0)
  v.setUint16(6, 0x4000) // DF, as Linux sets it on TCP
  hdr[8] = h.ttl ?? 64
  hdr[9] = proto
  hdr.set(ipv4(h.src), 12)
  hdr.set(ipv4(h.dst), 16)
  v.setUint16(10, checksum([hdr]))
  return concat([hdr, payload])
}

function pseudoHeader(h: L2L3, proto: number, length: number): Uint8Array {
  return concat([ipv4(h.src), ipv4(h.dst), Uint8Array.of(0, proto), u16(length)])
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const

export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'sackPerm' }
  | { kind: 'ts'; val: number; ecr: number }
  | { kind: 'nop' }
  | { kind: 'wscale'; shift: number }

function tcpOptions(opts: TcpOption[]): Uint8Array {
  const parts = opts.map((o) => {
    switch (o.kind) {
      case 'mss':
        return concat([Uint8Array.of(2, 4), u16(o.value)])
      case 'sackPerm':
        return Uint8Array.of(4, 2)
      case 'ts':
        return concat([Uint8Array.of(8, 10), u32(o.val), u32(o.ecr)])
      case 'nop':
        return Uint8Array.of(1)
      case 'wscale':
        return Uint8Array.of(3, 3, o.shift)
    }
  })
  const raw = concat(parts)
  const padded = new Uint8Array((raw.length + 3) & ~3)
  padded.set(raw)
  return padded
}

export interface TcpSegment extends L2L3 {
  sport: number
  dport: number
  seq: number
  ack: number
  flags: number
  window: number
  options?: TcpOption[]
  payload?: Uint8Array
}

export function tcpFrame(s: TcpSegment): Uint8Array {
  const opts = tcpOptions(s.options ?? [])
  const payload = s.payload ?? new Uint8Array(0)
  const hdr = new Uint8Array(20 + opts.length)
  const v = new DataView(hdr.buffer)
  v.setUint16(0, s.sport)
  v.setUint16(2, s.dport)
  v.setUint32(4, s.seq >>> 0)
  v.setUint32(8, s.ack >>> 0)
  hdr[12] = (hdr.length / 4) << 4
  hdr[13] = s.flags
  v.setUint16(14, s.window)
  hdr.set(opts, 20)
  const seg = concat([hdr, payload])
  new DataView(seg.buffer).setUint16(16, checksum([pseudoHeader(s, 6, seg.length), seg]))
  return ethernet(s, 0x0800, ipv4Packet(s, 6, seg))
}

export interface UdpDatagram extends L2L3 {
  sport: number
  dport: number
  payload: Uint8Array
}

export function udpFrame(d: UdpDatagram): Uint8Array {
  const dgram = concat([u16(d.sport), u16(d.dport), u16(8 + d.payload.length), u16(0), d.payload])
  const sum = checksum([pseudoHeader(d, 17, dgram.length), dgram])
  new DataView(dgram.buffer).setUint16(6, sum === 0 ? 0xffff : sum)
  return ethernet(d, 0x0800, ipv4Packet(d, 17, dgram))
}

function dnsName(name: string): Uint8Array {
  const labels = name.split('.').filter(Boolean)
  return concat([...labels.flatMap((l) => [Uint8Array.of(l.length), new TextEncoder().encode(l)]), Uint8Array.of(0)])
}

/** A DNS A query, or its answer when `answer` is given (name compressed to the question). */
export function dnsMessage(id: number, name: string, answer?: { addr: string; ttl: number }): Uint8Array {
  const header = concat([u16(id), u16(answer ? 0x8180 : 0x0100), u16(1), u16(answer ? 1 : 0), u16(0), u16(0)])
  const question = concat([dnsName(name), u16(1), u16(1)])
  if (!answer) return concat([header, question])
  const rr = concat([u16(0xc00c), u16(1), u16(1), u32(answer.ttl), u16(4), ipv4(answer.addr)])
  return concat([header, question, rr])
}

/** A TLS 1.3-style ClientHello record carrying SNI, ALPN and supported_versions. */
export function tlsClientHello(serverName: string, random: Uint8Array, alpn: string[] = ['h2', 'http/1.1']): Uint8Array {
  const enc = new TextEncoder()
  const ext = (type: number, body: Uint8Array): Uint8Array => concat([u16(type), u16(body.length), body])
  const host = enc.encode(serverName)
  const sni = ext(0, concat([u16(host.length + 3), Uint8Array.of(0), u16(host.length), host]))
  const protos = concat(alpn.map((p) => concat([Uint8Array.of(p.length), enc.encode(p)])))
  const alpnExt = ext(16, concat([u16(protos.length), protos]))
  const versions = ext(43, Uint8Array.of(4, 0x03, 0x04, 0x03, 0x03))
  const groups = ext(10, concat([u16(4), u16(0x001d), u16(0x0017)]))
  const sigalgs = ext(13, concat([u16(6), u16(0x0403), u16(0x0804), u16(0x0401)]))
  const keyShare = ext(51, concat([u16(36), u16(0x001d), u16(32), random.slice(0, 32).reverse()]))
  const exts = concat([sni, groups, sigalgs, alpnExt, versions, keyShare])
  const suites = concat([u16(6), u16(0x1301), u16(0x1302), u16(0x1303)])
  const body = concat([u16(0x0303), random.slice(0, 32), Uint8Array.of(32), random.slice(0, 32), suites, Uint8Array.of(1, 0), u16(exts.length), exts])
  const hs = concat([Uint8Array.of(1, 0, body.length >>> 8, body.length & 0xff), body])
  return concat([Uint8Array.of(0x16, 0x03, 0x01), u16(hs.length), hs])
}
