// What TCP shows that depends on the conversation: tcp.stream, relative numbers, the
// calculated window, tcp.analysis.* and the Info column. One function renders it both in the
// sequential pass and when a single packet is re-dissected, so the two always agree.
import type { PacketContext } from '../context'
import type { FieldNode } from '../fields'
import { node } from '../fields'
import { TCP } from './tcp-fields'
import { flagNames } from './tcp'
import { byTcpPort, desegment, tcpHeuristics, tryPorts, type PayloadDissector } from './ports'
import { dissectData } from '../dispatch'

/**
 * Analysis flag bits of a packet: the compact per-packet record keeps them in 16 bits, so the
 * session can colour rows and draw handshakes without re-dissecting.
 */
export const A = {
  /** Handshake step: 1 SYN, 2 SYN-ACK, 3 the ACK completing the handshake. */
  HANDSHAKE_MASK: 0x0003,
  /** Retransmission kind in bits 2-3: 1 plain, 2 fast, 3 spurious. */
  RETRANS_MASK: 0x000c,
  RETRANSMISSION: 0x0004,
  FAST_RETRANSMISSION: 0x0008,
  SPURIOUS_RETRANSMISSION: 0x000c,
  DUP_ACK: 0x0010,
  FIN: 0x0020,
  RST: 0x0040,
  /** Sent by the stream's client (the side of the first SYN, else of the first packet). */
  FROM_CLIENT: 0x0080,
  LOST_SEGMENT: 0x0100,
  OUT_OF_ORDER: 0x0200,
  KEEP_ALIVE: 0x0400,
  WINDOW_UPDATE: 0x0800,
  ZERO_WINDOW: 0x1000,
  ACK_LOST_SEGMENT: 0x2000,
  REUSED_PORTS: 0x4000,
  /** The payload was not handed to an application dissector (segment of a PDU reassembled later, or data already seen). */
  NOT_DISSECTED: 0x8000
} as const

/**
 * Bits of SeqAckDetails.bits: which parts of tshark's SEQ/ACK analysis a segment shows, and the
 * analysis flags the 16-bit A.* record has no room for.
 */
export const SA = {
  /** The pass recorded this frame. */
  RECORDED: 0x01,
  /** "[SEQ/ACK analysis]" is shown (packet-tcp.c made a tcp_acked for the segment). */
  ANALYSIS: 0x02,
  /** The stream's iRTT was known when the segment was dissected. */
  IRTT: 0x04,
  WINDOW_FULL: 0x08,
  KEEP_ALIVE_ACK: 0x10,
  ZERO_WINDOW_PROBE: 0x20,
  ZERO_WINDOW_PROBE_ACK: 0x40
} as const

/** tcp.completeness bits (packet-tcp.c TCP_COMPLETENESS_*). */
export const COMPLETENESS = { SYN: 0x01, SYNACK: 0x02, ACK: 0x04, DATA: 0x08, FIN: 0x10, RST: 0x20 } as const

/**
 * The per-segment results of tshark's sequence analysis and conversation timestamps that depend
 * on earlier packets: what the sequential pass records for each TCP frame (frame-records.ts) so
 * that one frame re-dissected alone shows them too. Durations are nstime_t-like pairs: whole
 * seconds and nanoseconds of one sign.
 */
export interface SeqAckDetails {
  /** SA.* bits. */
  bits: number
  /** tcp.completeness as it was before this segment (what tshark shows on it). */
  completeness: number
  /** tcp.analysis.acks_frame, 0 when the segment acknowledges none exactly. */
  acksFrame: number
  /** tcp.analysis.ack_rtt (shown when not zero). */
  ackRttSec: number
  ackRttNsec: number
  /** tcp.analysis.bytes_in_flight, 0 when not shown; push_bytes_sent goes with it. */
  bytesInFlight: number
  pushBytesSent: number
  /** tcp.time_delta. */
  sincePrevSec: number
  sincePrevNsec: number
  /** tcp.analysis.rto and rto_frame of a retransmission (shown when the RTO is not zero). */
  rtoSec: number
  rtoNsec: number
  rtoFrame: number
}

export function emptySeqAck(): SeqAckDetails {
  return {
    bits: 0,
    completeness: 0,
    acksFrame: 0,
    ackRttSec: 0,
    ackRttNsec: 0,
    bytesInFlight: 0,
    pushBytesSent: 0,
    sincePrevSec: 0,
    sincePrevNsec: 0,
    rtoSec: 0,
    rtoNsec: 0,
    rtoFrame: 0
  }
}

/** What presentTcp draws of the SEQ/ACK analysis: the frame's details and the stream's times. */
export interface SeqAckView extends SeqAckDetails {
  /** tcp.time_relative. */
  sinceFirstSec: number
  sinceFirstNsec: number
  /** tcp.analysis.initial_rtt (shown with SA.IRTT). */
  irttSec: number
  irttNsec: number
}

/** What the conversation tracker knows about one segment, enough to draw it. */
export interface TcpView {
  stream: number
  /** Raw-number bases of this segment's direction and of the reverse one; NaN when unknown. */
  seqBase: number
  ackBase: number
  /** Window shift of this direction: -1 unknown, -2 no scaling, else 0..14. */
  scale: number
  /** A.* bits. */
  flags: number
  /** For a duplicate ACK: [frame it duplicates, number in the run]. */
  dupAck?: readonly [number, number]
  /** Completeness, timestamps and SEQ/ACK analysis; absent when the pass recorded none. */
  seqAck?: SeqAckView
}

const rel = (raw: number, base: number): number => (Number.isNaN(base) ? raw : (raw - base) >>> 0)

/**
 * Adds the conversation-dependent nodes to ctx.tcpNode and sets the Info column (tree mode);
 * `view` null means no conversation state (raw numbers, like Wireshark with analysis off).
 */
function generated(n: FieldNode): FieldNode {
  n.generated = true
  return n
}

export function presentTcp(ctx: PacketContext, view: TcpView | null): void {
  if (!ctx.tree) return
  const t = ctx.tcp!
  const top = ctx.tcpNode
  const analysed = view !== null && t.len >= 0
  const seq = analysed ? rel(t.seq, view.seqBase) : t.seq
  const ackFlag = (t.flags & 0x10) !== 0
  const ack = analysed && ackFlag ? rel(t.ack, view.ackBase) : ackFlag ? t.ack : 0
  const syn = (t.flags & 0x02) !== 0
  const scale = analysed && !syn ? view.scale : -1
  const win = scale >= 0 ? t.window * (1 << scale) : t.window
  if (top && top.children) {
    const k = top.children
    const off = t.off
    // Fields Wireshark computes rather than reads are "generated": drawn in [brackets].
    if (view) {
      k.splice(4, 0, generated(node(TCP.stream, off, 0, view.stream)))
      if (view.seqAck) k.splice(5, 0, generated(node(TCP.completeness, off, 0, view.seqAck.completeness)))
    }
    const i = indexOf(k, TCP.seqRaw.name)
    if (i >= 0) {
      const s = node(TCP.seq, off + 4, 4, seq)
      if (analysed) s.label = `Sequence Number: ${seq}    (relative sequence number)`
      k.splice(i, 0, s)
      if (analysed && !t.bogus) {
        const nxt = (seq + t.len + (syn ? 1 : 0) + (t.flags & 0x01 ? 1 : 0)) >>> 0
        const n = generated(node(TCP.nxtseq, off, 0, nxt))
        n.label = `Next Sequence Number: ${nxt}    (relative sequence number)`
        k.splice(i + 2, 0, n)
      }
    }
    const j = indexOf(k, TCP.ackRaw.name)
    if (j >= 0) {
      const a = node(TCP.ack, off + 8, 4, ack)
      if (analysed && ackFlag) a.label = `Acknowledgment Number: ${ack}    (relative ack number)`
      k.splice(j, 0, a)
    }
    const w = indexOf(k, TCP.window.name)
    if (w >= 0) {
      const extra: FieldNode[] = [generated(node(TCP.windowSize, off + 14, 2, win))]
      if (analysed && !syn && scale !== -1) {
        const f = generated(node(TCP.scaleFactor, off + 14, 2, scale === -2 ? -2 : 1 << scale))
        if (scale === -2) f.label = 'Window size scaling factor: -2 (no window scaling used)'
        extra.push(f)
      } else if (!syn) {
        const f = generated(node(TCP.scaleFactor, off + 14, 2, -1))
        f.label = 'Window size scaling factor: -1 (unknown)'
        extra.push(f)
      }
      k.splice(w + 1, 0, ...extra)
    }
    // packet-tcp.c stops at a bogus header length before these.
    const sa = view?.seqAck
    if (view && !t.bogus) {
      if (sa) k.push(timestampsNode(off, sa))
      if (analysisPresence(view.flags, sa?.bits) & 1) k.push(analysisNode(off, view.flags, view.dupAck, sa))
    }
  }
  if (top) {
    top.label = `Transmission Control Protocol, Src Port: ${t.srcport}, Dst Port: ${t.dstport}, Seq: ${seq}${ackFlag ? `, Ack: ${ack}` : ''}${t.len >= 0 ? `, Len: ${t.len}` : ''}`
  }
  let opts = t.optionsInfo
  if (t.sack) {
    const base = analysed ? view.ackBase : NaN
    let i = 0
    opts = opts.replace(/\u0001/g, () => {
      const s = ` SLE=${rel(t.sack![i]!, base)} SRE=${rel(t.sack![i + 1]!, base)}`
      i += 2
      return s
    })
    if (top && !Number.isNaN(base)) relativeSack(top, base)
  }
  // Info column: "443 → 54652 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0 MSS=1452"
  let info = `${t.srcport} \u2192 ${t.dstport} [${flagNames(t.flags)}] Seq=${seq}`
  if (ackFlag) info += ` Ack=${ack}`
  info += ` Win=${win}`
  if (t.flags & 0x20) info += ` Urg=${ctx.view.getUint16(t.off + 18)}`
  if (t.bogus) {
    const hl = (ctx.view.getUint8(t.off + 12) >> 4) * 4
    ctx.info = `${t.srcport} \u2192 ${t.dstport} [${flagNames(t.flags)}] Seq=${seq}${ackFlag ? ` Ack=${ack}` : ''} Win=${win}, bogus TCP header length (${hl}, must be at least 20)`
    return
  }
  if (t.len < 0) {
    // A short segment: tshark's exception cuts the Info column before Len.
    ctx.info = (view ? analysisPrefix(view.flags, view.dupAck, view.seqAck?.bits ?? 0) : '') + info + '[Malformed Packet]'
    return
  }
  info += ` Len=${t.len}${opts}`
  const prefix = view ? analysisPrefix(view.flags, view.dupAck, view.seqAck?.bits ?? 0) : ''
  ctx.info = prefix + info
  if (prefix) ctx.infoFence = prefix
}

/** tcp.options.sack_le/re relative to the peer's base sequence number, as tshark shows them. */
function relativeSack(n: FieldNode, base: number): void {
  if (n.children) for (const c of n.children) relativeSack(c, base)
  if ((n.name === TCP.sackLe.name || n.name === TCP.sackRe.name) && typeof n.value === 'number') n.value = rel(n.value, base)
}

const ANALYSIS_SHOWN =
  A.RETRANS_MASK | A.DUP_ACK | A.LOST_SEGMENT | A.OUT_OF_ORDER | A.KEEP_ALIVE | A.WINDOW_UPDATE | A.ZERO_WINDOW |
  A.ACK_LOST_SEGMENT | A.REUSED_PORTS

function indexOf(k: FieldNode[], name: string): number {
  for (let i = 0; i < k.length; i++) if (k[i]!.name === name) return i
  return -1
}

function expert(key: keyof typeof TCP, off: number, severity: 'chat' | 'note' | 'warn', message: string): FieldNode {
  const n = node(TCP[key], off, 0)
  n.generated = true
  n.expert = { severity, group: 'sequence', message }
  return n
}

/** "[Timestamps]": time since the stream's first frame and since its previous one. */
function timestampsNode(off: number, sa: SeqAckView): FieldNode {
  const a = generated(node(TCP.timeRelative, off, 0, { sec: sa.sinceFirstSec, nsec: sa.sinceFirstNsec }))
  const b = generated(node(TCP.timeDelta, off, 0, { sec: sa.sincePrevSec, nsec: sa.sincePrevNsec }))
  return { name: '', off, len: 0, label: 'Timestamps', generated: true, children: [a, b] }
}

/**
 * "[SEQ/ACK analysis]" as packet-tcp.c's tcp_print_sequence_number_analysis draws it: the ACKed
 * segment and RTT, the iRTT, bytes in flight, then the flags with their expert notes (in the
 * order packet-tcp.c adds them) and the duplicate-ACK numbers.
 */
function analysisNode(off: number, flags: number, dupAck: readonly [number, number] | undefined, sa: SeqAckView | undefined): FieldNode {
  const top = generated(node(TCP.analysis, off, 0, undefined, []))
  const out = top.children!
  const extra = sa ? sa.bits : 0
  if (sa) {
    if (sa.acksFrame) {
      out.push(generated(node(TCP.acksFrame, off, 0, sa.acksFrame)))
      if (sa.ackRttSec !== 0 || sa.ackRttNsec !== 0) out.push(generated(node(TCP.ackRtt, off, 0, { sec: sa.ackRttSec, nsec: sa.ackRttNsec })))
    }
    if (sa.bits & SA.IRTT) out.push(generated(node(TCP.initialRtt, off, 0, { sec: sa.irttSec, nsec: sa.irttNsec })))
    if (sa.bytesInFlight) {
      out.push(generated(node(TCP.bytesInFlight, off, 0, sa.bytesInFlight)))
      out.push(generated(node(TCP.pushBytesSent, off, 0, sa.pushBytesSent)))
    }
  }
  if (!(flags & ANALYSIS_SHOWN) && !(extra & SA_FLAGS)) return top
  const k: FieldNode[] = []
  if (flags & A.REUSED_PORTS) k.push(expert('reusedPorts', off, 'note', 'A new tcp session is started with the same ports as an earlier session in this trace'))
  const kind = flags & A.RETRANS_MASK
  if (kind === A.RETRANSMISSION) {
    k.push(expert('retransmission', off, 'note', 'This frame is a (suspected) retransmission'))
    if (sa && (sa.rtoSec !== 0 || sa.rtoNsec !== 0)) {
      k.push(generated(node(TCP.rto, off, 0, { sec: sa.rtoSec, nsec: sa.rtoNsec })))
      k.push(generated(node(TCP.rtoFrame, off, 0, sa.rtoFrame)))
    }
  }
  if (kind === A.FAST_RETRANSMISSION) {
    k.push(expert('fastRetransmission', off, 'note', 'This frame is a (suspected) fast retransmission'))
    k.push(expert('retransmission', off, 'note', 'This frame is a (suspected) retransmission'))
  }
  if (kind === A.SPURIOUS_RETRANSMISSION) {
    k.push(expert('spuriousRetransmission', off, 'note', 'This frame is a (suspected) spurious retransmission'))
    k.push(expert('retransmission', off, 'note', 'This frame is a (suspected) retransmission'))
  }
  if (flags & A.OUT_OF_ORDER) k.push(expert('outOfOrder', off, 'warn', 'This frame is a (suspected) out-of-order segment'))
  if (flags & A.LOST_SEGMENT) k.push(expert('lostSegment', off, 'warn', 'Previous segment(s) not captured (common at capture start)'))
  if (flags & A.ACK_LOST_SEGMENT) k.push(expert('ackLostSegment', off, 'warn', "ACKed segment that wasn't captured (common at capture start)"))
  if (flags & A.WINDOW_UPDATE) k.push(expert('windowUpdate', off, 'chat', 'TCP window update'))
  if (extra & SA.WINDOW_FULL) k.push(expert('windowFull', off, 'warn', 'TCP window specified by the receiver is now completely full'))
  if (flags & A.KEEP_ALIVE) k.push(expert('keepAlive', off, 'note', 'TCP keep-alive segment'))
  if (extra & SA.KEEP_ALIVE_ACK) k.push(expert('keepAliveAck', off, 'note', 'ACK to a TCP keep-alive segment'))
  if (flags & A.DUP_ACK) {
    const d = generated(node(TCP.duplicateAck, off, 0))
    d.label = 'This is a TCP duplicate ack'
    k.push(d)
  }
  if (extra & SA.ZERO_WINDOW_PROBE) k.push(expert('zeroWindowProbe', off, 'note', 'TCP Zero Window Probe'))
  if (flags & A.ZERO_WINDOW) k.push(expert('zeroWindow', off, 'warn', 'TCP Zero Window segment'))
  if (extra & SA.ZERO_WINDOW_PROBE_ACK) k.push(expert('zeroWindowProbeAck', off, 'note', 'ACK to a TCP Zero Window Probe'))
  out.push(generated(node(TCP.analysisFlags, off, 0, undefined, k)))
  if (flags & A.DUP_ACK && dupAck) {
    const num = generated(node(TCP.dupAckNum, off, 0, dupAck[1]))
    const fr = generated(node(TCP.dupAckFrame, off, 0, dupAck[0], [expert('duplicateAck', off, 'note', `Duplicate ACK (#${dupAck[1]})`)]))
    out.push(num, fr)
  }
  return top
}

/** SA bits of analysis flags (drawn under tcp.analysis.flags). */
const SA_FLAGS = SA.WINDOW_FULL | SA.KEEP_ALIVE_ACK | SA.ZERO_WINDOW_PROBE | SA.ZERO_WINDOW_PROBE_ACK

/**
 * Whether a segment (of a well-formed header) with analysis bits `flags` and recorded SA bits
 * `bits` shows "[SEQ/ACK analysis]" (bit 0) and "[TCP Analysis Flags]" in it (bit 1), for
 * readers that decide tcp.analysis / tcp.analysis.flags without drawing the tree. `bits`
 * undefined: the pass recorded no SEQ/ACK details (then only the flags tell).
 */
export function analysisPresence(flags: number, bits: number | undefined): number {
  const hasFlags = (flags & ANALYSIS_SHOWN) !== 0 || (bits !== undefined && (bits & SA_FLAGS) !== 0)
  const shown = bits !== undefined ? (bits & SA.ANALYSIS) !== 0 : hasFlags
  return shown ? (hasFlags ? 3 : 1) : 0
}

/**
 * "[TCP Retransmission] " and friends in front of the Info column. tshark prepends each in the
 * order packet-tcp.c prints them, so the last printed comes first.
 */
function analysisPrefix(flags: number, dupAck: readonly [number, number] | undefined, extra: number): string {
  let p = ''
  const pre = (s: string) => (p = s + p)
  if (flags & A.REUSED_PORTS) pre('[TCP Port numbers reused] ')
  const kind = flags & A.RETRANS_MASK
  if (kind === A.RETRANSMISSION) pre('[TCP Retransmission] ')
  if (kind === A.FAST_RETRANSMISSION) pre('[TCP Fast Retransmission] ')
  if (kind === A.SPURIOUS_RETRANSMISSION) pre('[TCP Spurious Retransmission] ')
  if (flags & A.OUT_OF_ORDER) pre('[TCP Out-Of-Order] ')
  if (flags & A.LOST_SEGMENT) pre('[TCP Previous segment not captured] ')
  if (flags & A.ACK_LOST_SEGMENT) pre('[TCP ACKed unseen segment] ')
  if (flags & A.WINDOW_UPDATE) pre('[TCP Window Update] ')
  if (extra & SA.WINDOW_FULL) pre('[TCP Window Full] ')
  if (flags & A.KEEP_ALIVE) pre('[TCP Keep-Alive] ')
  if (extra & SA.KEEP_ALIVE_ACK) pre('[TCP Keep-Alive ACK] ')
  if (flags & A.DUP_ACK) pre(dupAck ? `[TCP Dup ACK ${dupAck[0]}#${dupAck[1]}] ` : '[TCP Dup ACK] ')
  if (extra & SA.ZERO_WINDOW_PROBE) pre('[TCP ZeroWindowProbe] ')
  if (flags & A.ZERO_WINDOW) pre('[TCP ZeroWindow] ')
  if (extra & SA.ZERO_WINDOW_PROBE_ACK) pre('[TCP ZeroWindowProbeAck] ')
  return p
}

/**
 * Adds "TCP payload" to the TCP tree and "TCP segment data" for each [from, to) range of bytes
 * that belong to a PDU spanning segments (tshark shows both). A segment of a PDU still pending
 * gets the Info suffix (retransmitted data does not, as in tshark).
 */
export function payloadNode(ctx: PacketContext, flags: number, segments: readonly number[]): void {
  const t = ctx.tcp!
  if (!ctx.tree || !ctx.tcpNode || t.payloadEnd <= t.payloadOff) return
  const k = ctx.tcpNode.children!
  const p = node(TCP.payload, t.payloadOff, t.payloadEnd - t.payloadOff, ctx.data.subarray(t.payloadOff, t.payloadEnd))
  p.label = `TCP payload (${t.len} byte${t.len === 1 ? '' : 's'})`
  k.push(p)
  const pduSegment = (flags & A.NOT_DISSECTED) !== 0 && !(flags & A.RETRANS_MASK)
  const ranges = pduSegment ? [t.payloadOff, t.payloadEnd] : segments
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const from = Math.max(ranges[i]!, t.payloadOff)
    const to = Math.min(ranges[i + 1]!, t.payloadEnd)
    if (to <= from) continue
    const s = node(TCP.segmentData, from, to - from, ctx.data.subarray(from, to))
    s.label = `TCP segment data (${to - from} byte${to - from === 1 ? '' : 's'})`
    k.push(s)
  }
  if (pduSegment) ctx.info += ' [TCP segment of a reassembled PDU]'
}

/** The range of this frame's bytes a dispatch asked to keep for a later segment ([] when none). */
export function askedRange(ctx: PacketContext): number[] {
  const t = ctx.tcp!
  const o = desegment.offset
  return o >= t.payloadOff && o < t.payloadEnd ? [o, t.payloadEnd] : []
}

/**
 * Data on a RST is the reset's diagnostic text (RFC 9293 §3.5.3): tshark shows it as
 * tcp.reset_cause and hands it to no application dissector. Returns true when it was one.
 */
export function resetCause(ctx: PacketContext): boolean {
  const t = ctx.tcp!
  if (!(t.flags & 0x04) || t.payloadEnd <= t.payloadOff) return false
  if (ctx.tree && ctx.tcpNode) {
    let text = ''
    for (let i = t.payloadOff; i < t.payloadEnd && i < t.payloadOff + 1024; i++) text += String.fromCharCode(ctx.data[i]!)
    const n = node(TCP.resetCause, t.payloadOff, t.payloadEnd - t.payloadOff, text)
    n.label = `Reset cause: ${text}`
    ctx.tcpNode.children!.push(n)
  }
  return true
}

/** Stream-level protocol switches (STARTTLS-like): the dissector to use instead of the ports. */
export const conversationDissectors: PayloadDissector[] = []

/**
 * Hands `off..end` of a TCP stream to the application dissector chosen by conversation, ports
 * or heuristics, else to "data". `canDesegment` lets the dissector ask for more bytes
 * (see ports.ts desegment). `convDissector` indexes conversationDissectors, -1 for none.
 */
export function dispatchTcpPayload(ctx: PacketContext, off: number, end: number, canDesegment: boolean, convDissector: number, atFin = false): void {
  desegment.offset = -1
  desegment.len = 0
  desegment.canDesegment = canDesegment
  desegment.switchTo = -1
  desegment.atFin = atFin
  if (end <= off) return
  const t = ctx.tcp!
  const conv = convDissector >= 0 ? conversationDissectors[convDissector] : undefined
  if (conv && conv(ctx, off, end)) return
  if (tryPorts(byTcpPort, tcpHeuristics, ctx, t.srcport, t.dstport, off, end)) return
  dissectData(ctx, off, end)
}
