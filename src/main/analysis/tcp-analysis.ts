// TCP conversation analysis as tshark 4.0 does it in its single pass: tcp.stream numbering
// (a SYN with a new ISN on a known 4-tuple opens a new stream), relative sequence numbers,
// handshake and teardown, conversation completeness and timestamps, and the sequence analysis
// of packet-tcp.c's tcp_analyze_sequence_number: analysis flags (retransmission, duplicate ACK,
// lost segment, ...), which earlier segment an ACK acknowledges and its RTT, the iRTT, bytes in
// flight and bytes since the last PSH.
import type { PacketContext } from '../dissect/context'
import * as present from '../dissect/transport/tcp-present'
import { emptySeqAck, presentTcp, type SeqAckDetails, type SeqAckView, type TcpView } from '../dissect/transport/tcp-present'
import * as streams from './tcp-streams'
import { TcpStreamTable, type StreamRows } from './tcp-streams'
import * as unacked from './tcp-unacked'
import type { UnackedSegments } from './tcp-unacked'

// Module-local copies: an imported binding is a getter call under tsx (the CLI) on every use.
const ROW = streams.STREAM_ROW_MASK
const H = streams.HS
const FLOW = streams.FLOW
const MRU_SYN = streams.MRU_SYN
const A = present.A
const SA = present.SA
const COMPLETENESS = present.COMPLETENESS
const MAX_UNACKED_PER_FLOW = unacked.MAX_UNACKED_PER_FLOW

/** What the session keeps per packet: tcp.stream (-1 when not TCP) and A.* flag bits. */
export interface TcpPacketRecord {
  stream: number
  flags: number
}

const TH_FIN = 0x01
const TH_SYN = 0x02
const TH_RST = 0x04
const TH_PUSH = 0x08
const TH_ACK = 0x10

const LT = (a: number, b: number) => ((a - b) | 0) < 0
const GT = (a: number, b: number) => ((b - a) | 0) < 0
const LE = (a: number, b: number) => ((a - b) | 0) <= 0

/** Per-direction state bits in TcpStreamTable.state. */
const BASE_SET = [0x01, 0x02]
const FIN_SEEN = [0x04, 0x08]
const RST_SEEN = [0x10, 0x20]

/** packet-tcp.c's analysis flags (TCP_A_*): what a segment's tcp_acked holds. */
const TA = {
  RETRANSMISSION: 0x0001,
  LOST_PACKET: 0x0002,
  ACK_LOST_PACKET: 0x0004,
  KEEP_ALIVE: 0x0008,
  DUPLICATE_ACK: 0x0010,
  ZERO_WINDOW: 0x0020,
  ZERO_WINDOW_PROBE: 0x0040,
  ZERO_WINDOW_PROBE_ACK: 0x0080,
  KEEP_ALIVE_ACK: 0x0100,
  OUT_OF_ORDER: 0x0200,
  FAST_RETRANSMISSION: 0x0400,
  WINDOW_UPDATE: 0x0800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000
} as const

/** The packet record's A.* bits for tshark's flags (the retransmission kinds exclude each other). */
function recordFlags(ta: number): number {
  let a = 0
  if (ta & TA.RETRANSMISSION) a |= A.RETRANSMISSION
  else if (ta & TA.FAST_RETRANSMISSION) a |= A.FAST_RETRANSMISSION
  else if (ta & TA.SPURIOUS_RETRANSMISSION) a |= A.SPURIOUS_RETRANSMISSION
  if (ta & TA.OUT_OF_ORDER) a |= A.OUT_OF_ORDER
  if (ta & TA.LOST_PACKET) a |= A.LOST_SEGMENT
  if (ta & TA.ACK_LOST_PACKET) a |= A.ACK_LOST_SEGMENT
  if (ta & TA.KEEP_ALIVE) a |= A.KEEP_ALIVE
  if (ta & TA.DUPLICATE_ACK) a |= A.DUP_ACK
  if (ta & TA.ZERO_WINDOW) a |= A.ZERO_WINDOW
  if (ta & TA.WINDOW_UPDATE) a |= A.WINDOW_UPDATE
  if (ta & TA.REUSED_PORTS) a |= A.REUSED_PORTS
  return a
}

/** The SA.* bits for tshark's flags that have no A.* bit. */
function extraBits(ta: number): number {
  let b = 0
  if (ta & TA.WINDOW_FULL) b |= SA.WINDOW_FULL
  if (ta & TA.KEEP_ALIVE_ACK) b |= SA.KEEP_ALIVE_ACK
  if (ta & TA.ZERO_WINDOW_PROBE) b |= SA.ZERO_WINDOW_PROBE
  if (ta & TA.ZERO_WINDOW_PROBE_ACK) b |= SA.ZERO_WINDOW_PROBE_ACK
  return b
}

// Times are capture timestamps (seconds, nanoseconds) and durations nstime_t-like pairs, so that
// differences are exact however far apart the timestamps are.
let DS = 0
let DN = 0

/** b - a as nstime_delta computes it (seconds and nanoseconds of one sign), into DS and DN. */
function delta(bs: number, bn: number, as: number, an: number): void {
  DS = bs - as
  DN = bn - an
  if (DS > 0 && DN < 0) {
    DN += 1e9
    DS--
  } else if (DS < 0 && DN > 0) {
    DN -= 1e9
    DS++
  }
}

/** b - a in nanoseconds as a float: exact while small, which is all a threshold test needs. */
const approxNs = (bs: number, bn: number, as: number, an: number): number => (bs - as) * 1e9 + (bn - an)

/** a < b for the two's-complement guint64 values packet-tcp.c compares (negatives are huge). */
const ult = (a: number, b: number): boolean => ((a < 0) === (b < 0) ? a < b : a >= 0)

/** 20 ms: how soon after the duplicate ACKs a retransmission counts as fast (packet-tcp.c). */
const FAST_RETRANSMISSION_NS = 20e6
/** Out-of-order window while the iRTT is unknown (packet-tcp.c: 3 ms). */
const DEFAULT_OOO_NS = 3e6
/** SACK blocks packet-tcp.c keeps of a segment for bytes in flight (MAX_TCP_SACK_RANGES - 1). */
const SACK_BLOCKS_KEPT = 3

export interface SegmentResult {
  stream: number
  dir: number
  flags: number
  /** For a duplicate ACK: the frame it duplicates and its number in the run ("[TCP Dup ACK 5#2]"). */
  dupAckFrame: number
  dupAckNum: number
  /** SEQ/ACK details of the segment. */
  seqAck: SeqAckDetails
}

export class TcpAnalyzer {
  private readonly pool: UnackedSegments
  private readonly details = emptySeqAck()
  /** track()'s result, reused: valid until the next track(). */
  private readonly result: SegmentResult = { stream: 0, dir: 0, flags: 0, dupAckFrame: 0, dupAckNum: 0, seqAck: this.details }
  // What sequence() found besides the flags it returns.
  private exists = false
  private dupNum = 0
  private dupFrame = 0

  constructor(readonly streams: TcpStreamTable = new TcpStreamTable()) {
    this.pool = streams.unacked
  }

  /**
   * Tracks one segment (ctx.tcp and ctx.net set by the dissectors) at time `now` (seconds):
   * finds or opens its stream, computes its analysis and records its SEQ/ACK details in the
   * stream table (TcpStreamTable.seqAcks). Returns null without IP; the result object is the
   * analyzer's, valid until the next call.
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
    let created = false
    let reused = false
    if (s < 0) {
      const srcIsServer = syn && ackf
      s = T.create(d, net.srcOff, net.dstOff, len, t.srcport, t.dstport, ctx.number, srcIsServer, now)
      dir = srcIsServer ? 1 : 0
      created = true
    } else {
      dir = T.lastDir
      const R0 = T.rows(s, false)
      const j0 = s & ROW
      if (syn && !ackf && R0.state[j0]! & BASE_SET[dir]! && t.seq !== R0.base[2 * j0 + dir]) {
        // Ports reused by a new connection (a SYN with another ISN): tshark opens a new stream,
        // and no packet will reach the old one again.
        this.dropSegments(s)
        s = T.create(d, net.srcOff, net.dstOff, len, t.srcport, t.dstport, ctx.number, false, now)
        dir = 0
        created = reused = true
      }
    }
    // Only this stream's chunk is used from here on: R stays valid.
    const R = T.rows(s)
    const j = s & ROW
    const ts = ctx.tsSec
    const tn = ctx.tsNsec
    if (created) {
      R.firstSec[j] = R.prevSec[j] = ts
      R.firstNsec[j] = R.prevNsec[j] = tn
      // A new stream that starts with a SYN (packet-tcp.c shows it on that SYN already).
      if (reused) R.completeness[j] = COMPLETENESS.SYN
    }
    const D = this.details
    delta(ts, tn, R.prevSec[j]!, R.prevNsec[j]!)
    D.sincePrevSec = DS
    D.sincePrevNsec = DN
    R.prevSec[j] = ts
    R.prevNsec[j] = tn
    D.completeness = R.completeness[j]!
    D.acksFrame = D.ackRttSec = D.ackRttNsec = D.bytesInFlight = D.pushBytesSent = D.rtoSec = D.rtoNsec = D.rtoFrame = 0

    R.lastFrame[j] = ctx.number
    let flags = dir === 0 ? A.FROM_CLIENT : 0
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

    // Window scaling is negotiated by the SYN and SYN-ACK options (packet-tcp.c's
    // verify_tcp_window_scaling: a SYN without the option rules it out both ways).
    if (syn && !t.bogus) {
      const r = 2 * j + (1 - dir)
      if (t.wscale !== undefined) R.winScale[i] = Math.min(t.wscale, 14)
      if (R.winScale[i] === -1) R.winScale[i] = R.winScale[r] = -2
      else if (ackf && R.winScale[r] === -2) R.winScale[i] = -2
    }
    flags |= this.handshake(R, j, dir, t.seq, t.ack, t.flags)
    let ta = reused ? TA.REUSED_PORTS : 0
    let exists = reused
    this.dupNum = this.dupFrame = 0
    if (t.len >= 0) {
      ta |= this.sequence(R, s, dir, t.seq, t.ack, t.len, t.flags, t.window, ts, tn, ctx.number)
      exists ||= this.exists
    }
    // The SACK blocks of this segment count against the other direction's bytes in flight.
    let sacked = 0
    const sack = t.sack
    if (sack && !t.bogus) {
      for (let k = 0; k + 1 < sack.length && k < 2 * SACK_BLOCKS_KEPT; k += 2) sacked = (sacked + ((sack[k + 1]! - sack[k]!) >>> 0)) >>> 0
    }
    R.sackDelivered[i] = sacked
    // packet-tcp.c gives up on a bogus header length before the rest of this.
    if (!t.bogus) this.afterAnalysis(R, j, dir, t.flags, t.len, created && !reused, ts, tn)
    const irtt = R.irttSec[j] !== 0 || R.irttNsec[j] !== 0
    D.bits = SA.RECORDED | (exists || ta !== 0 ? SA.ANALYSIS : 0) | (irtt ? SA.IRTT : 0) | (ta !== 0 ? extraBits(ta) : 0)
    T.seqAcks.set(ctx.number, D)
    if (ta !== 0) flags |= recordFlags(ta)
    const res = this.result
    res.stream = s
    res.dir = dir
    res.flags = flags
    res.dupAckFrame = this.dupFrame
    res.dupAckNum = this.dupNum
    return res
  }

  /** Gives back the unacknowledged segments of a stream no packet will reach again. */
  private dropSegments(s: number): void {
    const j = s & ROW
    // Read first: writing would make the (usually old, spilled) chunk dirty for nothing.
    const R0 = this.streams.rows(s, false)
    if (R0.segHead[2 * j] === 0 && R0.segHead[2 * j + 1] === 0) return
    const R = this.streams.rows(s)
    for (let k = 2 * j; k <= 2 * j + 1; k++) {
      this.pool.free(R.segHead[k]!)
      R.segHead[k] = 0
      R.segCount[k] = 0
    }
  }

  /**
   * What dissect_tcp does after the sequence analysis: moves tcp.completeness on, remembers the
   * latest SYN's time, and takes the iRTT at the first pure ACK after it.
   */
  private afterAnalysis(R: StreamRows, j: number, dir: number, f: number, seglen: number, isNew: boolean, ts: number, tn: number): void {
    const C = COMPLETENESS
    const synAck = f & (TH_SYN | TH_ACK)
    let c: number
    if (isNew) {
      // Only a pure SYN counts in the first packet of a conversation.
      c = 0
      if (synAck === TH_SYN) c = seglen > 0 ? C.SYN | C.DATA : C.SYN
    } else {
      c = R.completeness[j]!
      if (synAck === (TH_SYN | TH_ACK)) c |= C.SYNACK
      if (synAck === TH_ACK) c |= seglen > 0 ? C.DATA : C.ACK
      if ((f & (TH_FIN | TH_ACK)) === (TH_FIN | TH_ACK)) c |= C.FIN
      if (f & TH_RST) c |= C.RST
    }
    R.completeness[j] = c
    const fw = 2 * j + dir
    if (f & TH_SYN) {
      if (!(f & TH_ACK)) {
        // A zero time (a record without timestamp) reads as "no SYN seen", as nstime_is_zero does.
        R.mruSynSec[j] = ts
        R.mruSynNsec[j] = tn
        if (ts !== 0 || tn !== 0) R.state[j]! |= MRU_SYN
        else R.state[j]! &= ~MRU_SYN
      }
      R.flow[fw]! |= FLOW.FIRST_ACK
    }
    if (synAck === TH_ACK) {
      if (R.state[j]! & MRU_SYN && R.irttSec[j] === 0 && R.irttNsec[j] === 0) {
        delta(ts, tn, R.mruSynSec[j]!, R.mruSynNsec[j]!)
        R.irttSec[j] = DS
        R.irttNsec[j] = DN
      }
      R.flow[fw]! &= ~FLOW.FIRST_ACK
    }
  }

  /** The handshake step this segment is (1 SYN, 2 SYN-ACK, 3 ACK) or 0; records the ISNs. */
  private handshake(R: StreamRows, j: number, dir: number, seq: number, ack: number, f: number): number {
    const h = R.handshake[j]!
    const syn = f & TH_SYN
    const ackf = f & TH_ACK
    if (syn && !ackf && dir === 0) {
      if (!(h & H.SYN)) {
        R.handshake[j] = h | H.SYN
        R.clientIsn[j] = seq
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
        return 3
      }
    }
    return 0
  }

  /**
   * tcp_analyze_sequence_number of packet-tcp.c (absolute sequence numbers, the unscaled window
   * field): returns the TCP_A_* flags and fills this.details with what the segment acknowledges,
   * bytes in flight and the RTO; this.exists says whether tshark made a tcp_acked for it.
   */
  private sequence(R: StreamRows, s: number, dir: number, seq: number, ack: number, seglen: number, f: number, window: number, ts: number, tn: number, frame: number): number {
    const D = this.details
    const pool = this.pool
    const j = s & ROW
    const fw = 2 * j + dir
    const rv = 2 * j + (1 - dir)
    let exists = false
    // Bases for relative numbers: the ISN from a SYN, else one before the first seq seen.
    if (!(R.state[j]! & BASE_SET[dir]!)) {
      R.base[fw] = f & TH_SYN ? seq : (seq - 1) >>> 0
      R.state[j]! |= BASE_SET[dir]!
    }
    if (!(R.state[j]! & BASE_SET[1 - dir]!) && f & TH_ACK) {
      R.base[rv] = (ack - 1) >>> 0
      R.state[j]! |= BASE_SET[1 - dir]!
    }
    if (f & TH_ACK) R.flow[rv]! &= ~FLOW.BIF_INVALID
    let a = 0
    const nextseq = R.nextseq[fw]!
    const ctl = f & (TH_SYN | TH_FIN | TH_RST)
    const sameAck = seglen === 0 && seq === nextseq && ack === R.lastack[fw] && !ctl
    fwd: {
      if (seglen === 1 && seq === nextseq && R.window[rv] === 0) {
        a |= TA.ZERO_WINDOW_PROBE
        break fwd
      }
      if (window === 0 && !ctl) a |= TA.ZERO_WINDOW
      if (nextseq && GT(seq, nextseq) && !(f & TH_RST)) {
        a |= TA.LOST_PACKET
        // Bytes in flight stop being counted until an ACK comes the other way.
        R.flow[fw]! |= FLOW.BIF_INVALID
      }
      if ((seglen === 0 || seglen === 1) && seq === ((nextseq - 1) >>> 0) && !ctl) a |= TA.KEEP_ALIVE
      if (sameAck && window && window !== R.window[fw]) a |= TA.WINDOW_UPDATE
      if (seglen > 0 && R.winScale[rv] !== -1 && !ctl) {
        const ws = R.winScale[rv]!
        const shift = R.flow[rv]! & FLOW.FIRST_ACK || ws === -2 ? 0 : ws
        if (((seq + seglen) >>> 0) === ((R.lastack[rv]! + ((R.window[rv]! << shift) >>> 0)) >>> 0)) a |= TA.WINDOW_FULL
      }
      if (sameAck && window && window === R.window[fw] && R.lastSegFlags[rv]! & TA.KEEP_ALIVE) {
        a |= TA.KEEP_ALIVE_ACK
        break fwd
      }
      if (sameAck && window === 0 && window === R.window[fw] && R.lastSegFlags[rv]! & TA.ZERO_WINDOW_PROBE) {
        a |= TA.ZERO_WINDOW_PROBE_ACK
        break fwd
      }
      if (sameAck && window && window === R.window[fw]) {
        const n = R.dupacknum[fw]! === -1 ? 1 : R.dupacknum[fw]! + 1
        R.dupacknum[fw] = n
        a |= TA.DUPLICATE_ACK
        this.dupNum = n
        this.dupFrame = R.lastnondupack[fw]!
      }
    }
    // finished_fwd: a new acknowledgment number ends a run of duplicate ACKs.
    if (ack !== R.lastack[fw]) {
      R.lastnondupack[fw] = frame
      R.dupacknum[fw] = 0
    }
    const rmax = R.maxseqtobeacked[rv]!
    if (rmax && GT(ack, rmax) && f & TH_ACK) {
      exists = true
      if (rmax < R.nextseq[rv]!) {
        // Data the other side sent since: flag it and move the mark up to it.
        R.maxseqtobeacked[rv] = R.nextseq[rv]!
        a |= TA.ACK_LOST_PACKET
      } else {
        // The other side may keep ACKing the same unseen data: flag it once.
        if (R.dupacknum[rv] === 0) a |= TA.ACK_LOST_PACKET
        R.dupacknum[rv] = -1
      }
    }
    if ((seglen > 0 || f & (TH_SYN | TH_FIN)) && !(a & TA.KEEP_ALIVE)) {
      let notAdvanced = nextseq !== 0 && LT(seq, nextseq)
      if (seglen > 1 && ((nextseq - 1) >>> 0) === seq) notAdvanced = false
      const rack = R.lastack[rv]!
      if (seglen > 0 && rack && LE((seq + seglen) >>> 0, rack)) a |= TA.SPURIOUS_RETRANSMISSION
      // packet-tcp.c's counter is unsigned: the -1 of an ACK of unseen data counts as many.
      else if (notAdvanced && R.dupacknum[rv]! >>> 0 >= 2 && rack === seq && this.within(ts, tn, R.lastackSec[rv]!, R.lastackNsec[rv]!, FAST_RETRANSMISSION_NS)) {
        a |= TA.FAST_RETRANSMISSION
      } else if (
        notAdvanced &&
        this.within(ts, tn, R.nextseqSec[fw]!, R.nextseqNsec[fw]!, R.irttSec[j] !== 0 || R.irttNsec[j] !== 0 ? R.irttSec[j]! * 1e9 + R.irttNsec[j]! : DEFAULT_OOO_NS) &&
        nextseq !== ((seq + seglen + (f & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0)
      ) {
        a |= TA.OUT_OF_ORDER
      } else if (notAdvanced) {
        a |= TA.RETRANSMISSION
        // The RTO: from the oldest segment still unacknowledged, else from when nextseq advanced.
        const head = R.segHead[fw]!
        if (head !== 0) {
          const o = pool.oldest(head)
          delta(ts, tn, pool.secOf(o), pool.nsecOf(o))
          D.rtoFrame = pool.frameOf(o)
        } else {
          delta(ts, tn, R.nextseqSec[fw]!, R.nextseqNsec[fw]!)
          D.rtoFrame = R.nextseqFrame[fw]!
        }
        D.rtoSec = DS
        D.rtoNsec = DN
      }
    }
    // finished_checking_retransmission_type: remember what this segment tells about the stream.
    let nxt = (seq + seglen) >>> 0
    if ((seglen || f & (TH_SYN | TH_FIN)) && R.segCount[fw]! < MAX_UNACKED_PER_FLOW) {
      if (f & (TH_SYN | TH_FIN)) nxt = (nxt + 1) >>> 0
      const n = pool.add(R.segHead[fw]!, 2 * s + dir, frame, seq, nxt, ts, tn)
      if (n !== 0) {
        R.segHead[fw] = n
        R.segCount[fw]!++
      }
    }
    const zwp = (a & TA.ZERO_WINDOW_PROBE) !== 0
    if ((GT(nxt, R.nextseq[fw]!) || !R.nextseq[fw]) && !zwp) {
      R.nextseq[fw] = nxt
      R.nextseqFrame[fw] = frame
      R.nextseqSec[fw] = ts
      R.nextseqNsec[fw] = tn
    }
    if ((seq === R.maxseqtobeacked[fw] || !R.maxseqtobeacked[fw]) && !zwp) R.maxseqtobeacked[fw] = R.nextseq[fw]!
    R.window[fw] = window
    R.lastack[fw] = ack
    R.lastackSec[fw] = ts
    R.lastackNsec[fw] = tn
    R.lastSegFlags[fw] = a
    // The ACK: which of the other side's segments it covers.
    const rhead = R.segHead[rv]!
    if (rhead !== 0) {
      R.segHead[rv] = pool.ack(rhead, ack)
      R.segCount[rv] = R.segCount[rv]! - pool.removed
      if (pool.ackedFrame !== 0) {
        exists = true
        D.acksFrame = pool.ackedFrame
        delta(ts, tn, pool.ackedSec, pool.ackedNsec)
        D.ackRttSec = DS
        D.ackRttNsec = DN
      }
    }
    // Bytes in flight after this segment, from the payload of the unacknowledged segments.
    const head = R.segHead[fw]!
    if (seglen !== 0 && head !== 0 && !(R.flow[fw]! & FLOW.BIF_INVALID)) {
      exists = true
      let inFlight = pool.span(head, R.base[fw]!)
      const sacked = R.sackDelivered[rv]!
      if (sacked) inFlight = (inFlight - sacked) >>> 0
      // The SYN or FIN counted in the segment's end is not a byte.
      if (inFlight > 0 && inFlight < 2000000000) D.bytesInFlight = inFlight - (f & (TH_SYN | TH_FIN) ? 1 : 0)
      const psh = (f & TH_PUSH) !== 0
      const last = (R.flow[fw]! & FLOW.PUSH_SET_LAST) !== 0
      R.pushBytes[fw] = psh && !last ? (R.pushBytes[fw]! + seglen) >>> 0 : psh || last ? seglen : (R.pushBytes[fw]! + seglen) >>> 0
      if (psh) R.flow[fw]! |= FLOW.PUSH_SET_LAST
      else R.flow[fw]! &= ~FLOW.PUSH_SET_LAST
      D.pushBytesSent = R.pushBytes[fw]!
    }
    this.exists = exists
    return a
  }

  /** Whether (ts, tn) is less than `limit` ns after (s, n), compared as packet-tcp.c's guint64 values. */
  private within(ts: number, tn: number, s: number, n: number, limit: number): boolean {
    return ult(approxNs(ts, tn, s, n), limit)
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

/**
 * What presentTcp draws of a segment's SEQ/ACK analysis: its recorded details with the stream's
 * first-frame time and iRTT (`tsSec`/`tsNsec`: the frame's timestamp).
 */
export function seqAckView(T: TcpStreamTable, s: number, d: SeqAckDetails, tsSec: number, tsNsec: number): SeqAckView {
  const R = T.rows(s, false)
  const j = s & ROW
  delta(tsSec, tsNsec, R.firstSec[j]!, R.firstNsec[j]!)
  return { ...d, sinceFirstSec: DS, sinceFirstNsec: DN, irttSec: R.irttSec[j]!, irttNsec: R.irttNsec[j]! }
}

/**
 * Adds the conversation nodes and Info to a packet dissected in tree mode (see presentTcp), with
 * the SEQ/ACK details the pass recorded for the frame (TcpStreamTable.seqAcks).
 */
export function presentRecord(ctx: PacketContext, T: TcpStreamTable, rec: TcpPacketRecord, dupAck?: readonly [number, number]): void {
  if (rec.stream < 0 || rec.stream >= T.count) {
    presentTcp(ctx, null)
    return
  }
  const dir = rec.flags & A.FROM_CLIENT ? 0 : 1
  const v = viewOf(T, rec.stream, dir, rec.flags, dupAck)
  if (ctx.tree) {
    const d = emptySeqAck()
    if (T.seqAcks.get(ctx.number, d)) v.seqAck = seqAckView(T, rec.stream, d, ctx.tsSec, ctx.tsNsec)
  }
  presentTcp(ctx, v)
}
