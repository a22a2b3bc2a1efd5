// TCP conversation analysis as tshark 4.0 does it in its single pass: tcp.stream numbering
// (a SYN with a new ISN on a known 4-tuple opens a new stream), relative sequence numbers,
// handshake and teardown, and the sequence analysis flags (retransmission, duplicate ACK,
// lost segment, ...), following packet-tcp.c's tcp_analyze_sequence_number.
import type { PacketContext } from '../dissect/context'
import { A, presentTcp, type TcpView } from '../dissect/transport/tcp-present'
import { HS, TcpStreamTable } from './tcp-streams'

/** What the session keeps per packet: tcp.stream (-1 when not TCP) and A.* flag bits. */
export interface TcpPacketRecord {
  stream: number
  flags: number
}

const TH_FIN = 0x01
const TH_SYN = 0x02
const TH_RST = 0x04
const TH_ACK = 0x10

const LT = (a: number, b: number) => ((a - b) | 0) < 0
const GT = (a: number, b: number) => ((b - a) | 0) < 0
const LE = (a: number, b: number) => ((a - b) | 0) <= 0

/** Per-direction state bits in TcpStreamTable.state. */
const BASE_SET = [0x01, 0x02]
const FIN_SEEN = [0x04, 0x08]
const RST_SEEN = [0x10, 0x20]

export interface SegmentResult {
  stream: number
  dir: number
  flags: number
  /** For a duplicate ACK: the frame it duplicates and its number in the run ("[TCP Dup ACK 5#2]"). */
  dupAckFrame: number
  dupAckNum: number
}

export class TcpAnalyzer {
  constructor(readonly streams: TcpStreamTable = new TcpStreamTable()) {}

  /**
   * Tracks one segment (ctx.tcp and ctx.net set by the dissectors) at time `now` (seconds):
   * finds or opens its stream and computes its analysis flags. Returns null without IP.
   */
  track(ctx: PacketContext, now: number): SegmentResult | null {
    const t = ctx.tcp
    const net = ctx.net
    if (!t || !net) return null
    const T = this.streams
    const d = ctx.data
    const len = net.addrLen
    const syn = (t.flags & TH_SYN) !== 0
    const ackf = (t.flags & TH_ACK) !== 0
    let s = T.find(d, net.srcOff, net.dstOff, len, t.srcport, t.dstport)
    let dir: number
    let reused = false
    if (s < 0) {
      const srcIsServer = syn && ackf
      s = T.create(d, net.srcOff, net.dstOff, len, t.srcport, t.dstport, ctx.number, srcIsServer)
      dir = srcIsServer ? 1 : 0
    } else {
      dir = T.direction(s, d, net.srcOff, net.dstOff, len, t.srcport, t.dstport)
      if (syn && !ackf && T.state[s]! & BASE_SET[dir]! && t.seq !== T.base[2 * s + dir]) {
        // Ports reused by a new connection (a SYN with another ISN): tshark opens a new stream.
        s = T.create(d, net.srcOff, net.dstOff, len, t.srcport, t.dstport, ctx.number, false)
        dir = 0
        reused = true
      }
    }
    T.lastFrame[s] = ctx.number
    let flags = dir === 0 ? A.FROM_CLIENT : 0
    if (reused) flags |= A.REUSED_PORTS
    if (t.flags & TH_FIN) {
      flags |= A.FIN
      T.state[s]! |= FIN_SEEN[dir]!
    }
    if (t.flags & TH_RST) {
      flags |= A.RST
      T.state[s]! |= RST_SEEN[dir]!
    }
    const i = 2 * s + dir
    T.packets[i]!++
    if (t.len > 0) T.bytes[i] = (T.bytes[i]! + t.len) >>> 0

    // Window scaling is negotiated by the SYN and SYN-ACK options.
    if (syn) {
      T.winScale[i] = t.wscale !== undefined ? Math.min(t.wscale, 14) : -2
      if (ackf) {
        const r = 2 * s + (1 - dir)
        if (T.winScale[i] === -2 || T.winScale[r] === -2) T.winScale[i] = T.winScale[r] = -2
      }
    }
    this.handshake(s, dir, t.seq, t.ack, t.flags, now, (step) => (flags |= step))
    if (t.len < 0) return { stream: s, dir, flags, dupAckFrame: 0, dupAckNum: 0 }
    const ws = T.winScale[i]!
    const window = !syn && ws >= 0 ? t.window * (1 << ws) : t.window
    const a = this.sequence(s, dir, t.seq, t.ack, t.len, t.flags, window, now, ctx.number)
    flags |= a
    const dup = (a & A.DUP_ACK) !== 0
    return { stream: s, dir, flags, dupAckFrame: dup ? T.lastnondupack[i]! : 0, dupAckNum: dup ? T.dupacknum[i]! : 0 }
  }

  private handshake(s: number, dir: number, seq: number, ack: number, f: number, now: number, mark: (step: number) => void): void {
    const T = this.streams
    const h = T.handshake[s]!
    const syn = f & TH_SYN
    const ackf = f & TH_ACK
    if (syn && !ackf && dir === 0) {
      if (!(h & HS.SYN)) {
        T.handshake[s] = h | HS.SYN
        T.clientIsn[s] = seq
        T.synTime[s] = now
      }
      mark(1)
    } else if (syn && ackf && dir === 1) {
      if (!(h & HS.SYN) || ack === ((T.clientIsn[s]! + 1) >>> 0)) {
        if (!(h & HS.SYNACK)) {
          T.handshake[s] = h | HS.SYNACK
          T.serverIsn[s] = seq
        }
        mark(2)
      }
    } else if (!syn && ackf && dir === 0 && h & HS.SYNACK && !(h & HS.ACK)) {
      if ((!(h & HS.SYN) || seq === ((T.clientIsn[s]! + 1) >>> 0)) && ack === ((T.serverIsn[s]! + 1) >>> 0)) {
        T.handshake[s] = h | HS.ACK
        if (h & HS.SYN) T.irtt[s] = now - T.synTime[s]!
        mark(3)
      }
    }
  }

  /** tcp_analyze_sequence_number of packet-tcp.c (absolute sequence numbers). */
  private sequence(s: number, dir: number, seq: number, ack: number, seglen: number, f: number, window: number, now: number, frame: number): number {
    const T = this.streams
    const fw = 2 * s + dir
    const rv = 2 * s + (1 - dir)
    // Bases for relative numbers: the ISN from a SYN, else one before the first seq seen.
    if (!(T.state[s]! & BASE_SET[dir]!)) {
      T.base[fw] = f & TH_SYN ? seq : (seq - 1) >>> 0
      T.state[s]! |= BASE_SET[dir]!
    }
    if (!(T.state[s]! & BASE_SET[1 - dir]!) && f & TH_ACK) {
      T.base[rv] = (ack - 1) >>> 0
      T.state[s]! |= BASE_SET[1 - dir]!
    }
    let a = 0
    const nextseq = T.nextseq[fw]!
    const ctl = f & (TH_SYN | TH_FIN | TH_RST)
    let zeroWindowProbe = false
    fwd: {
      if (seglen === 1 && seq === nextseq && T.window[rv] === 0) {
        zeroWindowProbe = true
        break fwd
      }
      if (window === 0 && !ctl) a |= A.ZERO_WINDOW
      if (nextseq && GT(seq, nextseq) && !(f & TH_RST)) a |= A.LOST_SEGMENT
      if ((seglen === 0 || seglen === 1) && seq === ((nextseq - 1) >>> 0) && !ctl) a |= A.KEEP_ALIVE
      if (seglen === 0 && window && window !== T.window[fw] && seq === nextseq && ack === T.lastack[fw] && !ctl) a |= A.WINDOW_UPDATE
      if (
        seglen === 0 &&
        window &&
        window === T.window[fw] &&
        seq === nextseq &&
        ack === T.lastack[fw] &&
        T.lastSegFlags[rv]! & A.KEEP_ALIVE &&
        !ctl
      ) {
        break fwd // keep-alive ACK
      }
      if (seglen === 0 && window && window === T.window[fw] && seq === nextseq && ack === T.lastack[fw] && !ctl) {
        T.dupacknum[fw]!++
        a |= A.DUP_ACK
      }
      if (!(a & A.DUP_ACK)) {
        T.dupacknum[fw] = 0
        T.lastnondupack[fw] = frame
      }
      const rmax = T.maxseqtobeacked[rv]!
      if (rmax && GT(ack, rmax) && f & TH_ACK) {
        a |= A.ACK_LOST_SEGMENT
        T.maxseqtobeacked[rv] = T.nextseq[rv]!
      }
      if (seglen > 0 || f & (TH_SYN | TH_FIN)) {
        if (a & A.KEEP_ALIVE) break fwd
        let notAdvanced = nextseq !== 0 && LT(seq, nextseq)
        if (seglen > 1 && ((nextseq - 1) >>> 0) === seq) notAdvanced = false
        if (notAdvanced && T.dupacknum[rv]! >= 2 && T.lastack[rv] === seq && now - T.lastackTime[rv]! < 0.02) {
          a |= A.FAST_RETRANSMISSION
          break fwd
        }
        const irtt = T.irtt[s]!
        const ooo = irtt > 0 ? irtt : 0.003
        if (notAdvanced && now - T.nextseqTime[fw]! < ooo && nextseq !== ((seq + seglen + (f & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0)) {
          a |= A.OUT_OF_ORDER
          break fwd
        }
        const rack = T.lastack[rv]!
        if (seglen > 0 && rack && LE((seq + seglen) >>> 0, rack)) {
          a |= A.SPURIOUS_RETRANSMISSION
          break fwd
        }
        if (notAdvanced) a |= A.RETRANSMISSION
      }
    }
    // finished_fwd: remember what this segment tells about the stream.
    let nxt = (seq + seglen) >>> 0
    if (f & (TH_SYN | TH_FIN)) nxt = (nxt + 1) >>> 0
    if ((GT(nxt, T.nextseq[fw]!) || !T.nextseq[fw]) && !zeroWindowProbe) {
      T.nextseq[fw] = nxt
      T.nextseqTime[fw] = now
    }
    if ((seq === T.maxseqtobeacked[fw] || !T.maxseqtobeacked[fw]) && !zeroWindowProbe) T.maxseqtobeacked[fw] = T.nextseq[fw]!
    T.window[fw] = window
    T.lastack[fw] = ack
    T.lastackTime[fw] = now
    T.lastSegFlags[fw] = a
    return a
  }

  /** The presentation of a packet of stream `s` sent by side `dir` with analysis bits `flags`. */
  view(s: number, dir: number, flags: number): TcpView {
    return viewOf(this.streams, s, dir, flags)
  }
}

export function viewOf(T: TcpStreamTable, s: number, dir: number, flags: number, dupAck?: readonly [number, number]): TcpView {
  const st = T.state[s]!
  return {
    stream: s,
    seqBase: st & BASE_SET[dir]! ? T.base[2 * s + dir]! : NaN,
    ackBase: st & BASE_SET[1 - dir]! ? T.base[2 * s + 1 - dir]! : NaN,
    scale: T.winScale[2 * s + dir]!,
    flags,
    dupAck
  }
}

/** Adds the conversation nodes and Info to a packet dissected in tree mode (see presentTcp). */
export function presentRecord(ctx: PacketContext, T: TcpStreamTable, rec: TcpPacketRecord, dupAck?: readonly [number, number]): void {
  if (rec.stream < 0 || rec.stream >= T.count) {
    presentTcp(ctx, null)
    return
  }
  const dir = rec.flags & A.FROM_CLIENT ? 0 : 1
  presentTcp(ctx, viewOf(T, rec.stream, dir, rec.flags, dupAck))
}
