// QUIC (RFC 9000/9001) over UDP, found by heuristic as tshark does: long-header packets of a
// known version; once a connection is seen, its short-header packets too. Initial packets are
// protected with keys everyone can derive from the client's first Destination Connection ID,
// so they are decrypted (RFC 9001 §5) and their CRYPTO frames handed to the TLS handshake
// decoder, which is how tshark shows the ServerHello of a QUIC handshake.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto'
import { addLayer, type PacketContext } from '../context'
import { defineField, defineProtocol, node } from '../fields'
import { udpHeuristics } from '../transport/ports'
import { dissectHandshakeMessages } from './tls'

const F = {
  quic: defineProtocol('quic', 'QUIC IETF'),
  packetLength: defineField('quic.packet_length', 'Packet Length', 'uint32'),
  headerForm: defineField('quic.header_form', 'Header Form', 'uint8', { strings: { 0: 'Short Header', 1: 'Long Header' } }),
  longType: defineField('quic.long.packet_type', 'Packet Type', 'uint8', { strings: { 0: 'Initial', 1: '0-RTT', 2: 'Handshake', 3: 'Retry' } }),
  version: defineField('quic.version', 'Version', 'uint32', { base: 'hex' }),
  dcil: defineField('quic.dcil', 'Destination Connection ID Length', 'uint8'),
  dcid: defineField('quic.dcid', 'Destination Connection ID', 'bytes'),
  scil: defineField('quic.scil', 'Source Connection ID Length', 'uint8'),
  scid: defineField('quic.scid', 'Source Connection ID', 'bytes'),
  frameType: defineField('quic.frame_type', 'Frame Type', 'uint32')
}

const INITIAL_SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex')
const LONG_TYPES = ['Initial', '0-RTT', 'Handshake', 'Retry']

interface Conn {
  /** The client's first Destination Connection ID: the Initial keys come from it. */
  odcid: Uint8Array
  clientPort: number
  /** The server's connection ID (its long headers' SCID): client short headers carry it. */
  serverCid?: Uint8Array
}

/**
 * Connections seen so far, keyed by the UDP endpoint pair. The sequential decoder installs
 * a map for the pass; without one (single packets) only long-header packets are recognised.
 */
let connections: QuicConnections | null = null

export interface QuicConnections {
  get(key: string): Conn | undefined
  set(key: string, conn: Conn): unknown
}

export function setQuicConnections(m: QuicConnections | null): QuicConnections | null {
  const prev = connections
  connections = m
  return prev
}

/** For re-dissecting one packet known to belong to a QUIC connection: every pair is one. */
export const ANY_QUIC_CONNECTION: QuicConnections = {
  get: () => ({ odcid: new Uint8Array(0), clientPort: -1 }),
  set: () => undefined
}

function connKey(ctx: PacketContext): string | null {
  const net = ctx.net
  const u = ctx.udp
  if (!net || !u) return null
  const a = hex(ctx.data, net.srcOff, net.srcOff + net.addrLen) + '/' + u.srcport
  const b = hex(ctx.data, net.dstOff, net.dstOff + net.addrLen) + '/' + u.dstport
  return a < b ? a + '|' + b : b + '|' + a
}

function hex(d: Uint8Array, s: number, e: number): string {
  let out = ''
  for (let i = s; i < e; i++) out += d[i]!.toString(16).padStart(2, '0')
  return out
}

/** Variable-length integer (RFC 9000 §16): [value, length] or null past `end`. */
function varint(d: Uint8Array, p: number, end: number): [number, number] | null {
  if (p >= end) return null
  const len = 1 << (d[p]! >> 6)
  if (p + len > end) return null
  let v = d[p]! & 0x3f
  for (let i = 1; i < len; i++) v = v * 256 + d[p + i]!
  return [v, len]
}

function expandLabel(secret: Buffer, label: string, len: number): Buffer {
  const full = Buffer.from('tls13 ' + label, 'ascii')
  const info = Buffer.concat([Buffer.from([len >> 8, len & 0xff, full.length]), full, Buffer.from([0])])
  // HKDF-Expand with one block (all lengths here are ≤ 32).
  return createHmac('sha256', secret).update(Buffer.concat([info, Buffer.from([1])])).digest().subarray(0, len)
}

function initialKeys(odcid: Uint8Array, server: boolean): { key: Buffer; iv: Buffer; hp: Buffer } {
  const initial = createHmac('sha256', INITIAL_SALT_V1).update(odcid).digest()
  const secret = expandLabel(initial, server ? 'server in' : 'client in', 32)
  return { key: expandLabel(secret, 'quic key', 16), iv: expandLabel(secret, 'quic iv', 12), hp: expandLabel(secret, 'quic hp', 16) }
}

/**
 * Removes header protection (which needs only a 16-byte sample, so it works on cut packets) and
 * decrypts an Initial packet: pn is -1 without a sample, plain null when it does not authenticate.
 */
function decryptInitial(d: Uint8Array, start: number, pnOff: number, end: number, sampleEnd: number, odcid: Uint8Array, server: boolean): { pn: number; plain: Uint8Array | null } {
  if (pnOff + 4 + 16 > sampleEnd) return { pn: -1, plain: null }
  const k = initialKeys(odcid, server)
  const ecb = createCipheriv('aes-128-ecb', k.hp, null)
  const mask = ecb.update(Buffer.from(d.subarray(pnOff + 4, pnOff + 20)))
  const first = d[start]! ^ (mask[0]! & 0x0f)
  const pnLen = (first & 3) + 1
  const header = Buffer.from(d.subarray(start, pnOff + pnLen))
  header[0] = first
  let pn = 0
  for (let i = 0; i < pnLen; i++) {
    header[pnOff - start + i] = d[pnOff + i]! ^ mask[1 + i]!
    pn = pn * 256 + header[pnOff - start + i]!
  }
  const nonce = Buffer.from(k.iv)
  for (let i = 0; i < 8; i++) nonce[11 - i]! ^= Math.floor(pn / 2 ** (8 * i)) & 0xff
  const body = d.subarray(pnOff + pnLen, end)
  if (body.length < 16 || end > sampleEnd) return { pn, plain: null }
  try {
    const dec = createDecipheriv('aes-128-gcm', k.key, nonce)
    dec.setAAD(header)
    dec.setAuthTag(Buffer.from(body.subarray(body.length - 16)))
    const out = Buffer.concat([dec.update(body.subarray(0, body.length - 16)), dec.final()])
    return { pn, plain: new Uint8Array(out.buffer, out.byteOffset, out.length) }
  } catch {
    return { pn, plain: null }
  }
}

const FRAME_NAMES: Readonly<Record<number, string>> = {
  0x01: 'PING', 0x02: 'ACK', 0x03: 'ACK', 0x04: 'RESET_STREAM', 0x05: 'STOP_SENDING', 0x06: 'CRYPTO', 0x07: 'NEW_TOKEN',
  0x1c: 'CC', 0x1d: 'CC', 0x1e: 'DONE'
}

/** Names of the frames in a decrypted payload, as tshark lists them in Info (PADDING left out). */
function frameNames(p: Uint8Array): string[] {
  const names: string[] = []
  let i = 0
  while (i < p.length && names.length < 32) {
    const t = varint(p, i, p.length)
    if (!t) break
    i += t[1]
    const type = t[0]
    if (type === 0x00) continue
    const name = FRAME_NAMES[type]
    if (!name) break
    if (names[names.length - 1] !== name || name !== 'PING') names.push(name)
    if (type === 0x01) continue
    if (type === 0x02 || type === 0x03) {
      const vals: number[] = []
      for (let j = 0; j < 4; j++) {
        const v = varint(p, i, p.length)
        if (!v) return names
        vals.push(v[0])
        i += v[1]
      }
      for (let r = 0; r < vals[2]! * 2 + (type === 0x03 ? 3 : 0); r++) {
        const v = varint(p, i, p.length)
        if (!v) return names
        i += v[1]
      }
      continue
    }
    if (type === 0x06) {
      const o = varint(p, i, p.length)
      if (!o) break
      i += o[1]
      const l = varint(p, i, p.length)
      if (!l) break
      i += l[1] + l[0]
      continue
    }
    break
  }
  return names
}

/** CRYPTO frames of a decrypted Initial, joined in offset order (only a prefix starting at 0). */
function cryptoData(p: Uint8Array): Uint8Array | null {
  const parts: [number, Uint8Array][] = []
  let i = 0
  while (i < p.length) {
    const t = varint(p, i, p.length)
    if (!t) break
    i += t[1]
    const type = t[0]
    if (type === 0x00 || type === 0x01) continue
    if (type === 0x02 || type === 0x03) {
      // ACK: largest, delay, range count, first range, ranges..., [ECN counts]
      const vals: number[] = []
      for (let j = 0; j < 4; j++) {
        const v = varint(p, i, p.length)
        if (!v) return null
        vals.push(v[0])
        i += v[1]
      }
      for (let r = 0; r < vals[2]! * 2; r++) {
        const v = varint(p, i, p.length)
        if (!v) return null
        i += v[1]
      }
      if (type === 0x03) {
        for (let r = 0; r < 3; r++) {
          const v = varint(p, i, p.length)
          if (!v) return null
          i += v[1]
        }
      }
      continue
    }
    if (type === 0x06) {
      const o = varint(p, i, p.length)
      if (!o) return null
      i += o[1]
      const l = varint(p, i, p.length)
      if (!l) return null
      i += l[1]
      if (i + l[0] > p.length) return null
      parts.push([o[0], p.subarray(i, i + l[0])])
      i += l[0]
      continue
    }
    if (type === 0x1c) break // CONNECTION_CLOSE: nothing of interest follows
    return parts.length ? join(parts) : null
  }
  return parts.length ? join(parts) : null
}

function join(parts: [number, Uint8Array][]): Uint8Array | null {
  parts.sort((a, b) => a[0] - b[0])
  if (parts[0]![0] !== 0) return null
  let size = 0
  for (const [o, b] of parts) if (o === size) size += b.length
  const out = new Uint8Array(size)
  let at = 0
  for (const [o, b] of parts) {
    if (o !== at) continue
    out.set(b, at)
    at += b.length
  }
  return out
}

function isVersion(v: number): boolean {
  return v === 1 || v === 0x6b3343cf || (v >>> 8) === 0xff0000
}

/** The QUIC heuristic on a UDP payload. */
export function dissectQuic(ctx: PacketContext, off: number, end: number): boolean {
  const d = ctx.data
  if (end - off < 1) return false
  const key = connKey(ctx)
  const known = key && connections ? connections.get(key) : undefined
  const long = (d[off]! & 0x80) !== 0
  if (long) {
    if (end - off < 7 || !(d[off]! & 0x40)) return false
    const version = ((d[off + 1]! << 24) | (d[off + 2]! << 16) | (d[off + 3]! << 8) | d[off + 4]!) >>> 0
    if (!isVersion(version)) return false
  } else if (!known || !(d[off]! & 0x40)) return false

  const top = addLayer(ctx, F.quic, off, end - off)
  ctx.protocol = 'QUIC'
  const k = top?.children
  const infos: string[] = []
  let p = off
  // Coalesced packets: several long-header packets may share a datagram.
  while (p < end) {
    const first = d[p]!
    if (!(first & 0x80)) {
      k?.push(node(F.headerForm, p, 1, 0))
      // The key phase bit is under header protection: without 1-RTT keys tshark shows KP0.
      let info = 'Protected Payload (KP0)'
      const cid = known?.serverCid
      if (cid && cid.length && known && ctx.udp!.srcport === known.clientPort && p + 1 + cid.length <= end) {
        info += `, DCID=${hex(d, p + 1, p + 1 + cid.length)}`
      }
      infos.push(info)
      break
    }
    if (end - p < 7) break
    const version = ((d[p + 1]! << 24) | (d[p + 2]! << 16) | (d[p + 3]! << 8) | d[p + 4]!) >>> 0
    const type = (first >> 4) & 3
    let q = p + 5
    const dcil = d[q]!
    const dcid = d.subarray(q + 1, Math.min(end, q + 1 + dcil))
    q += 1 + dcil
    if (q >= end) break
    const scil = d[q]!
    const scid = d.subarray(q + 1, Math.min(end, q + 1 + scil))
    q += 1 + scil
    k?.push(node(F.headerForm, p, 1, 1), node(F.longType, p, 1, type), node(F.version, p + 1, 4, version))
    k?.push(node(F.dcil, p + 5, 1, dcil), node(F.dcid, p + 6, dcid.length, dcid.slice()))
    k?.push(node(F.scil, p + 6 + dcil, 1, scil), node(F.scid, p + 7 + dcil, scid.length, scid.slice()))
    const fromClient = !!(key && known && ctx.udp!.srcport === known.clientPort) || (!known && type === 0)
    if (type === 0 && key && connections && !known && fromClient) {
      connections.set(key, { odcid: dcid.slice(), clientPort: ctx.udp!.srcport })
    }
    const conn = key && connections ? connections.get(key) : undefined
    if (conn && ctx.udp!.srcport !== conn.clientPort && scil && !conn.serverCid) conn.serverCid = scid.slice()
    let info = LONG_TYPES[type]!
    info += scil ? `, SCID=${hex(scid, 0, scid.length)}` : ''
    info += dcil && fromClient ? `, DCID=${hex(dcid, 0, dcid.length)}` : ''
    if (type === 3) {
      infos.push(info)
      break
    }
    if (type === 0) {
      const tl = varint(d, q, end)
      if (!tl) break
      q += tl[1] + tl[0]
    }
    const ln = varint(d, q, end)
    if (!ln) break
    q += ln[1]
    const pktEnd = Math.min(end, q + ln[0])
    if (top) k!.push(node(F.packetLength, p, 0, pktEnd - p))
    if (type === 0) {
      const odcid = conn ? conn.odcid : dcid
      const server = conn ? ctx.udp!.srcport !== conn.clientPort : false
      const r = decryptInitial(d, p, q, q + ln[0], end, odcid, server)
      if (r.pn >= 0) info += `, PKN: ${r.pn}`
      if (r.plain) {
        const names = frameNames(r.plain)
        if (names.length) info += ', ' + names.join(', ')
        const crypto = cryptoData(r.plain)
        if (crypto) dissectHandshakeMessages(ctx, crypto)
      }
    }
    infos.push(info)
    if (q + ln[0] > end) break
    p = q + ln[0]
  }
  if (ctx.tree) ctx.info = infos.join(', ')
  return true
}

udpHeuristics.push(dissectQuic)
