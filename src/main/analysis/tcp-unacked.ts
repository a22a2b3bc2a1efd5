// The segments of each TCP flow that were sent and not yet acknowledged: packet-tcp.c's
// tcp_unacked_t lists, which tell which earlier segment an ACK acknowledges (tcp.analysis.acks_frame,
// ack_rtt), how much data is in flight (bytes_in_flight) and how long a retransmitted segment
// waited (rto). One pool of nodes for every flow, struct of arrays, each list newest first as
// tshark keeps it; a stream row holds its two list heads (tcp-streams.ts segHead/segCount).
//
// The pool only holds what is unacknowledged now, so it stays small in a capture that sees both
// directions. A one-sided capture never sees the ACKs: tshark stops adding to a flow's list at
// TCP_MAX_UNACKED_SEGMENTS, and this pool also stops growing at `maxNodes` in all, after which
// new segments are not tracked (their ACKs then name no frame, and bytes in flight count only
// the tracked ones). Lists of streams whose tuple the stream table forgot are given back with
// releaseStreams().

/** tshark's per-flow bound (packet-tcp.h TCP_MAX_UNACKED_SEGMENTS). */
export const MAX_UNACKED_PER_FLOW = 10000

const DEFAULT_MAX_NODES = 1 << 19
const FREE = 0xffffffff

const GT = (a: number, b: number) => ((b - a) | 0) < 0
const LT = (a: number, b: number) => ((a - b) | 0) < 0

export class UnackedSegments {
  // Node 0 is the null pointer; nodes are 1..capacity-1.
  private seq: Uint32Array
  private nextseq: Uint32Array
  private frame: Uint32Array
  private next: Uint32Array
  /** 2 * stream + direction, FREE on the free list. */
  private owner: Uint32Array
  /** Time sent (capture timestamp: seconds and nanoseconds). */
  private tsSec: Float64Array
  private tsNsec: Uint32Array
  private freeHead = 0
  /** Nodes ever handed out (1 + the highest index used). */
  private top = 1
  private live = 0
  readonly maxNodes: number

  /** What ack() found: the oldest segment the ACK covered exactly (0 when none), and when it was sent. */
  ackedFrame = 0
  ackedSec = 0
  ackedNsec = 0
  /** Nodes ack() removed from the list. */
  removed = 0

  constructor(maxNodes = DEFAULT_MAX_NODES) {
    this.maxNodes = Math.max(16, maxNodes)
    const n = Math.min(1024, this.maxNodes + 1)
    this.seq = new Uint32Array(n)
    this.nextseq = new Uint32Array(n)
    this.frame = new Uint32Array(n)
    this.next = new Uint32Array(n)
    this.owner = new Uint32Array(n)
    this.tsSec = new Float64Array(n)
    this.tsNsec = new Uint32Array(n)
  }

  /** Nodes in use. */
  get size(): number {
    return this.live
  }

  get residentBytes(): number {
    return this.seq.length * 32
  }

  /**
   * Puts a segment in front of the list starting at `head` and returns the new head, or 0 when
   * the pool is full (the segment is then not tracked).
   */
  add(head: number, owner: number, frame: number, seq: number, nextseq: number, sec: number, nsec: number): number {
    let n = this.freeHead
    if (n !== 0) this.freeHead = this.next[n]!
    else {
      if (this.top >= this.seq.length && !this.grow()) return 0
      n = this.top++
    }
    this.seq[n] = seq
    this.nextseq[n] = nextseq
    this.frame[n] = frame
    this.tsSec[n] = sec
    this.tsNsec[n] = nsec
    this.owner[n] = owner
    this.next[n] = head
    this.live++
    return n
  }

  /**
   * Applies an acknowledgment number to the list at `head` (the other direction's segments) as
   * packet-tcp.c does: segments it covers are removed, one it covers in part is cut to the
   * unacknowledged rest, and the oldest one it covers exactly is reported in ackedFrame/ackedTs.
   * Returns the new head.
   */
  ack(head: number, ack: number): number {
    this.ackedFrame = 0
    this.removed = 0
    const seq = this.seq
    const nextseq = this.nextseq
    const next = this.next
    let prev = 0
    let u = head
    while (u !== 0) {
      const nx = nextseq[u]!
      if (ack !== nx && LT(ack, nx)) {
        if (GT(ack, seq[u]!)) seq[u] = ack
        prev = u
        u = next[u]!
        continue
      }
      // Newest first: the last exact match is the oldest segment with this end.
      if (ack === nx) {
        this.ackedFrame = this.frame[u]!
        this.ackedSec = this.tsSec[u]!
        this.ackedNsec = this.tsNsec[u]!
      }
      const after = next[u]!
      if (prev === 0) head = after
      else next[prev] = after
      this.release(u)
      this.removed++
      u = after
    }
    return head
  }

  /**
   * Bytes from the lowest start to the highest end of the segments of the list, measured from
   * the flow's base sequence number (packet-tcp.c's payload-based bytes in flight).
   */
  span(head: number, base: number): number {
    if (head === 0) return 0
    const seq = this.seq
    const nextseq = this.nextseq
    let first = (seq[head]! - base) >>> 0
    let last = (nextseq[head]! - base) >>> 0
    for (let u = this.next[head]!; u !== 0; u = this.next[u]!) {
      const l = (nextseq[u]! - base) >>> 0
      if (l > last) last = l
      const f = (seq[u]! - base) >>> 0
      if (f < first) first = f
    }
    return (last - first) >>> 0
  }

  /** The oldest segment of a non-empty list (its last node). */
  oldest(head: number): number {
    let u = head
    for (let n = this.next[u]!; n !== 0; n = this.next[n]!) u = n
    return u
  }

  frameOf(node: number): number {
    return this.frame[node]!
  }

  secOf(node: number): number {
    return this.tsSec[node]!
  }

  nsecOf(node: number): number {
    return this.tsNsec[node]!
  }

  /** Gives back every node of the list at `head`. */
  free(head: number): void {
    let u = head
    while (u !== 0) {
      const after = this.next[u]!
      this.release(u)
      u = after
    }
  }

  /**
   * Gives back the nodes of the streams `dropped` says yes to (streams whose tuple was
   * forgotten: no packet of theirs will come again, and their rows need not be read).
   */
  releaseStreams(dropped: (stream: number) => boolean): void {
    const owner = this.owner
    for (let u = 1; u < this.top; u++) {
      const o = owner[u]!
      if (o !== FREE && dropped(o >>> 1)) this.release(u)
    }
  }

  clear(): void {
    this.seq = new Uint32Array(16)
    this.nextseq = new Uint32Array(16)
    this.frame = new Uint32Array(16)
    this.next = new Uint32Array(16)
    this.owner = new Uint32Array(16)
    this.tsSec = new Float64Array(16)
    this.tsNsec = new Uint32Array(16)
    this.freeHead = 0
    this.top = 1
    this.live = 0
  }

  private release(u: number): void {
    this.owner[u] = FREE
    this.next[u] = this.freeHead
    this.freeHead = u
    this.live--
  }

  private grow(): boolean {
    const n = this.seq.length
    // Node 0 is never used: maxNodes nodes take maxNodes + 1 slots.
    if (n > this.maxNodes) return false
    const size = Math.min(n * 2, this.maxNodes + 1)
    const g32 = (a: Uint32Array): Uint32Array<ArrayBuffer> => {
      const b = new Uint32Array(size)
      b.set(a)
      return b
    }
    this.seq = g32(this.seq)
    this.nextseq = g32(this.nextseq)
    this.frame = g32(this.frame)
    this.next = g32(this.next)
    this.owner = g32(this.owner)
    this.tsNsec = g32(this.tsNsec)
    const ts = new Float64Array(size)
    ts.set(this.tsSec)
    this.tsSec = ts
    return true
  }
}
