// The per-packet index of an open capture: a fixed-size entry per packet in chunks of typed
// arrays, so memory is a few dozen bytes per packet whatever the packet sizes. Chunks beyond
// a RAM budget are spilled to a temporary file and paged back in on demand, so even a capture
// that runs for days keeps a flat resident size: the packets themselves stay in the capture
// file and are re-read and re-dissected when a row, the details or an export needs them.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Entries per chunk: 64 Ki entries ≈ 2.3 MB per chunk. */
export const CHUNK_SHIFT = 16
export const CHUNK_SIZE = 1 << CHUNK_SHIFT
const CHUNK_MASK = CHUNK_SIZE - 1

export interface IndexEntry {
  /** Byte offset of the packet data in the capture file. */
  dataOffset: number
  /** Seconds since the epoch and nanoseconds past it; NaN seconds when the packet has no timestamp. */
  tsSec: number
  tsNsec: number
  caplen: number
  origlen: number
  interfaceId: number
  /** tcp.stream, -1 when not TCP. */
  stream: number
  /** The TCP analysis record's flag bits (handshake step, retransmission, ...). */
  tcpFlags: number
  /** Row colour and marks (see session/colors.ts). */
  mark: number
}

// Field layout of one chunk: each field is one typed array over its own slice of a single
// ArrayBuffer, so a chunk is spilled and restored with one write/read.
const LAYOUT = [
  ['dataOffset', Float64Array],
  ['tsSec', Float64Array],
  ['tsNsec', Int32Array],
  ['caplen', Uint32Array],
  ['origlen', Uint32Array],
  ['stream', Int32Array],
  ['interfaceId', Uint16Array],
  ['tcpFlags', Uint16Array],
  ['mark', Uint8Array]
] as const

interface Arrays {
  dataOffset: Float64Array
  tsSec: Float64Array
  tsNsec: Int32Array
  caplen: Uint32Array
  origlen: Uint32Array
  stream: Int32Array
  interfaceId: Uint16Array
  tcpFlags: Uint16Array
  mark: Uint8Array
}

export const BYTES_PER_ENTRY = LAYOUT.reduce((n, [, T]) => n + T.BYTES_PER_ELEMENT, 0)
const CHUNK_BYTES = BYTES_PER_ENTRY * CHUNK_SIZE

class Chunk {
  readonly buffer: ArrayBuffer
  readonly a: Arrays
  /** Already on disk with this content (re-spilling is unnecessary). */
  clean = false
  lastUse = 0

  constructor(buffer?: ArrayBuffer) {
    this.buffer = buffer ?? new ArrayBuffer(CHUNK_BYTES)
    const a = {} as Record<string, unknown>
    let off = 0
    for (const [name, T] of LAYOUT) {
      a[name] = new T(this.buffer, off, CHUNK_SIZE)
      off += T.BYTES_PER_ELEMENT * CHUNK_SIZE
    }
    this.a = a as unknown as Arrays
  }
}

export interface PacketIndexOptions {
  /** Chunks kept in memory; older ones go to disk. Default 16 (1 Mi entries, ~37 MB). */
  residentChunks?: number
  /** Folder for the spill file (default: the OS temp dir). */
  spillDir?: string
}

export class PacketIndex {
  private readonly chunks: (Chunk | null)[] = []
  private resident = 0
  private readonly maxResident: number
  private readonly spillDir: string
  private spill: { dir: string; fd: number } | null = null
  private clock = 0
  private n = 0

  constructor(opts: PacketIndexOptions = {}) {
    this.maxResident = Math.max(2, opts.residentChunks ?? 16)
    this.spillDir = opts.spillDir ?? tmpdir()
  }

  get length(): number {
    return this.n
  }

  /** Bytes of index held in memory now. */
  get residentBytes(): number {
    return this.resident * CHUNK_BYTES
  }

  push(e: IndexEntry): number {
    const i = this.n
    const ci = i >>> CHUNK_SHIFT
    if (ci === this.chunks.length) {
      this.chunks.push(null)
      this.install(ci, new Chunk())
    }
    const c = this.chunk(ci)
    c.clean = false
    const j = i & CHUNK_MASK
    const a = c.a
    a.dataOffset[j] = e.dataOffset
    a.tsSec[j] = e.tsSec
    a.tsNsec[j] = e.tsNsec
    a.caplen[j] = e.caplen
    a.origlen[j] = e.origlen
    a.interfaceId[j] = e.interfaceId
    a.stream[j] = e.stream
    a.tcpFlags[j] = e.tcpFlags
    a.mark[j] = e.mark
    this.n = i + 1
    return i
  }

  /** Entry `i` (0-based: frame number - 1). */
  get(i: number): IndexEntry {
    const a = this.arrays(i)
    const j = i & CHUNK_MASK
    return {
      dataOffset: a.dataOffset[j]!,
      tsSec: a.tsSec[j]!,
      tsNsec: a.tsNsec[j]!,
      caplen: a.caplen[j]!,
      origlen: a.origlen[j]!,
      interfaceId: a.interfaceId[j]!,
      stream: a.stream[j]!,
      tcpFlags: a.tcpFlags[j]!,
      mark: a.mark[j]!
    }
  }

  /** Timestamp of entry i in seconds (float; for time columns, not for exact display). */
  time(i: number): number {
    const a = this.arrays(i)
    const j = i & CHUNK_MASK
    return a.tsSec[j]! + a.tsNsec[j]! / 1e9
  }

  stream(i: number): number {
    return this.arrays(i).stream[i & CHUNK_MASK]!
  }

  setMark(i: number, mark: number): void {
    const c = this.chunk(i >>> CHUNK_SHIFT)
    c.a.mark[i & CHUNK_MASK] = mark
    c.clean = false
  }

  close(): void {
    this.chunks.length = 0
    this.resident = 0
    this.n = 0
    if (this.spill) {
      closeSync(this.spill.fd)
      rmSync(this.spill.dir, { recursive: true, force: true })
      this.spill = null
    }
  }

  private arrays(i: number): Arrays {
    if (i < 0 || i >= this.n || !Number.isInteger(i)) throw new RangeError(`packet index ${i} out of range 0..${this.n - 1}`)
    return this.chunk(i >>> CHUNK_SHIFT).a
  }

  private chunk(ci: number): Chunk {
    let c = this.chunks[ci]
    if (!c) {
      c = this.load(ci)
      this.install(ci, c)
    }
    c.lastUse = ++this.clock
    return c
  }

  private install(ci: number, c: Chunk): void {
    c.lastUse = ++this.clock
    this.chunks[ci] = c
    this.resident++
    if (this.resident > this.maxResident) this.evict(ci)
  }

  /** Spills the least recently used chunk other than `keep`. */
  private evict(keep: number): void {
    let victim = -1
    let oldest = Infinity
    for (let k = 0; k < this.chunks.length; k++) {
      const c = this.chunks[k]
      if (c && k !== keep && c.lastUse < oldest) {
        oldest = c.lastUse
        victim = k
      }
    }
    if (victim < 0) return
    const c = this.chunks[victim]!
    if (!c.clean) {
      const fd = this.spillFd()
      writeSync(fd, new Uint8Array(c.buffer), 0, CHUNK_BYTES, victim * CHUNK_BYTES)
    }
    this.chunks[victim] = null
    this.resident--
  }

  private load(ci: number): Chunk {
    const fd = this.spillFd()
    const c = new Chunk()
    const bytes = new Uint8Array(c.buffer)
    let done = 0
    while (done < CHUNK_BYTES) {
      const got = readSync(fd, bytes, done, CHUNK_BYTES - done, ci * CHUNK_BYTES + done)
      if (got === 0) throw new Error(`packet index spill file is missing chunk ${ci}`)
      done += got
    }
    c.clean = true
    return c
  }

  private spillFd(): number {
    if (!this.spill) {
      const dir = mkdtempSync(join(this.spillDir, 'wirenote-index-'))
      this.spill = { dir, fd: openSync(join(dir, 'index.bin'), 'w+', 0o600) }
    }
    return this.spill.fd
  }
}
