// TCP payload reassembly for application dissectors (tshark's default "allow subdissector to
// reassemble TCP streams"): a dissector that needs bytes beyond the segment asks for them
// (ports.ts desegment); the segments are collected until the PDU is complete and the frame that
// completes it shows the application layer. Memory is bounded: a pending PDU larger than
// MAX_PDU, pending bytes beyond MAX_PENDING in all, or more than MAX_PENDING_PDUS pending PDUs
// (e.g. a PDU whose rest the capture lost, left pending when its connection ended) are given up,
// oldest first; their segments then show as not reassembled. Where each stream direction has
// been dissected up to lives in the stream table's rows (chunked and spilled with them), and the
// frames that completed a PDU in PduRecords (spilled too), so neither grows in memory.
import type { PacketContext } from '../dissect/context'
import { defineField, node, type FieldNode } from '../dissect/fields'
import { desegment, ONE_MORE_SEGMENT } from '../dissect/transport/ports'
import { dispatchTcpPayload } from '../dissect/transport/tcp-present'
import { TCP } from '../dissect/transport/tcp-fields'
import { UNTIL_FIN } from '../dissect/app/http'
import { PduRecords } from './frame-records'
import { STREAM_ROW_MASK, type TcpStreamTable } from './tcp-streams'

// Module-local copy: an imported binding is a getter call under tsx (the CLI) on every use.
const ROW = STREAM_ROW_MASK

const MAX_PDU = 32 * 1024 * 1024
const MAX_PENDING = 128 * 1024 * 1024
/** Pending PDUs at once (each also costs a few hundred bytes of objects). */
const MAX_PENDING_PDUS = 16384
/** Frames listed per PDU (tcp.segment); longer PDUs keep the first ones. */
const MAX_FRAMES = 4096

const SEGMENTS = defineField('tcp.segments', 'Reassembled TCP Segments', 'none')
const SEGMENT = defineField('tcp.segment', 'TCP Segment', 'framenum')
const SEGMENT_COUNT = defineField('tcp.segment.count', 'Segment count', 'uint32')

const LE = (a: number, b: number) => ((a - b) | 0) <= 0
const LT = (a: number, b: number) => ((a - b) | 0) < 0
const GT = (a: number, b: number) => ((b - a) | 0) < 0

interface Msp {
  /** Raw sequence number of the PDU's first byte. */
  start: number
  /** Sequence number just past the bytes collected. */
  next: number
  /** Sequence number where the PDU ends; -1: one more segment, -2: until FIN. */
  end: number
  chunks: Uint8Array[]
  size: number
  frames: number[]
}

/** A frame that completed a multi-segment PDU: what re-dissecting it alone needs. */
export interface PduEntry {
  /** Raw sequence number of the PDU's first byte and its reassembled length. */
  startSeq: number
  length: number
  /** Frames carrying it, in order, this one last. */
  frames: Uint32Array
  untilFin: boolean
}

export type SegmentOutcome = 'dissected' | 'not-dissected'

export class TcpReassembler {
  private readonly pending = new Map<number, Msp>()
  private pendingBytes = 0
  /** Frames that completed a PDU (sparse): for re-dissecting them alone later. */
  readonly completed = new PduRecords()
  /**
   * After segment(): [from, to) frame ranges of this frame's bytes that belong to a PDU spanning
   * segments, completed here or still pending (tshark's tcp.segment_data).
   */
  readonly segmentData: number[] = []

  /** `streams` holds, per stream direction, the sequence number up to which data was dissected. */
  constructor(
    private readonly streams: TcpStreamTable,
    private readonly keepIndex = true
  ) {}

  /** Key 2 * stream + dir: dissected up to `seq`. */
  private setSeen(key: number, seq: number): void {
    const s = key >>> 1
    const R = this.streams.rows(s)
    const j = s & ROW
    R.reasmSeen[2 * j + (key & 1)] = seq
    R.reasmState[j]! |= 1 << (key & 1)
  }

  /** Where key's direction was dissected up to, or -1 when nothing was yet. */
  private seenOf(key: number): number {
    const s = key >>> 1
    const R = this.streams.rows(s, false)
    const j = s & ROW
    return R.reasmState[j]! & (1 << (key & 1)) ? R.reasmSeen[2 * j + (key & 1)]! : -1
  }

  /** Pending PDUs now. */
  get pendingCount(): number {
    return this.pending.size
  }

  /**
   * Hands the segment's payload to the application dissectors, through reassembly.
   * `conv` is the conversation dissector to use (-1 for ports and heuristics).
   */
  segment(ctx: PacketContext, key: number, conv: number): SegmentOutcome {
    this.segmentData.length = 0
    const t = ctx.tcp!
    const fin = (t.flags & 0x01) !== 0
    let payOff = t.payloadOff
    const payEnd = t.payloadEnd
    let seq = t.seq
    const captured = payEnd - payOff
    const msp0 = this.pending.get(key)
    if (t.len <= 0 || captured <= 0) {
      // A FIN ends a PDU that runs until the connection closes.
      if (fin && msp0 && msp0.end === -2) this.complete(ctx, key, msp0, seq, payOff, payOff, conv, true)
      return 'dissected'
    }
    if (captured < t.len) {
      // Cut by the snapshot length: tshark cannot reassemble and dissects what is there.
      dispatchTcpPayload(ctx, payOff, payEnd, false, conv)
      return 'dissected'
    }
    let msp = msp0
    if (msp) {
      if (GT(seq, msp.next)) {
        // A hole: the pending PDU can never complete.
        this.drop(key, msp)
        msp = undefined
      } else if (LT(seq, msp.next)) {
        if (LE((seq + t.len) >>> 0, msp.next)) return 'not-dissected'
        payOff += (msp.next - seq) >>> 0
        seq = msp.next
      }
    }
    if (msp) {
      this.append(msp, ctx.data.subarray(payOff, payEnd), ctx.number)
      if (msp.size > MAX_PDU) {
        this.drop(key, msp)
        return 'not-dissected'
      }
      const done = msp.end === -1 || (msp.end === -2 ? fin : LE(msp.end, msp.next))
      if (!done) {
        this.setSeen(key, msp.next)
        this.segmentData.push(payOff, payEnd)
        return 'not-dissected'
      }
      return this.complete(ctx, key, msp, seq, payOff, payEnd, conv, fin) ? 'dissected' : 'not-dissected'
    }
    const s = this.seenOf(key)
    if (s >= 0) {
      if (LE((seq + t.len) >>> 0, s)) return 'not-dissected'
      if (LT(seq, s)) {
        payOff += (s - seq) >>> 0
        seq = s
      }
    }
    this.fresh(ctx, key, seq, payOff, payEnd, conv, fin)
    return 'dissected'
  }

  /** Payload that starts a new PDU (or several). */
  private fresh(ctx: PacketContext, key: number, seq: number, payOff: number, payEnd: number, conv: number, fin: boolean): void {
    dispatchTcpPayload(ctx, payOff, payEnd, true, conv, fin)
    const end = (seq + (payEnd - payOff)) >>> 0
    this.setSeen(key, end)
    if (desegment.offset < 0) return
    const o = desegment.offset
    this.segmentData.push(o, payEnd)
    const chunk = ctx.data.slice(o, payEnd)
    const start = (seq + (o - payOff)) >>> 0
    const msp: Msp = {
      start,
      next: end,
      end: pduEnd(end, desegment.len),
      chunks: [chunk],
      size: chunk.length,
      frames: [ctx.number]
    }
    this.add(key, msp)
  }

  /** Dissects a completed PDU; false when the dissector wanted still more and showed nothing. */
  private complete(ctx: PacketContext, key: number, msp: Msp, seq: number, payOff: number, payEnd: number, conv: number, fin: boolean): boolean {
    this.pending.delete(key)
    this.pendingBytes -= msp.size
    const total = msp.end >= 0 ? Math.min(msp.size, (msp.end - msp.start) >>> 0) : msp.size
    const buf = concat(msp.chunks, total)
    // Where this frame's bytes start in buf, and how many of them the PDU uses.
    const tailStart = (seq - msp.start) >>> 0
    const used = Math.max(0, Math.min(payEnd - payOff, total - tailStart))
    const layersBefore = ctx.layers.length
    dispatchReassembled(ctx, buf, tailStart, payOff, conv, fin && used === payEnd - payOff)
    if (desegment.offset >= 0) {
      // The dissector wants still more: the PDU goes on from where it asked.
      const o = desegment.offset
      const rest = payOff + used < payEnd ? ctx.data.subarray(payOff + used, payEnd) : new Uint8Array(0)
      const chunk = new Uint8Array(buf.length - o + rest.length)
      chunk.set(buf.subarray(o))
      chunk.set(rest, buf.length - o)
      const start = (msp.start + o) >>> 0
      const next = (seq + (payEnd - payOff)) >>> 0
      const m: Msp = { start, next, end: pduEnd((msp.start + buf.length) >>> 0, desegment.len), chunks: [chunk], size: chunk.length, frames: msp.frames }
      // Layers of the attempt stay (as in tshark); the frame remains part of the PDU.
      this.segmentData.push(payOff, payEnd)
      this.add(key, m)
      this.setSeen(key, next)
      return ctx.layers.length > layersBefore
    }
    if (ctx.tree) addSegmentsTree(ctx, layersBefore, msp.frames, total)
    if (used > 0) this.segmentData.push(payOff, payOff + used)
    if (this.keepIndex) this.completed.set(ctx.number, { startSeq: msp.start, length: total, frames: Uint32Array.from(msp.frames), untilFin: msp.end === -2 })
    if (payOff + used < payEnd) this.fresh(ctx, key, (seq + used) >>> 0, payOff + used, payEnd, conv, fin)
    else this.setSeen(key, (seq + (payEnd - payOff)) >>> 0)
    return true
  }

  private append(msp: Msp, bytes: Uint8Array, frame: number): void {
    msp.chunks.push(bytes.slice())
    msp.size += bytes.length
    this.pendingBytes += bytes.length
    msp.next = (msp.next + bytes.length) >>> 0
    if (msp.frames.length < MAX_FRAMES) msp.frames.push(frame)
    if (this.pendingBytes > MAX_PENDING) this.evict()
  }

  private add(key: number, msp: Msp): void {
    const old = this.pending.get(key)
    if (old) this.drop(key, old)
    this.pending.set(key, msp)
    this.pendingBytes += msp.size
    if (this.pendingBytes > MAX_PENDING || this.pending.size > MAX_PENDING_PDUS) this.evict()
  }

  private drop(key: number, msp: Msp): void {
    this.pending.delete(key)
    this.pendingBytes -= msp.size
  }

  /** Gives up the oldest pending PDUs until the budgets hold again (with room to spare). */
  private evict(): void {
    for (const [k, m] of this.pending) {
      if (this.pendingBytes <= MAX_PENDING / 2 && this.pending.size <= (MAX_PENDING_PDUS * 3) / 4) break
      this.drop(k, m)
    }
  }

  /** Bytes held in pending PDUs. */
  get pendingSize(): number {
    return this.pendingBytes
  }
}

function pduEnd(next: number, len: number): number {
  if (len === ONE_MORE_SEGMENT) return -1
  if (len === UNTIL_FIN) return -2
  return (next + len) >>> 0
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === total) return chunks[0]!
  const out = new Uint8Array(total)
  let o = 0
  for (const c of chunks) {
    if (o >= total) break
    const n = Math.min(c.length, total - o)
    out.set(n === c.length ? c : c.subarray(0, n), o)
    o += n
  }
  return out
}

/**
 * Runs the application dissectors over a reassembled PDU. Its bytes come from several frames:
 * while they are dissected ctx.data is the PDU; afterwards node offsets are mapped back to the
 * frame (bytes from earlier frames get offset -1, length 0).
 */
export function dispatchReassembled(ctx: PacketContext, buf: Uint8Array, tailStart: number, payOff: number, conv: number, atFin: boolean): void {
  const saved = { data: ctx.data, view: ctx.view, caplen: ctx.caplen }
  const before = ctx.layers.length
  ctx.data = buf
  ctx.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  ctx.caplen = buf.length
  try {
    dispatchTcpPayload(ctx, 0, buf.length, true, conv, atFin)
  } finally {
    ctx.data = saved.data
    ctx.view = saved.view
    ctx.caplen = saved.caplen
  }
  if (ctx.tree) for (let i = before; i < ctx.layers.length; i++) remap(ctx.layers[i]!, tailStart, payOff)
}

function remap(n: FieldNode, tailStart: number, payOff: number): void {
  if (n.off >= 0) {
    const end = n.off + n.len
    if (n.off >= tailStart) n.off = n.off - tailStart + payOff
    else if (end > tailStart) {
      n.len = end - tailStart
      n.off = payOff
    } else {
      n.off = -1
      n.len = 0
    }
  }
  if (n.children) for (const c of n.children) remap(c, tailStart, payOff)
}

/** "[3 Reassembled TCP Segments (4096 bytes): #6, #7, #9]", placed before the PDU's layers. */
export function addSegmentsTree(ctx: PacketContext, at: number, frames: ArrayLike<number>, total: number): void {
  const list = Array.from(frames)
  const kids: FieldNode[] = list.map((f) => node(SEGMENT, 0, 0, f))
  kids.push(node(SEGMENT_COUNT, 0, 0, list.length), node(TCP.reassembledLength, 0, 0, total))
  const n = node(SEGMENTS, 0, 0, undefined, kids)
  n.label = `[${list.length} Reassembled TCP Segments (${total} bytes): ${list.map((f) => `#${f}`).join(', ')}]`
  ctx.layers.splice(at, 0, n)
}
