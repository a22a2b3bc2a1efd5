// How TCP values are written in the diagram, the handshake table and the checks, in one place
// so the three never disagree.
import type { Endpoint, StreamPacket } from '../contract'

export type SeqFormat = 'hex' | 'dec' | 'relative'

export const TCP_FIN = 0x001
export const TCP_SYN = 0x002
export const TCP_RST = 0x004
export const TCP_PSH = 0x008
export const TCP_ACK = 0x010
export const TCP_URG = 0x020
export const TCP_ECE = 0x040
export const TCP_CWR = 0x080
export const TCP_AE = 0x100

// Wireshark's order in the Info column: "[SYN, ACK]", "[FIN, PSH, ACK]".
const FLAG_NAMES: [number, string][] = [
  [TCP_FIN, 'FIN'],
  [TCP_SYN, 'SYN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_ACK, 'ACK'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
  [TCP_AE, 'AE']
]

export function flagNames(flags: number): string[] {
  return FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name)
}

/** "SYN, ACK" ("<none>" when no flag is set, as Wireshark writes it). */
export function flagsText(flags: number): string {
  const names = flagNames(flags)
  return names.length ? names.join(', ') : '<none>'
}

/** A raw 32-bit sequence number as `0x4ce45750`. */
export function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0')
}

export function formatSeq(p: StreamPacket, which: 'seq' | 'ack', fmt: SeqFormat): string {
  if (fmt === 'relative') return String(which === 'seq' ? p.seqRel : p.ackRel)
  const raw = which === 'seq' ? p.seqRaw : p.ackRaw
  return fmt === 'hex' ? hex32(raw) : String(raw >>> 0)
}

/** A raw number in the format checks use: relative diagrams still check raw values, in hex. */
export function formatRaw(n: number, fmt: SeqFormat): string {
  return fmt === 'dec' ? String(n >>> 0) : hex32(n)
}

/** "192.168.1.2:49486", "[2001:db8::1]:443". */
export function formatEndpoint(e: Endpoint): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`
}

/** "[SYN, ACK] Seq=0x4ce45750 Ack=0x91f8c7d9 Len=367": Ack only when the ACK flag is set, Len only when > 0. */
export function segmentLabel(p: StreamPacket, fmt: SeqFormat): string {
  let s = `[${flagsText(p.flags)}] Seq=${formatSeq(p, 'seq', fmt)}`
  if (p.flags & TCP_ACK) s += ` Ack=${formatSeq(p, 'ack', fmt)}`
  if (p.len > 0) s += ` Len=${p.len}`
  return s
}

/** Seconds since the stream's first packet, microsecond precision. */
export function formatRelTime(rel: number): string {
  return rel.toFixed(6)
}
