// TCP conversation analysis as tshark 4.0 does it in its single pass: tcp.stream numbering
// (a SYN with a new ISN on a known 4-tuple opens a new stream), relative sequence numbers,
// handshake and teardown, and the sequence analysis flags (retransmission, duplicate ACK,
// lost segment, ...), following packet-tcp.c's tcp_analyze_sequence_number.
import type { PacketContext } from '../dissect/context'
import { A, presentTcp, type TcpView } from '../dissect/transport/tcp-present'
import { HS, STREAM_ROW_MASK, TcpStreamTable, type StreamRows } from './tcp-streams'

// Module-local copy: an imported binding is a getter call under tsx (the CLI) on every use.
const ROW = STREAM_ROW_MASK
const H = HS

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
      s = T.create(d, net.srcOff, net.dstOff, len, t.srcport, t.dstport, ctx.number, srcIsServer, now)
      dir = srcIsServer ? 1 : 0
    } else {
      dir = T.lastDir
      const R0 = T.rows(s, false)
      const j0 = s & ROW
      if (syn && !ackf && R0.state[j0]! & BASE_SET[dir]! && t.seq !== R0.base[2 * j0 + dir]) {
        // Ports reused by a new connection (a SYN with another ISN): tshark opens a new stream.
        s = T.create(d, net.srcOff, net.dstOff, len, t.srcport, t.dstport, ctx.number, false, now)
        dir = 0
        reused = true
      }
    }
    // Only this stream's chunk is used from here on: R stays valid.
    const R = T.rows(s)
    const j = s & ROW
    R.lastFrame[j] = ctx.number
    let flags = dir === 0 ? A.FROM_CLIENT : 0
    if (reused) flags |= A.REUSED_PORTS
    if (t.flags & TH_FIN) {
      flags |= A.FIN
      R.state[j]! |= FIN_SEEN[dir]!
    }
    if (t.flags & TH_RST) {
      flags |= A.RST
      R.state[j]! |= RST_SEEN[dir]!
    }
    T.touch(s, ctx.number, now, R.state[j]!)
    const i = 2 * j + dir
    R.packets[i]!++
    if (t.len > 0) R.bytes[i] = (R.bytes[i]! + t.len) >>> 0

    // Window scaling is negotiated by the SYN and SYN-ACK options.
    if (syn) {
      R.winScale[i] = t.wscale !== undefined ? Math.min(t.wscale, 14) : -2
      if (ackf) {
        const r = 2 * j + (1 - dir)
        if (R.winScale[i] === -2 || R.winScale[r] === -2) R.winScale[i] = R.winScale[r] = -2
      }
    }
    flags |= this.handshake(R, j, dir, t.seq, t.ack, t.flags, now)
    if (t.len < 0) return { stream: s, dir, flags, dupAckFrame: 0, dupAckNum: 0 }
    const ws = R.winScale[i]!
    const window = !syn && ws >= 0 ? t.window * (1 << ws) : t.window
    const a = this.sequence(R, j, dir, t.seq, t.ack, t.len, t.flags, window, now, ctx.number)
    flags |= a
    const dup = (a & A.DUP_ACK) !== 0
    return { stream: s, dir, flags, dupAckFrame: dup ? R.lastnondupack[i]! : 0, dupAckNum: dup ? R.dupacknum[i]! : 0 }
  }

  /** The handshake step this segment is (1 SYN, 2 SYN-ACK, 3 ACK) or 0; records ISNs and the iRTT. */
  private handshake(R: StreamRows, j: number, dir: number, seq: number, ack: number, f: number, now: number): number {
    const h = R.handshake[j]!
    const syn = f & TH_SYN
    const ackf = f & TH_ACK
    if (syn && !ackf && dir === 0) {
      if (!(h & H.SYN)) {
        R.handshake[j] = h | H.SYN
        R.clientIsn[j] = seq
        R.synTime[j] = now
      }
      return 1
    } else if (syn && ackf && dir === 1) {
      if (!(h & H.SYN) || ack === ((R.clientIsn[j]! + 1) >>> 0)) {
        if (!(h & H.SYNACK)) {
          R.handshake[j] = h | H.SYNACK
          R.serverIsn[j] = seq
        }
        return 2
      }
    } else if (!syn && ackf && dir === 0 && h & H.SYNACK && !(h & H.ACK)) {
      if ((!(h & H.SYN) || seq === ((R.clientIsn[j]! + 1) >>> 0)) && ack === ((R.serverIsn[j]! + 1) >>> 0)) {
        R.handshake[j] = h | H.ACK
        if (h & H.SYN) R.irtt[j] = now - R.synTime[j]!
        return 3
      }
    }
    return 0
  }

  /** tcp_analyze_sequence_number of packet-tcp.c (absolute sequence numbers). */
  private sequence(R: StreamRows, j: number, dir: number, seq: number, ack: number, seglen: number, f: number, window: number, now: number, frame: number): number {
    const fw = 2 * j + dir
    const rv = 2 * j + (1 - dir)
    // Bases for relative numbers: the ISN from a SYN, else one before the first seq seen.
    if (!(R.state[j]! & BASE_SET[dir]!)) {
      R.base[fw] = f & TH_SYN ? seq : (seq - 1) >>> 0
      R.state[j]! |= BASE_SET[dir]!
    }
    if (!(R.state[j]! & BASE_SET[1 - dir]!) && f & TH_ACK) {
      R.base[rv] = (ack - 1) >>> 0
      R.state[j]! |= BASE_SET[1 - dir]!
    }
    let a = 0
    const nextseq = R.nextseq[fw]!
    const ctl = f & (TH_SYN | TH_FIN | TH_RST)
    let zeroWindowProbe = false
    fwd: {
      if (seglen === 1 && seq === nextseq && R.window[rv] === 0) {
        zeroWindowProbe = true
        break fwd
      }
      if (window === 0 && !ctl) a |= A.ZERO_WINDOW
      if (nextseq && GT(seq, nextseq) && !(f & TH_RST)) a |= A.LOST_SEGMENT
      if ((seglen === 0 || seglen === 1) && seq === ((nextseq - 1) >>> 0) && !ctl) a |= A.KEEP_ALIVE
      if (seglen === 0 && window && window !== R.window[fw] && seq === nextseq && ack === R.lastack[fw] && !ctl) a |= A.WINDOW_UPDATE
      if (
        seglen === 0 &&
        window &&
        window === R.window[fw] &&
        seq === nextseq &&
        ack === R.lastack[fw] &&
        R.lastSegFlags[rv]! & A.KEEP_ALIVE &&
        !ctl
      ) {
        break fwd // keep-alive ACK
      }
      if (seglen === 0 && window && window === R.window[fw] && seq === nextseq && ack === R.lastack[fw] && !ctl) {
        R.dupacknum[fw]!++
        a |= A.DUP_ACK
      }
      if (!(a & A.DUP_ACK)) {
        R.dupacknum[fw] = 0
        R.lastnondupack[fw] = frame
      }
      const rmax = R.maxseqtobeacked[rv]!
      if (rmax && GT(ack, rmax) && f & TH_ACK) {
        a |= A.ACK_LOST_SEGMENT
        R.maxseqtobeacked[rv] = R.nextseq[rv]!
      }
      if (seglen > 0 || f & (TH_SYN | TH_FIN)) {
        if (a & A.KEEP_ALIVE) break fwd
        let notAdvanced = nextseq !== 0 && LT(seq, nextseq)
        if (seglen > 1 && ((nextseq - 1) >>> 0) === seq) notAdvanced = false
        if (notAdvanced && R.dupacknum[rv]! >= 2 && R.lastack[rv] === seq && now - R.lastackTime[rv]! < 0.02) {
          a |= A.FAST_RETRANSMISSION
          break fwd
        }
        const irtt = R.irtt[j]!
        const ooo = irtt > 0 ? irtt : 0.003
        if (notAdvanced && now - R.nextseqTime[fw]! < ooo && nextseq !== ((seq + seglen + (f & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0)) {
          a |= A.OUT_OF_ORDER
          break fwd
        }
        const rack = R.lastack[rv]!
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
    if ((GT(nxt, R.nextseq[fw]!) || !R.nextseq[fw]) && !zeroWindowProbe) {
      R.nextseq[fw] = nxt
      R.nextseqTime[fw] = now
    }
    if ((seq === R.maxseqtobeacked[fw] || !R.maxseqtobeacked[fw]) && !zeroWindowProbe) R.maxseqtobeacked[fw] = R.nextseq[fw]!
    R.window[fw] = window
    R.lastack[fw] = ack
    R.lastackTime[fw] = now
    R.lastSegFlags[fw] = a
    return a
  }

  /** The presentation of a packet of stream `s` sent by side `dir` with analysis bits `flags`. */
  view(s: number, dir: number, flags: number): TcpView {
    return viewOf(this.streams, s, dir, flags)
  }
}

export function viewOf(T: TcpStreamTable, s: number, dir: number, flags: number, dupAck?: readonly [number, number]): TcpView {
  const R = T.rows(s, false)
  const j = s & ROW
  const st = R.state[j]!
  return {
    stream: s,
    seqBase: st & BASE_SET[dir]! ? R.base[2 * j + dir]! : NaN,
    ackBase: st & BASE_SET[1 - dir]! ? R.base[2 * j + 1 - dir]! : NaN,
    scale: R.winScale[2 * j + dir]!,
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
