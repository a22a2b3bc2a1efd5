// Fixed-size rows kept in chunks of typed arrays, with at most `residentChunks` chunks in
// memory: touching a chunk that is not resident writes the least recently used one to a
// temporary file (when it changed since it was last written) and reads the wanted one into the
// freed buffer. Every table that grows with a capture (the packet index, the TCP stream table,
// the sparse per-frame records of the sequential pass) uses this one mechanism, so resident
// memory stays flat however long a capture runs; the spill file lives in the page cache and on
// disk, not in the process.
//
// The hot path is `rows(i)`: the chunk holding row i as one object of typed arrays (the row is
// at `i & mask`); the last chunk used is cached, so a run of accesses to one row costs a
// compare. Arrays returned by rows() are only valid until the next rows() call for another
// chunk: a buffer is reused for whichever chunk comes in next.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

type TypedArrayType =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | Uint16ArrayConstructor
  | Int16ArrayConstructor
  | Uint8ArrayConstructor
  | Int8ArrayConstructor

export interface ColumnSpec {
  readonly type: TypedArrayType
  /** Elements per row (default 1): per-direction pairs, 32-byte address blocks. */
  readonly per?: number
}

export type Layout = Readonly<Record<string, ColumnSpec>>

/** One chunk: each column is a typed array of rowsPerChunk * per elements. */
export type Columns<L extends Layout> = { readonly [K in keyof L]: InstanceType<L[K]['type']> }

export interface ChunkedTableOptions {
  /** log2 of the rows per chunk (at least 3, so every column slice stays 8-byte aligned). */
  chunkShift: number
  /** Chunks kept in memory (at least 2). */
  residentChunks: number
  /** Folder of the spill file (default: the OS temp dir). */
  spillDir?: string
  /** Part of the spill file's name, for a person looking at the temp dir. */
  name?: string
}

class Frame<L extends Layout> {
  /** Chunk held, -1 none. */
  chunk = -1
  /** Changed since it was last written to the spill file (or never written). */
  dirty = false
  lastUse = 0
  constructor(
    /** Index in ChunkedTable.frames. */
    readonly slot: number,
    readonly bytes: Uint8Array,
    readonly cols: Columns<L>
  ) {}
}

interface Spill {
  fd: number
  path: string
  /** Still on disk under `path` (platforms that cannot unlink an open file). */
  linked: boolean
}

// A table dropped without close() must not keep its spill file descriptor open.
const spills = new FinalizationRegistry<Spill>((s) => releaseSpill(s))

function releaseSpill(s: Spill): void {
  try {
    closeSync(s.fd)
  } catch {
    // already closed
  }
  if (s.linked) {
    try {
      unlinkSync(s.path)
    } catch {
      // already gone
    }
  }
}

export class ChunkedTable<L extends Layout> {
  readonly shift: number
  readonly mask: number
  readonly rowsPerChunk: number
  readonly bytesPerRow: number
  readonly chunkBytes: number
  private readonly layout: [string, TypedArrayType, number][]
  private readonly maxResident: number
  private readonly spillDir: string
  private readonly name: string
  private n = 0
  private chunkCount = 0
  /** Chunk → index in `frames`, -1 when not resident. */
  private readonly frameOf: number[] = []
  /** Chunk was written to the spill file at least once (else it is all zeros). */
  private readonly onDisk: boolean[] = []
  private readonly frames: Frame<L>[] = []
  private hot: Frame<L> | null = null
  private clock = 0
  private spill: Spill | null = null
  private readonly token = {}
  /** The first error writing the spill file: chunks then stay in memory (nothing is lost). */
  spillError: Error | null = null
  /** Chunks read back from / written to the spill file (for tests and reports). */
  loads = 0
  stores = 0

  constructor(layout: L, opts: ChunkedTableOptions) {
    if (!Number.isInteger(opts.chunkShift) || opts.chunkShift < 3 || opts.chunkShift > 24) throw new RangeError(`chunkShift ${opts.chunkShift} out of range 3..24`)
    this.shift = opts.chunkShift
    this.rowsPerChunk = 1 << opts.chunkShift
    this.mask = this.rowsPerChunk - 1
    this.layout = Object.entries(layout).map(([k, c]) => [k, c.type, c.per ?? 1])
    this.bytesPerRow = this.layout.reduce((n, [, T, per]) => n + T.BYTES_PER_ELEMENT * per, 0)
    this.chunkBytes = this.bytesPerRow * this.rowsPerChunk
    this.maxResident = Math.max(2, Math.floor(opts.residentChunks))
    this.spillDir = opts.spillDir ?? tmpdir()
    this.name = (opts.name ?? 'table').replace(/[^a-z0-9-]/gi, '')
  }

  /** Rows in the table (0..length-1 are addressable). */
  get length(): number {
    return this.n
  }

  /** Makes rows up to n-1 addressable; new rows read as zeros. Allocates nothing by itself. */
  grow(n: number): void {
    if (n <= this.n) return
    this.n = n
    const chunks = ((n - 1) >>> this.shift) + 1
    while (this.chunkCount < chunks) {
      this.frameOf.push(-1)
      this.onDisk.push(false)
      this.chunkCount++
    }
  }

  /**
   * The chunk holding row i (the row is at `i & mask` of each column, times the column's
   * `per`). `write` marks the chunk changed so it is written before its buffer is reused.
   */
  rows(i: number, write = true): Columns<L> {
    const ci = i >>> this.shift
    let f = this.hot
    if (f === null || f.chunk !== ci || i >= this.n) f = this.fetch(i, ci)
    if (write) f.dirty = true
    return f.cols
  }

  /** Bytes of chunk buffers held in memory now. */
  get residentBytes(): number {
    return this.frames.length * this.chunkBytes
  }

  /** Chunks resident now. */
  get residentChunks(): number {
    return this.frames.length
  }

  /** Whether row i's chunk is in memory now (touches nothing). */
  isResident(i: number): boolean {
    return (this.frameOf[i >>> this.shift] ?? -1) >= 0
  }

  /** Chunks that exist only in the spill file now. */
  get spilledChunks(): number {
    let k = 0
    for (let c = 0; c < this.chunkCount; c++) if (this.frameOf[c]! < 0 && this.onDisk[c]) k++
    return k
  }

  close(): void {
    this.frames.length = 0
    this.frameOf.length = 0
    this.onDisk.length = 0
    this.chunkCount = 0
    this.hot = null
    this.n = 0
    if (this.spill) {
      spills.unregister(this.token)
      releaseSpill(this.spill)
      this.spill = null
    }
  }

  private fetch(i: number, ci: number): Frame<L> {
    if (i < 0 || i >= this.n || !Number.isInteger(i)) throw new RangeError(`${this.name} row ${i} out of range 0..${this.n - 1}`)
    const fi = this.frameOf[ci]!
    const f = fi >= 0 ? this.frames[fi]! : this.bringIn(ci)
    f.lastUse = ++this.clock
    this.hot = f
    return f
  }

  private bringIn(ci: number): Frame<L> {
    const f = this.frames.length < this.maxResident ? this.newFrame() : (this.evict() ?? this.newFrame())
    if (this.onDisk[ci]) {
      this.readChunk(ci, f.bytes)
      f.dirty = false
    } else {
      f.bytes.fill(0)
      f.dirty = true
    }
    f.chunk = ci
    this.frameOf[ci] = f.slot
    return f
  }

  private newFrame(): Frame<L> {
    const buffer = new ArrayBuffer(this.chunkBytes)
    let off = 0
    // Built in one go (not by stores in a loop, which can leave V8 with a slow dictionary-mode
    // object): every frame's columns then share one fast hidden class, so the hot paths'
    // property loads stay monomorphic.
    const cols = Object.fromEntries(
      this.layout.map(([name, T, per]) => {
        const a = new T(buffer, off, this.rowsPerChunk * per)
        off += T.BYTES_PER_ELEMENT * per * this.rowsPerChunk
        return [name, a]
      })
    )
    const f = new Frame<L>(this.frames.length, new Uint8Array(buffer), cols as Columns<L>)
    this.frames.push(f)
    return f
  }

  /** Frees the least recently used frame (writing its chunk out if needed); null if it cannot be written. */
  private evict(): Frame<L> | null {
    if (this.spillError) return null
    let victim: Frame<L> | null = null
    for (const f of this.frames) if (victim === null || f.lastUse < victim.lastUse) victim = f
    if (!victim) return null
    if (victim.dirty) {
      try {
        this.writeChunk(victim.chunk, victim.bytes)
      } catch (err) {
        // Disk full or gone: keep everything in memory rather than lose rows.
        this.spillError = err instanceof Error ? err : new Error(String(err))
        return null
      }
      this.onDisk[victim.chunk] = true
      victim.dirty = false
    }
    this.frameOf[victim.chunk] = -1
    if (this.hot === victim) this.hot = null
    victim.chunk = -1
    return victim
  }

  private writeChunk(ci: number, bytes: Uint8Array): void {
    const fd = this.spillFd()
    const at = ci * this.chunkBytes
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, at + done)
    this.stores++
  }

  private readChunk(ci: number, bytes: Uint8Array): void {
    const fd = this.spillFd()
    const at = ci * this.chunkBytes
    let done = 0
    while (done < bytes.length) {
      const got = readSync(fd, bytes, done, bytes.length - done, at + done)
      if (got === 0) throw new Error(`${this.name} spill file is missing chunk ${ci}`)
      done += got
    }
    this.loads++
  }

  private spillFd(): number {
    if (this.spill) return this.spill.fd
    const path = join(this.spillDir, `wirenote-${this.name}-${process.pid}-${randomBytes(6).toString('hex')}.spill`)
    // O_EXCL on a fresh random name: never follows a planted link in a shared temp dir.
    const fd = openSync(path, 'wx+', 0o600)
    let linked = true
    if (process.platform !== 'win32') {
      // Unlinked at once, so a crash or kill -9 leaves nothing behind.
      try {
        unlinkSync(path)
        linked = false
      } catch {
        // keep it and remove it at close
      }
    }
    this.spill = { fd, path, linked }
    spills.register(this, this.spill, this.token)
    return fd
  }
}
