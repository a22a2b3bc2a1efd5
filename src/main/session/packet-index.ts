// The per-packet index of an open capture: a fixed-size entry per packet in chunks of typed
// arrays, so memory is a few dozen bytes per packet whatever the packet sizes. Chunks beyond
// a RAM budget are spilled to a temporary file and paged back in on demand, so even a capture
// that runs for days keeps a flat resident size: the packets themselves stay in the capture
// file and are re-read and re-dissected when a row, the details or an export needs them.
import { ChunkedTable } from '../store/chunked-table'

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

// One chunk is one buffer holding every field's typed array (store/chunked-table.ts), so a
// chunk is spilled and restored with one write/read.
const LAYOUT = {
  dataOffset: { type: Float64Array },
  tsSec: { type: Float64Array },
  tsNsec: { type: Int32Array },
  caplen: { type: Uint32Array },
  origlen: { type: Uint32Array },
  stream: { type: Int32Array },
  interfaceId: { type: Uint16Array },
  tcpFlags: { type: Uint16Array },
  mark: { type: Uint8Array }
} as const

export const BYTES_PER_ENTRY = Object.values(LAYOUT).reduce((n, c) => n + c.type.BYTES_PER_ELEMENT, 0)

/**
 * Default chunks in memory: 8 chunks = 512 Ki entries ≈ 19 MB. The list shows a screenful at a
 * time and scans run front to back, so more buffers buy little; a chunk read back is one 2.4 MB
 * read from the page cache.
 */
export const DEFAULT_RESIDENT_CHUNKS = 8

export interface PacketIndexOptions {
  /** Chunks kept in memory; older ones go to disk. Default DEFAULT_RESIDENT_CHUNKS. */
  residentChunks?: number
  /** Folder for the spill file (default: the OS temp dir). */
  spillDir?: string
}

export class PacketIndex {
  private readonly table: ChunkedTable<typeof LAYOUT>

  constructor(opts: PacketIndexOptions = {}) {
    this.table = new ChunkedTable(LAYOUT, {
      chunkShift: CHUNK_SHIFT,
      residentChunks: opts.residentChunks ?? DEFAULT_RESIDENT_CHUNKS,
      name: 'index',
      ...(opts.spillDir ? { spillDir: opts.spillDir } : {})
    })
  }

  get length(): number {
    return this.table.length
  }

  /** Bytes of index held in memory now. */
  get residentBytes(): number {
    return this.table.residentBytes
  }

  push(e: IndexEntry): number {
    const i = this.table.length
    this.table.grow(i + 1)
    const a = this.table.rows(i)
    const j = i & CHUNK_MASK
    a.dataOffset[j] = e.dataOffset
    a.tsSec[j] = e.tsSec
    a.tsNsec[j] = e.tsNsec
    a.caplen[j] = e.caplen
    a.origlen[j] = e.origlen
    a.interfaceId[j] = e.interfaceId
    a.stream[j] = e.stream
    a.tcpFlags[j] = e.tcpFlags
    a.mark[j] = e.mark
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
    this.check(i)
    this.table.rows(i).mark[i & CHUNK_MASK] = mark
  }

  close(): void {
    this.table.close()
  }

  private check(i: number): void {
    if (i < 0 || i >= this.table.length || !Number.isInteger(i)) throw new RangeError(`packet index ${i} out of range 0..${this.table.length - 1}`)
  }

  private arrays(i: number) {
    this.check(i)
    return this.table.rows(i, false)
  }
}
