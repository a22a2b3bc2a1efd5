// Hand-off from the transport layer to application dissectors: port tables and heuristics,
// tried in Wireshark's order (conversation, low port, high port, heuristics, data).
import type { PacketContext } from '../context'

/**
 * Decodes one datagram payload (UDP) or the bytes of a TCP stream available in this frame.
 * Returns false when it does not recognise the payload (heuristics, or port dissectors that
 * reject), so the next candidate is tried; true when it took it.
 */
export type PayloadDissector = (ctx: PacketContext, off: number, end: number) => boolean

/**
 * What a TCP stream dissector asks for when a PDU starting at `offset` runs past the bytes it
 * was given (Wireshark's pinfo->desegment_offset/len). `len` is the number of bytes missing, or
 * ONE_MORE_SEGMENT when the PDU's length is not known yet. offset < 0: nothing asked.
 * Reset by the TCP layer before every call; set only when `canDesegment` is true.
 */
export const desegment = {
  offset: -1,
  len: 0,
  canDesegment: false,
  switchTo: -1,
  /** The bytes handed over end where the sender closed the stream (FIN): nothing more will come. */
  atFin: false,
  /**
   * Application state of the TCP stream (STREAM_* bits), kept by the conversation table
   * between frames: the caller sets it before handing over a segment and stores it after.
   */
  streamState: 0
}

/** The stream negotiated TLS 1.3: its application data records show an opaque type. */
export const STREAM_TLS13 = 1

/**
 * Conversation dissectors a stream can switch to after a frame (STARTTLS-like upgrades):
 * a dissector sets desegment.switchTo to an index here and the TCP analysis applies it to the
 * stream's following frames.
 */
export const CONV_TLS = 0
export const ONE_MORE_SEGMENT = 0x0fffffff

export function askMore(offset: number, len: number): void {
  desegment.offset = offset
  desegment.len = len
}

export const byTcpPort = new Map<number, PayloadDissector>()
export const byUdpPort = new Map<number, PayloadDissector>()
export const tcpHeuristics: PayloadDissector[] = []
export const udpHeuristics: PayloadDissector[] = []

/** Registers one dissector on several ports (ranges as [from, to]). */
export function onPorts(table: Map<number, PayloadDissector>, ports: readonly (number | readonly [number, number])[], d: PayloadDissector): void {
  for (const p of ports) {
    if (typeof p === 'number') table.set(p, d)
    else for (let q = p[0]; q <= p[1]; q++) table.set(q, d)
  }
}

/** Tries port dissectors (low port first, as Wireshark does) and then heuristics. */
export function tryPorts(
  table: Map<number, PayloadDissector>,
  heuristics: readonly PayloadDissector[],
  ctx: PacketContext,
  srcport: number,
  dstport: number,
  off: number,
  end: number
): boolean {
  const low = srcport < dstport ? srcport : dstport
  const high = srcport < dstport ? dstport : srcport
  const a = low !== 0 ? table.get(low) : undefined
  if (a && a(ctx, off, end)) return true
  const b = high !== 0 && high !== low ? table.get(high) : undefined
  if (b && b(ctx, off, end)) return true
  for (const h of heuristics) if (h(ctx, off, end)) return true
  return false
}
