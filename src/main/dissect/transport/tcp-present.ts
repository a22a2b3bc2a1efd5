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
    if (view) k.splice(4, 0, generated(node(TCP.stream, off, 0, view.stream)))
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
    if (view && view.flags & ANALYSIS_SHOWN) k.push(analysisNode(off, view.flags, view.dupAck))
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
    ctx.info = `${t.srcport} \u2192 ${t.dstport} [${flagNames(t.flags)}] Seq=${seq} Ack=${ackFlag ? ack : 0} Win=${win}, bogus TCP header length (${hl}, must be at least 20)`
    return
  }
  if (t.len < 0) {
    // A short segment: tshark's exception cuts the Info column before Len.
    ctx.info = (view ? analysisPrefix(view.flags, view.dupAck) : '') + info + '[Malformed Packet]'
    return
  }
  info += ` Len=${t.len}${opts}`
  const prefix = view ? analysisPrefix(view.flags, view.dupAck) : ''
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

function expert(key: keyof typeof TCP, off: number, severity: 'note' | 'warn', message: string): FieldNode {
  const n = node(TCP[key], off, 0)
  n.generated = true
  n.expert = { severity, group: 'sequence', message }
  return n
}

function analysisNode(off: number, flags: number, dupAck: readonly [number, number] | undefined): FieldNode {
  const k: FieldNode[] = []
  const kind = flags & A.RETRANS_MASK
  if (kind) k.push(expert('retransmission', off, 'note', 'This frame is a (suspected) retransmission'))
  if (kind === A.SPURIOUS_RETRANSMISSION) k.push(expert('spuriousRetransmission', off, 'note', 'This frame is a (suspected) spurious retransmission'))
  if (kind === A.FAST_RETRANSMISSION) k.push(expert('fastRetransmission', off, 'note', 'This frame is a (suspected) fast retransmission'))
  if (flags & A.OUT_OF_ORDER) k.push(expert('outOfOrder', off, 'warn', 'This frame is a (suspected) out-of-order segment'))
  if (flags & A.LOST_SEGMENT) k.push(expert('lostSegment', off, 'warn', 'Previous segment(s) not captured (common at capture start)'))
  if (flags & A.ACK_LOST_SEGMENT) k.push(expert('ackLostSegment', off, 'warn', "ACKed segment that wasn't captured (common at capture start)"))
  if (flags & A.WINDOW_UPDATE) k.push(expert('windowUpdate', off, 'note', 'TCP window update'))
  if (flags & A.KEEP_ALIVE) k.push(expert('keepAlive', off, 'note', 'This is a TCP keep-alive segment'))
  const top = node(TCP.analysis, off, 0, undefined, [])
  top.generated = true
  if (flags & A.DUP_ACK) {
    // tshark lists the duplicate-ACK flag twice (once per check in packet-tcp.c), then its number and frame.
    k.push(expert('duplicateAck', off, 'note', 'This is a TCP duplicate ack'))
    k.push(expert('duplicateAck', off, 'note', `Duplicate ACK (#${dupAck ? dupAck[1] : '?'})`))
  }
  if (flags & A.ZERO_WINDOW) k.push(expert('zeroWindow', off, 'warn', 'TCP Zero Window segment'))
  if (flags & A.REUSED_PORTS) k.push(expert('reusedPorts', off, 'note', 'A new tcp session is started with the same ports as an earlier session in this trace'))
  const f = node(TCP.analysisFlags, off, 0, undefined, k)
  f.generated = true
  top.children!.push(f)
  if (flags & A.DUP_ACK && dupAck) {
    const num = node(TCP.dupAckNum, off, 0, dupAck[1])
    const fr = node(TCP.dupAckFrame, off, 0, dupAck[0])
    num.generated = fr.generated = true
    top.children!.push(num, fr)
  }
  return top
}

/**
 * "[TCP Retransmission] " and friends in front of the Info column. tshark prepends each in the
 * order packet-tcp.c checks them, so the last checked comes first.
 */
function analysisPrefix(flags: number, dupAck: readonly [number, number] | undefined): string {
  let p = ''
  const pre = (s: string) => (p = s + p)
  const kind = flags & A.RETRANS_MASK
  if (kind === A.RETRANSMISSION) pre('[TCP Retransmission] ')
  if (kind === A.SPURIOUS_RETRANSMISSION) pre('[TCP Spurious Retransmission] ')
  if (kind === A.FAST_RETRANSMISSION) pre('[TCP Fast Retransmission] ')
  if (flags & A.OUT_OF_ORDER) pre('[TCP Out-Of-Order] ')
  if (flags & A.LOST_SEGMENT) pre('[TCP Previous segment not captured] ')
  if (flags & A.ACK_LOST_SEGMENT) pre('[TCP ACKed unseen segment] ')
  if (flags & A.WINDOW_UPDATE) pre('[TCP Window Update] ')
  if (flags & A.KEEP_ALIVE) pre('[TCP Keep-Alive] ')
  if (flags & A.DUP_ACK) pre(dupAck ? `[TCP Dup ACK ${dupAck[0]}#${dupAck[1]}] ` : '[TCP Dup ACK] ')
  if (flags & A.ZERO_WINDOW) pre('[TCP ZeroWindow] ')
  if (flags & A.REUSED_PORTS) pre('[TCP Port numbers reused] ')
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
