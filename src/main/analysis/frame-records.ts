// Records the sequential pass keeps of frames, for re-dissecting one of them alone later: sparse
// ones for some frames (the duplicate ACKs, the frames that completed a reassembled PDU or IP
// datagram, the RTO of a retransmission) and a dense one for every frame (the SEQ/ACK analysis and
// stream timestamps of TCP segments). Sparse records are appended in frame order, so they sit in a
// chunked table (store/chunked-table.ts) sorted by frame number and are found by binary search;
// dense ones are indexed by frame number. Resident memory is a few chunks however many there are,
// the rest is in the spill file, and nothing is forgotten.
import { emptySeqAck, type SeqAckDetails } from '../dissect/transport/tcp-present'
import type { PduEntry } from './tcp-reassembly'
import { ChunkedTable, type Columns, type Layout } from '../store/chunked-table'

/** What callers of SequentialDecoder.pdus / dupAcks use of a map. */
export interface FrameLookup<V> {
  get(frame: number): V | undefined
}

type Keyed<L extends Layout> = L & { readonly frame: { readonly type: Uint32ArrayConstructor } }

const RECORD_CHUNK_SHIFT = 12
const RECORD_RESIDENT = 4

/** Rows keyed by increasing frame numbers. */
class FrameKeyedTable<L extends Layout> {
  private readonly t: ChunkedTable<Keyed<L>>
  /** First frame of every chunk, in memory: the binary search over chunks needs no disk. */
  private readonly firstFrames: number[] = []
  private lastFrame = -1

  constructor(layout: L, name: string) {
    const keyed = { ...layout, frame: { type: Uint32Array } } as Keyed<L>
    this.t = new ChunkedTable(keyed, { chunkShift: RECORD_CHUNK_SHIFT, residentChunks: RECORD_RESIDENT, name })
  }

  get size(): number {
    return this.t.length
  }

  get residentBytes(): number {
    return this.t.residentBytes
  }

  get mask(): number {
    return this.t.mask
  }

  /** The row to fill for `frame`, or -1 when frame is below the last one appended. */
  put(frame: number): number {
    if (frame < this.lastFrame) return -1
    let i = this.t.length - 1
    if (frame !== this.lastFrame) {
      i = this.t.length
      this.t.grow(i + 1)
      if ((i & this.t.mask) === 0) this.firstFrames.push(frame)
      this.lastFrame = frame
    }
    this.t.rows(i).frame[i & this.t.mask] = frame
    return i
  }

  rows(i: number, write = false): Columns<Keyed<L>> {
    return this.t.rows(i, write)
  }

  /** Row of `frame`, or -1. */
  find(frame: number): number {
    if (this.t.length === 0 || frame > this.lastFrame || frame < this.firstFrames[0]!) return -1
    let lo = 0
    let hi = this.firstFrames.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.firstFrames[mid]! <= frame) lo = mid
      else hi = mid - 1
    }
    const base = lo << this.t.shift
    const keys = this.t.rows(base, false).frame
    let a = 0
    let b = Math.min(this.t.length - base, this.t.rowsPerChunk) - 1
    while (a <= b) {
      const m = (a + b) >>> 1
      const k = keys[m]!
      if (k === frame) return base + m
      if (k < frame) a = m + 1
      else b = m - 1
    }
    return -1
  }

  close(): void {
    this.t.close()
    this.firstFrames.length = 0
    this.lastFrame = -1
  }
}

/** Duplicate ACKs: frame → [frame it duplicates, its number in the run]. */
export class DupAckRecords implements FrameLookup<readonly [number, number]> {
  private readonly t = new FrameKeyedTable({ of: { type: Uint32Array }, num: { type: Uint32Array } }, 'dupacks')
  /** Frames recorded out of order (a caller decoding frames out of sequence); never in a capture pass. */
  private readonly stray = new Map<number, readonly [number, number]>()

  set(frame: number, value: readonly [number, number]): void {
    const i = this.t.put(frame)
    if (i < 0) {
      this.stray.set(frame, value)
      return
    }
    const c = this.t.rows(i, true)
    const j = i & this.t.mask
    c.of[j] = value[0]
    c.num[j] = value[1]
  }

  get(frame: number): readonly [number, number] | undefined {
    const i = this.t.find(frame)
    if (i < 0) return this.stray.get(frame)
    const c = this.t.rows(i)
    const j = i & this.t.mask
    return [c.of[j]!, c.num[j]!]
  }

  get size(): number {
    return this.t.size + this.stray.size
  }

  get residentBytes(): number {
    return this.t.residentBytes + this.stray.size * 64
  }

  close(): void {
    this.t.close()
    this.stray.clear()
  }
}

const FRAME_LIST_SHIFT = 14

/** Lists of frame numbers, one after the other in a chunked table: a record keeps where its list starts. */
class FrameLists {
  private readonly t: ChunkedTable<{ no: { type: Uint32ArrayConstructor } }>

  constructor(name: string) {
    this.t = new ChunkedTable({ no: { type: Uint32Array } }, { chunkShift: FRAME_LIST_SHIFT, residentChunks: RECORD_RESIDENT, name })
  }

  /** Appends `frames`; returns where the list starts. */
  append(frames: ArrayLike<number>): number {
    const at = this.t.length
    const n = frames.length
    this.t.grow(at + n)
    const m = this.t.mask
    for (let k = 0; k < n; k++) this.t.rows(at + k).no[(at + k) & m] = frames[k]!
    return at
  }

  read(at: number, n: number): Uint32Array {
    const out = new Uint32Array(n)
    const m = this.t.mask
    for (let k = 0; k < n; k++) out[k] = this.t.rows(at + k, false).no[(at + k) & m]!
    return out
  }

  get residentBytes(): number {
    return this.t.residentBytes
  }

  close(): void {
    this.t.close()
  }
}

/** Frames that completed a multi-segment PDU: what re-dissecting one alone needs. */
export class PduRecords implements FrameLookup<PduEntry> {
  private readonly t = new FrameKeyedTable(
    {
      framesAt: { type: Float64Array },
      startSeq: { type: Uint32Array },
      length: { type: Uint32Array },
      frameCount: { type: Uint32Array },
      untilFin: { type: Uint8Array }
    },
    'pdus'
  )
  /** Every PDU's frame list, one after the other. */
  private readonly frames = new FrameLists('pdu-frames')
  private readonly stray = new Map<number, PduEntry>()

  set(frame: number, e: PduEntry): void {
    const i = this.t.put(frame)
    if (i < 0) {
      this.stray.set(frame, e)
      return
    }
    const at = this.frames.append(e.frames)
    const c = this.t.rows(i, true)
    const j = i & this.t.mask
    c.framesAt[j] = at
    c.frameCount[j] = e.frames.length
    c.startSeq[j] = e.startSeq
    c.length[j] = e.length
    c.untilFin[j] = e.untilFin ? 1 : 0
  }

  get(frame: number): PduEntry | undefined {
    const i = this.t.find(frame)
    if (i < 0) return this.stray.get(frame)
    const c = this.t.rows(i)
    const j = i & this.t.mask
    const at = c.framesAt[j]!
    const n = c.frameCount[j]!
    const e = { startSeq: c.startSeq[j]!, length: c.length[j]!, untilFin: c.untilFin[j] === 1 }
    return { ...e, frames: this.frames.read(at, n) }
  }

  get size(): number {
    return this.t.size + this.stray.size
  }

  get residentBytes(): number {
    let stray = 0
    for (const e of this.stray.values()) stray += 96 + e.frames.byteLength
    return this.t.residentBytes + this.frames.residentBytes + stray
  }

  close(): void {
    this.t.close()
    this.frames.close()
    this.stray.clear()
  }
}

/**
 * Frames that completed a reassembled IPv4/IPv6 datagram → the earlier frames whose fragments
 * it needs, ascending (those of a datagram nested in another's fragments included): feeding them
 * to a fresh defragmenter in that order, then the frame itself, rebuilds what the pass built.
 */
export class DatagramRecords implements FrameLookup<Uint32Array> {
  private readonly t = new FrameKeyedTable({ framesAt: { type: Float64Array }, frameCount: { type: Uint32Array } }, 'datagrams')
  private readonly frames = new FrameLists('datagram-frames')
  private readonly stray = new Map<number, Uint32Array>()

  set(frame: number, earlier: ArrayLike<number>): void {
    const i = this.t.put(frame)
    if (i < 0) {
      this.stray.set(frame, Uint32Array.from(earlier))
      return
    }
    const at = this.frames.append(earlier)
    const c = this.t.rows(i, true)
    const j = i & this.t.mask
    c.framesAt[j] = at
    c.frameCount[j] = earlier.length
  }

  get(frame: number): Uint32Array | undefined {
    const i = this.t.find(frame)
    if (i < 0) return this.stray.get(frame)
    const c = this.t.rows(i)
    const j = i & this.t.mask
    return this.frames.read(c.framesAt[j]!, c.frameCount[j]!)
  }

  get size(): number {
    return this.t.size + this.stray.size
  }

  get residentBytes(): number {
    let stray = 0
    for (const e of this.stray.values()) stray += 64 + e.byteLength
    return this.t.residentBytes + this.frames.residentBytes + stray
  }

  close(): void {
    this.t.close()
    this.frames.close()
    this.stray.clear()
  }
}

/** Where the pass keeps the SEQ/ACK details of TCP frames (TcpStreamTable.seqAcks). */
export interface SeqAckStore {
  set(frame: number, d: SeqAckDetails): void
  /** Fills `out` with the frame's details; false when none were recorded. */
  get(frame: number, out: SeqAckDetails): boolean
  readonly residentBytes: number
  close(): void
}

const SEQACK_CHUNK_SHIFT = 12
const SEQACK_RESIDENT = 4
/** Durations shorter than this many seconds are kept as nanoseconds in a Float64 (exact, and split back exactly). */
const NS_SEC_LIMIT = 1e6

/**
 * A duration as nanoseconds, or NaN when that would not give back the same pair: too long, or
 * not in nstime_t's normal form (a capture's out-of-range nanoseconds carry through).
 */
function nsOf(sec: number, nsec: number): number {
  if (!(sec < NS_SEC_LIMIT && sec > -NS_SEC_LIMIT && nsec < 1e9 && nsec > -1e9)) return NaN
  if ((sec > 0 && nsec < 0) || (sec < 0 && nsec > 0)) return NaN
  // -0.5 s is (0, -500000000): fine; (0, 0) is 0.
  return sec * 1e9 + nsec
}

/**
 * Every frame's SEQ/ACK details, row frame - 1 (30 bytes a frame, frames without TCP included),
 * and beside them the rare ones that do not fit: RTOs of retransmissions, and durations of 11
 * days or more (timestamps decades apart in broken captures) or with odd nanoseconds.
 */
export class SeqAckRecords implements SeqAckStore {
  private readonly t = new ChunkedTable(
    {
      bits: { type: Uint8Array },
      completeness: { type: Uint8Array },
      acksFrame: { type: Uint32Array },
      bytesInFlight: { type: Uint32Array },
      pushBytesSent: { type: Uint32Array },
      ackRttNs: { type: Float64Array },
      sincePrevNs: { type: Float64Array }
    },
    { chunkShift: SEQACK_CHUNK_SHIFT, residentChunks: SEQACK_RESIDENT, name: 'seqack' }
  )
  private readonly rare = new FrameKeyedTable(
    {
      rtoSec: { type: Float64Array },
      rttSec: { type: Float64Array },
      prevSec: { type: Float64Array },
      rtoNsec: { type: Int32Array },
      rttNsec: { type: Int32Array },
      prevNsec: { type: Int32Array },
      rtoFrame: { type: Uint32Array }
    },
    'seqack-rare'
  )
  private readonly stray = new Map<number, SeqAckDetails>()

  set(frame: number, d: SeqAckDetails): void {
    if (!(frame >= 1)) return
    const i = frame - 1
    const t = this.t
    // A row not written before reads as zeros: only the values that are not need storing.
    const fresh = i >= t.length
    if (fresh) t.grow(i + 1)
    const c = t.rows(i)
    const j = i & t.mask
    const rtt = nsOf(d.ackRttSec, d.ackRttNsec)
    const prev = nsOf(d.sincePrevSec, d.sincePrevNsec)
    c.bits[j] = d.bits
    c.completeness[j] = d.completeness
    if (!fresh || d.acksFrame) {
      c.acksFrame[j] = d.acksFrame
      c.ackRttNs[j] = rtt
    }
    if (!fresh || d.bytesInFlight) {
      c.bytesInFlight[j] = d.bytesInFlight
      c.pushBytesSent[j] = d.pushBytesSent
    }
    c.sincePrevNs[j] = prev
    if (d.rtoSec !== 0 || d.rtoNsec !== 0 || Number.isNaN(rtt) || Number.isNaN(prev)) {
      const k = this.rare.put(frame)
      if (k < 0) {
        const copy = emptySeqAck()
        copySeqAck(d, copy)
        this.stray.set(frame, copy)
        return
      }
      const r = this.rare.rows(k, true)
      const m = k & this.rare.mask
      r.rtoSec[m] = d.rtoSec
      r.rtoNsec[m] = d.rtoNsec
      r.rtoFrame[m] = d.rtoFrame
      r.rttSec[m] = d.ackRttSec
      r.rttNsec[m] = d.ackRttNsec
      r.prevSec[m] = d.sincePrevSec
      r.prevNsec[m] = d.sincePrevNsec
    }
  }

  get(frame: number, out: SeqAckDetails): boolean {
    const i = frame - 1
    if (!(i >= 0 && i < this.t.length)) return false
    const c = this.t.rows(i, false)
    const j = i & this.t.mask
    const bits = c.bits[j]!
    if (bits === 0) return false
    out.bits = bits
    out.completeness = c.completeness[j]!
    out.acksFrame = c.acksFrame[j]!
    out.bytesInFlight = c.bytesInFlight[j]!
    out.pushBytesSent = c.pushBytesSent[j]!
    splitNs(c.ackRttNs[j]!, out, 'ackRttSec', 'ackRttNsec')
    splitNs(c.sincePrevNs[j]!, out, 'sincePrevSec', 'sincePrevNsec')
    out.rtoSec = out.rtoNsec = out.rtoFrame = 0
    const k = this.rare.find(frame)
    if (k >= 0) {
      const r = this.rare.rows(k)
      const m = k & this.rare.mask
      out.rtoSec = r.rtoSec[m]!
      out.rtoNsec = r.rtoNsec[m]!
      out.rtoFrame = r.rtoFrame[m]!
      out.ackRttSec = r.rttSec[m]!
      out.ackRttNsec = r.rttNsec[m]!
      out.sincePrevSec = r.prevSec[m]!
      out.sincePrevNsec = r.prevNsec[m]!
    } else {
      const s = this.stray.get(frame)
      if (s) copySeqAck(s, out)
    }
    return true
  }

  get residentBytes(): number {
    return this.t.residentBytes + this.rare.residentBytes + this.stray.size * 160
  }

  close(): void {
    this.t.close()
    this.rare.close()
    this.stray.clear()
  }
}

/** Nanoseconds (exact in a Float64) as nstime_t-like seconds and nanoseconds of one sign. */
function splitNs(ns: number, out: SeqAckDetails, sec: 'ackRttSec' | 'sincePrevSec', nsec: 'ackRttNsec' | 'sincePrevNsec'): void {
  if (Number.isNaN(ns)) return
  const s = Math.trunc(ns / 1e9)
  out[sec] = s
  out[nsec] = ns - s * 1e9
}

/**
 * Only the last frame's details: for a pass that re-dissects a frame, if at all, right after
 * decoding it (`wirenote fields`).
 */
export class LatestSeqAck implements SeqAckStore {
  private frame = -1
  private readonly d: SeqAckDetails = emptySeqAck()

  set(frame: number, d: SeqAckDetails): void {
    this.frame = frame
    copySeqAck(d, this.d)
  }

  get(frame: number, out: SeqAckDetails): boolean {
    if (frame !== this.frame) return false
    copySeqAck(this.d, out)
    return true
  }

  readonly residentBytes = 0

  close(): void {
    this.frame = -1
  }
}

/** Field by field: this runs once a packet, where Object.assign costs. */
function copySeqAck(a: SeqAckDetails, b: SeqAckDetails): void {
  b.bits = a.bits
  b.completeness = a.completeness
  b.acksFrame = a.acksFrame
  b.ackRttSec = a.ackRttSec
  b.ackRttNsec = a.ackRttNsec
  b.bytesInFlight = a.bytesInFlight
  b.pushBytesSent = a.pushBytesSent
  b.sincePrevSec = a.sincePrevSec
  b.sincePrevNsec = a.sincePrevNsec
  b.rtoSec = a.rtoSec
  b.rtoNsec = a.rtoNsec
  b.rtoFrame = a.rtoFrame
}
