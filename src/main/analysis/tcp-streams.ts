// The TCP stream table: one fixed-size row per conversation (~280 bytes, struct of arrays) and a
// hash from the 4-tuple to the latest stream with that tuple. Both stay bounded however many
// streams a capture accumulates:
//
// * Rows live in chunks of 1024 streams (store/chunked-table.ts); at most `residentChunks` of
//   them (~12.5 MB by default) are in memory and the least recently used go to a temporary file.
//   Stream ids grow with time and the streams that carry packets are mostly recent ones, so the
//   working set is a few chunks; an old stream's row is read back when one of its packets (or the
//   UI) needs it.
// * Beside the rows, the table holds what the analysis keeps apart from them: the pool of
//   unacknowledged segments (tcp-unacked.ts, bounded; a forgotten stream's segments are freed)
//   and the SEQ/ACK details of every analysed frame (frame-records.ts, spilled like the rows),
//   so that whoever re-dissects a frame with this table sees what the pass saw.
// * The tuple hash forgets conversations that are over. A tuple is dropped when its stream was
//   closed (FIN both ways, or a RST) and no packet used the tuple for `closedIdleSec` of capture
//   time (default 240 s: 2 × MSL, after which TCP itself allows only a new connection on the
//   tuple), and, when more than `maxTuples` tuples are live, closed tuples and then open ones
//   are dropped least recently seen first. A later packet on a dropped tuple opens a new stream.
//   tshark never forgets, so the two differ only there: a new connection (SYN) on a dropped tuple
//   gets the same new tcp.stream in both but no tcp.analysis.reused_ports here, and a stray
//   segment of a forgotten conversation (after 2 × MSL, or beyond the LRU bound) starts a new
//   stream where tshark would continue the old one.
import { ipv4String, ipv6String } from '../dissect/format'
import { ChunkedTable, type ColumnSpec, type Columns } from '../store/chunked-table'
import { LatestSeqAck, SeqAckRecords, type SeqAckStore } from './frame-records'
import { UnackedSegments } from './tcp-unacked'

/** Handshake progress of a stream (bits). */
export const HS = { SYN: 1, SYNACK: 2, ACK: 4 } as const

/** Streams per chunk of rows, log2. */
export const STREAM_CHUNK_SHIFT = 10
/** Row of stream s within its chunk: `s & STREAM_ROW_MASK`. */
export const STREAM_ROW_MASK = (1 << STREAM_CHUNK_SHIFT) - 1

// Columns of a stream row. Per-direction columns (per: 2) hold index 2 * row + dir, dir 0 being
// client → server.
const LAYOUT = {
  // Times are capture timestamps as tshark's nstime_t: whole seconds and nanoseconds, exact
  // however far apart (a Float64 of nanoseconds would round beyond 104 days).
  /** The stream's first frame (tcp.time_relative counts from it) and its latest one. */
  firstSec: { type: Float64Array },
  prevSec: { type: Float64Array },
  /** The latest SYN (valid with state bit MRU_SYN). */
  mruSynSec: { type: Float64Array },
  /** The initial RTT (a duration: sec and nsec of one sign), zero until known. */
  irttSec: { type: Float64Array },
  /** When nextseq last advanced and the last ACK was seen, per direction (out-of-order, fast retransmission, RTO). */
  nextseqSec: { type: Float64Array, per: 2 },
  lastackSec: { type: Float64Array, per: 2 },
  firstNsec: { type: Uint32Array },
  prevNsec: { type: Uint32Array },
  mruSynNsec: { type: Uint32Array },
  irttNsec: { type: Int32Array },
  nextseqNsec: { type: Uint32Array, per: 2 },
  lastackNsec: { type: Uint32Array, per: 2 },
  firstFrame: { type: Uint32Array },
  lastFrame: { type: Uint32Array },
  /** Valid once SYN / SYN-ACK were seen (handshake bits). */
  clientIsn: { type: Uint32Array },
  serverIsn: { type: Uint32Array },
  /** convDissector applies after this frame. */
  switchFrame: { type: Uint32Array },
  base: { type: Uint32Array, per: 2 },
  nextseq: { type: Uint32Array, per: 2 },
  /** Frame that last advanced nextseq. */
  nextseqFrame: { type: Uint32Array, per: 2 },
  maxseqtobeacked: { type: Uint32Array, per: 2 },
  lastack: { type: Uint32Array, per: 2 },
  /** Last window field seen (unscaled), 0xffffffff before any. */
  window: { type: Uint32Array, per: 2 },
  /** Duplicate ACKs in the current run; -1 after an ACK of unseen data (packet-tcp.c). */
  dupacknum: { type: Int32Array, per: 2 },
  /** Frame of the last segment in this direction that was not a duplicate ACK. */
  lastnondupack: { type: Uint32Array, per: 2 },
  bytes: { type: Uint32Array, per: 2 },
  packets: { type: Uint32Array, per: 2 },
  /** Payload bytes since the last PSH (tcp.analysis.push_bytes_sent). */
  pushBytes: { type: Uint32Array, per: 2 },
  /** Bytes the direction's latest segment reported SACKed (taken off the other direction's bytes in flight). */
  sackDelivered: { type: Uint32Array, per: 2 },
  /** Unacknowledged segments: list head in the table's UnackedSegments (0 none) and length. */
  segHead: { type: Uint32Array, per: 2 },
  segCount: { type: Uint16Array, per: 2 },
  /** TCP reassembly: sequence number up to which payload was dissected (valid per reasmState bit). */
  reasmSeen: { type: Uint32Array, per: 2 },
  clientPort: { type: Uint16Array },
  serverPort: { type: Uint16Array },
  lastSegFlags: { type: Uint16Array, per: 2 },
  /** Client address then server address, 16 bytes each (IPv4 uses the first 4). */
  addr: { type: Uint8Array, per: 32 },
  addrLen: { type: Uint8Array },
  /** HS.* bits. */
  handshake: { type: Uint8Array },
  /**
   * bit0/1: base seq set for dir 0/1; bit2/3: FIN seen from dir 0/1; bit4/5: RST from dir 0/1;
   * bit6: mruSynNs set.
   */
  state: { type: Uint8Array },
  /** tcp.completeness so far (COMPLETENESS bits). */
  completeness: { type: Uint8Array },
  /** FLOW.* bits per direction. */
  flow: { type: Uint8Array, per: 2 },
  /** Application state bits kept for the stream's dissectors (ports.ts STREAM_*). */
  appState: { type: Uint8Array },
  /** bit0/1: reasmSeen valid for dir 0/1. */
  reasmState: { type: Uint8Array },
  /** Window shift per direction: -1 unknown, -2 no scaling, else 0..14. */
  winScale: { type: Int8Array, per: 2 },
  /** Conversation dissector index (ports.ts CONV_*) used after frame switchFrame, -1 none. */
  convDissector: { type: Int8Array }
} as const

type StreamLayout = typeof LAYOUT
/** The columns of one chunk of stream rows (stream s at `s & STREAM_ROW_MASK`). */
export type StreamRows = Columns<StreamLayout>
export type StreamColumn = keyof StreamLayout

/** A column read (and written) by stream index as a flat array was; cold paths only. */
export interface ColumnView {
  [i: number]: number
}

export interface StreamEndpoints {
  client: { addr: string; port: number }
  server: { addr: string; port: number }
}

export interface TcpStreamTableOptions {
  /** Chunks of 1024 stream rows kept in memory (default: as many as fit in ~12.5 MB). */
  residentChunks?: number
  /** Unacknowledged segments tracked at once, all streams together (see tcp-unacked.ts). */
  maxUnacked?: number
  /**
   * Which frames' SEQ/ACK details to keep for redissect: all of them (default), or only the
   * latest (a pass that never goes back, like `wirenote fields`).
   */
  frameRecords?: 'all' | 'latest'
  /** Tuples kept in the 4-tuple hash before the least recently seen are dropped (default 131072). */
  maxTuples?: number
  /** Capture seconds after which a closed stream's tuple is forgotten (default 240). */
  closedIdleSec?: number
  /** Folder of the spill file (default: the OS temp dir). */
  spillDir?: string
}

/** Resident stream rows, in bytes: 64 chunks of the 196-byte rows the table once had. */
const DEFAULT_RESIDENT_BYTES = 64 * 1024 * 196
const DEFAULT_MAX_TUPLES = 1 << 17
const DEFAULT_CLOSED_IDLE = 240
/** Below this many tuples the hash is small enough not to bother sweeping it by time. */
const MIN_SWEEP_TUPLES = 4096

/** Tuple slot flag: the stream was closed (FIN both ways or RST) at its last packet. */
const SLOT_CLOSED = 1

/** Bits of the per-direction `flow` column. */
export const FLOW = {
  /** Bytes in flight are not counted (a segment was missed) until the other side ACKs. */
  BIF_INVALID: 1,
  /** The direction's latest data segment had PSH. */
  PUSH_SET_LAST: 2,
  /** A SYN was seen and no pure ACK since (packet-tcp.c is_first_ack). */
  FIRST_ACK: 4
} as const

/** `state` bit: mruSynNs holds the latest SYN's time. */
export const MRU_SYN = 0x40

export class TcpStreamTable {
  private readonly table: ChunkedTable<StreamLayout>
  // The tuple hash: open addressing with linear probing, struct of arrays. `slotHash` holds the
  // full 32-bit hash so probes touch a stream row (possibly on disk) only on a real match.
  private slotStream = new Int32Array(1024) // stream + 1, 0 empty
  private slotHash = new Uint32Array(1024)
  /** Frame number of the tuple's last packet: least recently seen order. */
  private slotFrame = new Uint32Array(1024)
  /** Capture time (whole seconds) of the tuple's last packet. */
  private slotSec = new Uint32Array(1024)
  private slotFlags = new Uint8Array(1024)
  private slotMask = 1023
  private used = 0
  /** Slot of the tuple found or created last (touch() updates it). */
  private lastSlot = -1
  /** Direction of the packet find() matched last: 0 client → server, 1 server → client. */
  lastDir = 0
  private readonly maxTuples: number
  private readonly closedIdle: number
  /** Latest capture second seen, and when tuples were last swept by time. */
  private clockSec = 0
  private sweptSec = 0
  /** Tuples dropped so far (for reports and tests). */
  droppedTuples = 0
  /** The streams' unacknowledged segments (the analysis's, kept here so forgetting a tuple frees them). */
  readonly unacked: UnackedSegments
  /** SEQ/ACK details of every TCP frame the pass analysed, for redissect. */
  readonly seqAcks: SeqAckStore

  // Flat-array views of the columns, as the table had before it was chunked (cold paths).
  readonly addr: ColumnView
  readonly addrLen: ColumnView
  readonly clientPort: ColumnView
  readonly serverPort: ColumnView
  readonly firstFrame: ColumnView
  readonly lastFrame: ColumnView
  readonly handshake: ColumnView
  readonly clientIsn: ColumnView
  readonly serverIsn: ColumnView
  readonly state: ColumnView
  readonly winScale: ColumnView
  readonly appState: ColumnView
  readonly convDissector: ColumnView
  readonly switchFrame: ColumnView
  readonly firstSec: ColumnView
  readonly firstNsec: ColumnView
  readonly irttSec: ColumnView
  readonly irttNsec: ColumnView
  readonly completeness: ColumnView
  readonly lastSegFlags: ColumnView
  readonly base: ColumnView
  readonly nextseq: ColumnView
  readonly maxseqtobeacked: ColumnView
  readonly lastack: ColumnView
  readonly window: ColumnView
  readonly dupacknum: ColumnView
  readonly lastnondupack: ColumnView
  readonly bytes: ColumnView
  readonly packets: ColumnView

  constructor(opts: TcpStreamTableOptions = {}) {
    const rowBytes = Object.values(LAYOUT).reduce((n, c: ColumnSpec) => n + c.type.BYTES_PER_ELEMENT * (c.per ?? 1), 0)
    this.table = new ChunkedTable(LAYOUT, {
      chunkShift: STREAM_CHUNK_SHIFT,
      residentChunks: opts.residentChunks ?? Math.max(2, Math.floor(DEFAULT_RESIDENT_BYTES / (rowBytes << STREAM_CHUNK_SHIFT))),
      name: 'streams',
      ...(opts.spillDir ? { spillDir: opts.spillDir } : {})
    })
    this.unacked = new UnackedSegments(opts.maxUnacked)
    this.seqAcks = opts.frameRecords === 'latest' ? new LatestSeqAck() : new SeqAckRecords()
    this.maxTuples = Math.max(16, opts.maxTuples ?? DEFAULT_MAX_TUPLES)
    this.closedIdle = opts.closedIdleSec ?? DEFAULT_CLOSED_IDLE
    const v = (c: StreamColumn): ColumnView => this.view(c)
    this.addr = v('addr')
    this.addrLen = v('addrLen')
    this.clientPort = v('clientPort')
    this.serverPort = v('serverPort')
    this.firstFrame = v('firstFrame')
    this.lastFrame = v('lastFrame')
    this.handshake = v('handshake')
    this.clientIsn = v('clientIsn')
    this.serverIsn = v('serverIsn')
    this.state = v('state')
    this.winScale = v('winScale')
    this.appState = v('appState')
    this.convDissector = v('convDissector')
    this.switchFrame = v('switchFrame')
    this.firstSec = v('firstSec')
    this.firstNsec = v('firstNsec')
    this.irttSec = v('irttSec')
    this.irttNsec = v('irttNsec')
    this.completeness = v('completeness')
    this.lastSegFlags = v('lastSegFlags')
    this.base = v('base')
    this.nextseq = v('nextseq')
    this.maxseqtobeacked = v('maxseqtobeacked')
    this.lastack = v('lastack')
    this.window = v('window')
    this.dupacknum = v('dupacknum')
    this.lastnondupack = v('lastnondupack')
    this.bytes = v('bytes')
    this.packets = v('packets')
  }

  /** Number of streams (tcp.stream values 0..count-1). */
  get count(): number {
    return this.table.length
  }

  /**
   * The chunk of rows holding stream s; its row is `s & STREAM_ROW_MASK` (per-direction columns:
   * `2 * row + dir`). Valid until rows() of a stream in another chunk, find() or create().
   */
  rows(s: number, write = true): StreamRows {
    return this.table.rows(s, write)
  }

  /** Bytes held in memory now: resident row chunks and the tuple hash. */
  get byteSize(): number {
    return this.table.residentBytes + this.hashBytes
  }

  get residentRowBytes(): number {
    return this.table.residentBytes
  }

  get hashBytes(): number {
    return this.slotStream.length * 17
  }

  /** Tuples in the hash now. */
  get tupleCount(): number {
    return this.used
  }

  /** The row storage (spill counters, for tests and reports). */
  get storage(): Pick<ChunkedTable<StreamLayout>, 'residentChunks' | 'spilledChunks' | 'loads' | 'stores' | 'spillError' | 'isResident'> {
    return this.table
  }

  close(): void {
    this.table.close()
    this.seqAcks.close()
    this.unacked.clear()
    this.slotStream = new Int32Array(16)
    this.slotHash = new Uint32Array(16)
    this.slotFrame = new Uint32Array(16)
    this.slotSec = new Uint32Array(16)
    this.slotFlags = new Uint8Array(16)
    this.slotMask = 15
    this.used = 0
  }

  private static hashEndpoint(d: Uint8Array, off: number, len: number, port: number): number {
    let h = 0x811c9dc5 ^ port
    for (let i = 0; i < len; i++) h = Math.imul(h ^ d[off + i]!, 0x01000193)
    return h >>> 0
  }

  /** Symmetric hash of the 4-tuple: the same for both directions. */
  private static hash(d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number): number {
    const a = TcpStreamTable.hashEndpoint(d, src, len, sport)
    const b = TcpStreamTable.hashEndpoint(d, dst, len, dport)
    const h = (a + b) >>> 0
    return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0
  }

  /** Which side of stream s sent this packet: 0 client, 1 server, -1 not this stream. */
  direction(s: number, d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number): number {
    const R = this.table.rows(s, false)
    const j = s & STREAM_ROW_MASK
    if (R.addrLen[j] !== len) return -1
    const a = R.addr
    const o = j * 32
    const cp = R.clientPort[j]!
    const sp = R.serverPort[j]!
    if (sport === cp && dport === sp && same(a, o, d, src, len) && same(a, o + 16, d, dst, len)) return 0
    if (sport === sp && dport === cp && same(a, o + 16, d, src, len) && same(a, o, d, dst, len)) return 1
    return -1
  }

  /** The latest stream with this 4-tuple (either direction), or -1 (never seen, or forgotten). */
  find(d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number): number {
    const h = TcpStreamTable.hash(d, src, dst, len, sport, dport)
    let i = h & this.slotMask
    for (;;) {
      const v = this.slotStream[i]!
      if (v === 0) return -1
      if (this.slotHash[i] === h) {
        const dir = this.direction(v - 1, d, src, dst, len, sport, dport)
        if (dir >= 0) {
          this.lastSlot = i
          this.lastDir = dir
          return v - 1
        }
      }
      i = (i + 1) & this.slotMask
    }
  }

  /**
   * Opens a new stream for this tuple (the packet's source becomes the client unless
   * `srcIsServer`), replacing any earlier stream with the same tuple in the hash. `time` is the
   * packet's capture time in seconds (drives forgetting closed tuples).
   */
  create(d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number, frame: number, srcIsServer: boolean, time = 0): number {
    this.tick(time)
    if (this.used + 1 > this.maxTuples) this.sweep(true)
    else if (this.used >= MIN_SWEEP_TUPLES && this.clockSec - this.sweptSec >= this.closedIdle / 4) this.sweep(false)
    const s = this.table.length
    this.table.grow(s + 1)
    const R = this.table.rows(s)
    const j = s & STREAM_ROW_MASK
    const o = j * 32
    const c = srcIsServer ? dst : src
    const sv = srcIsServer ? src : dst
    R.addr.set(d.subarray(c, c + len), o)
    R.addr.set(d.subarray(sv, sv + len), o + 16)
    R.addrLen[j] = len
    R.clientPort[j] = srcIsServer ? dport : sport
    R.serverPort[j] = srcIsServer ? sport : dport
    R.firstFrame[j] = frame
    R.lastFrame[j] = frame
    R.winScale[2 * j] = -1
    R.winScale[2 * j + 1] = -1
    R.window[2 * j] = 0xffffffff
    R.window[2 * j + 1] = 0xffffffff
    R.convDissector[j] = -1
    // the hash: replace the slot of an earlier stream with this tuple, else insert
    const h = TcpStreamTable.hash(d, src, dst, len, sport, dport)
    let i = h & this.slotMask
    for (;;) {
      const v = this.slotStream[i]!
      if (v === 0) {
        this.used++
        break
      }
      if (this.slotHash[i] === h && this.direction(v - 1, d, src, dst, len, sport, dport) >= 0) break
      i = (i + 1) & this.slotMask
    }
    this.slotStream[i] = s + 1
    this.slotHash[i] = h
    this.slotFrame[i] = frame
    this.slotSec[i] = this.sec(time)
    this.slotFlags[i] = 0
    this.lastSlot = i
    if (this.used * 2 > this.slotStream.length) {
      this.rebuild(this.slotStream.length * 2, () => true)
      this.lastSlot = this.slotOf(s, h)
    }
    return s
  }

  /**
   * Records a packet of the stream found or created last: when its tuple was last used, and
   * `state` (its state bits after this packet) says whether the conversation is over.
   */
  touch(s: number, frame: number, time: number, state: number): void {
    const i = this.lastSlot
    if (i < 0 || this.slotStream[i] !== s + 1) return
    this.tick(time)
    this.slotFrame[i] = frame
    this.slotSec[i] = this.sec(time)
    this.slotFlags[i] = state & 0x30 || (state & 0x0c) === 0x0c ? SLOT_CLOSED : 0
  }

  private sec(time: number): number {
    return time > 0 && time < 4294967295 ? Math.floor(time) : this.clockSec
  }

  private tick(time: number): void {
    if (time > this.clockSec && time < 4294967295) {
      if (this.clockSec === 0) this.sweptSec = Math.floor(time)
      this.clockSec = Math.floor(time)
    }
  }

  /**
   * Drops tuples of closed streams idle for closedIdle seconds; with `full` (the hash reached
   * maxTuples) also the least recently seen, closed ones first, down to 3/4 of maxTuples.
   */
  private sweep(full: boolean): void {
    this.sweptSec = this.clockSec
    const idleBefore = this.clockSec - this.closedIdle
    const S = this.slotStream
    const F = this.slotFlags
    const Sec = this.slotSec
    let keepClosedAfter = -1
    let keepOpenAfter = -1
    if (full) {
      // Frame-number cutoffs: closed tuples seen at or before keepClosedAfter go, then open ones
      // at or before keepOpenAfter, so that about a quarter of maxTuples is freed.
      let closedIdle = 0
      const closed: number[] = []
      const open: number[] = []
      for (let i = 0; i < S.length; i++) {
        if (S[i] === 0) continue
        if (F[i]! & SLOT_CLOSED) {
          if (Sec[i]! <= idleBefore) closedIdle++
          else closed.push(this.slotFrame[i]!)
        } else open.push(this.slotFrame[i]!)
      }
      let need = this.used - Math.floor((this.maxTuples * 3) / 4) - closedIdle
      if (need > 0 && closed.length) {
        closed.sort((a, b) => a - b)
        keepClosedAfter = closed[Math.min(need, closed.length) - 1]!
        need -= Math.min(need, closed.length)
      }
      if (need > 0 && open.length) {
        open.sort((a, b) => a - b)
        keepOpenAfter = open[Math.min(need, open.length) - 1]!
      }
    }
    const before = this.used
    const dropped = new Set<number>()
    this.rebuild(this.slotStream.length, (i) => {
      const closed = (F[i]! & SLOT_CLOSED) !== 0
      let keep = true
      if (closed && (Sec[i]! <= idleBefore || this.slotFrame[i]! <= keepClosedAfter)) keep = false
      else if (!closed && keepOpenAfter >= 0 && this.slotFrame[i]! <= keepOpenAfter) keep = false
      if (!keep) dropped.add(S[i]! - 1)
      return keep
    })
    this.droppedTuples += before - this.used
    this.lastSlot = -1
    // No packet of a forgotten stream comes again: its unacknowledged segments can go.
    if (dropped.size && this.unacked.size) this.unacked.releaseStreams((s) => dropped.has(s))
  }

  /** Re-inserts the tuples `keep` accepts into a hash of `size` slots (shrinking when sparse). */
  private rebuild(size: number, keep: (slot: number) => boolean): void {
    const S = this.slotStream
    const H = this.slotHash
    const Fr = this.slotFrame
    const Sec = this.slotSec
    const Fl = this.slotFlags
    let live = 0
    for (let i = 0; i < S.length; i++) if (S[i] !== 0 && keep(i)) live++
    while (size > 1024 && live * 8 < size) size >>>= 1
    while (live * 2 > size) size <<= 1
    const nS = new Int32Array(size)
    const nH = new Uint32Array(size)
    const nFr = new Uint32Array(size)
    const nSec = new Uint32Array(size)
    const nFl = new Uint8Array(size)
    const mask = size - 1
    for (let i = 0; i < S.length; i++) {
      if (S[i] === 0 || !keep(i)) continue
      let k = H[i]! & mask
      while (nS[k] !== 0) k = (k + 1) & mask
      nS[k] = S[i]!
      nH[k] = H[i]!
      nFr[k] = Fr[i]!
      nSec[k] = Sec[i]!
      nFl[k] = Fl[i]!
    }
    this.slotStream = nS
    this.slotHash = nH
    this.slotFrame = nFr
    this.slotSec = nSec
    this.slotFlags = nFl
    this.slotMask = mask
    this.used = live
  }

  private slotOf(s: number, h: number): number {
    let i = h & this.slotMask
    while (this.slotStream[i] !== 0) {
      if (this.slotStream[i] === s + 1) return i
      i = (i + 1) & this.slotMask
    }
    return -1
  }

  endpoints(s: number): StreamEndpoints {
    const R = this.table.rows(s, false)
    const j = s & STREAM_ROW_MASK
    const len = R.addrLen[j]!
    const o = j * 32
    return {
      client: { addr: addrText(R.addr, o, len), port: R.clientPort[j]! },
      server: { addr: addrText(R.addr, o + 16, len), port: R.serverPort[j]! }
    }
  }

  /** 'complete' once SYN, SYN-ACK and the final ACK were seen; 'partial' with some of them. */
  handshakeState(s: number): 'complete' | 'partial' | 'none' {
    const h = this.table.rows(s, false).handshake[s & STREAM_ROW_MASK]!
    return h === (HS.SYN | HS.SYNACK | HS.ACK) ? 'complete' : h ? 'partial' : 'none'
  }

  /** A short word for the stream's state: "open", "closed" (FIN both ways), "reset", "closing". */
  stateText(s: number): string {
    const st = this.table.rows(s, false).state[s & STREAM_ROW_MASK]!
    if (st & 0x30) return 'reset'
    if ((st & 0x0c) === 0x0c) return 'closed'
    if (st & 0x0c) return 'closing'
    return 'open'
  }

  /** One stream's summary in one read of its row. */
  summary(s: number): { packets: number; bytes: number; firstFrame: number; lastFrame: number } {
    const R = this.table.rows(s, false)
    const j = s & STREAM_ROW_MASK
    return {
      packets: R.packets[2 * j]! + R.packets[2 * j + 1]!,
      bytes: R.bytes[2 * j]! + R.bytes[2 * j + 1]!,
      firstFrame: R.firstFrame[j]!,
      lastFrame: R.lastFrame[j]!
    }
  }

  private view(c: StreamColumn): ColumnView {
    const per = (LAYOUT[c] as ColumnSpec).per ?? 1
    const at = (k: string | symbol): [number, number] | null => {
      if (typeof k !== 'string') return null
      const i = Number(k)
      if (!Number.isInteger(i) || i < 0) return null
      const s = Math.floor(i / per)
      return s < this.table.length ? [s, (s & STREAM_ROW_MASK) * per + (i % per)] : null
    }
    return new Proxy({} as ColumnView, {
      get: (_t, k) => {
        const p = at(k)
        return p ? this.table.rows(p[0], false)[c][p[1]] : undefined
      },
      set: (_t, k, value: number) => {
        const p = at(k)
        if (!p) return false
        this.table.rows(p[0])[c][p[1]] = value
        return true
      }
    })
  }
}

function same(a: Uint8Array, ao: number, b: Uint8Array, bo: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[ao + i] !== b[bo + i]) return false
  return true
}

/** An endpoint address as the packet list shows it (4 bytes IPv4, else 16 bytes IPv6). */
export function addrText(d: Uint8Array, o: number, len: number): string {
  return len === 4 ? ipv4String(d, o) : ipv6String(d, o)
}
