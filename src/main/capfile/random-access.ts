// Reads packets back by position, so an open capture keeps only offsets in memory and fetches
// bytes when a row, the details pane or an export needs them.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { osReason } from './source'
import { CaptureFileError } from './types'

/** Where one packet's bytes are in the file (PacketRecord.dataOffset / caplen). */
export interface PacketSpan {
  dataOffset: number
  caplen: number
}

/** Adjacent packets closer than this are fetched with one read. */
const MERGE_GAP = 4096
/** ... as long as the merged read stays below this. */
const MERGE_MAX = 4 << 20

export class PacketFile {
  private fd: number

  /** Opens `path` for reading; throws CaptureFileError('io') with the OS reason. */
  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r')
    } catch (err) {
      throw new CaptureFileError('io', 0, `Cannot open "${path}": ${osReason(err)}`)
    }
  }

  /** Current size of the file (it grows while a live capture writes it). */
  size(): number {
    try {
      return fstatSync(this.fd).size
    } catch (err) {
      throw new CaptureFileError('io', 0, `Cannot read "${this.path}": ${osReason(err)}`)
    }
  }

  /**
   * The `caplen` bytes at `dataOffset`, in a new array the caller owns. Throws CaptureFileError:
   * 'truncated-record' if the file no longer holds them, 'io' if the OS read fails.
   */
  read(dataOffset: number, caplen: number): Uint8Array {
    const out = new Uint8Array(caplen)
    this.readInto(dataOffset, out, 0, caplen)
    return out
  }

  /** Reads `length` bytes at `dataOffset` into `target` at `targetOffset` (no allocation). */
  readInto(dataOffset: number, target: Uint8Array, targetOffset: number, length: number): void {
    if (this.fd < 0) throw new CaptureFileError('io', dataOffset, `Cannot read "${this.path}": the file was closed`)
    let done = 0
    while (done < length) {
      let got: number
      try {
        got = readSync(this.fd, target, targetOffset + done, length - done, dataOffset + done)
      } catch (err) {
        throw new CaptureFileError('io', dataOffset + done, `Cannot read "${this.path}" at byte ${dataOffset + done}: ${osReason(err)}`)
      }
      if (got === 0) {
        throw new CaptureFileError(
          'truncated-record',
          dataOffset,
          `Cannot read the packet at byte ${dataOffset} of "${this.path}": it needs ${length} bytes, the file ends after ${done}`
        )
      }
      done += got
    }
  }

  /**
   * Several packets at once, in the order given. Packets that lie close together in the file
   * are fetched with one read; the results then share that read's memory (each is a view of
   * exactly its own bytes).
   */
  readMany(spans: readonly PacketSpan[]): Uint8Array[] {
    const out: Uint8Array[] = new Array(spans.length)
    const order = spans.map((_, k) => k).sort((a, b) => spans[a].dataOffset - spans[b].dataOffset)
    let k = 0
    while (k < order.length) {
      const first = spans[order[k]]
      let end = first.dataOffset + first.caplen
      let last = k
      while (last + 1 < order.length) {
        const s = spans[order[last + 1]]
        const newEnd = Math.max(end, s.dataOffset + s.caplen)
        if (s.dataOffset - end > MERGE_GAP || newEnd - first.dataOffset > MERGE_MAX) break
        end = newEnd
        last++
      }
      if (last === k) {
        out[order[k]] = this.read(first.dataOffset, first.caplen)
      } else {
        const chunk = this.read(first.dataOffset, end - first.dataOffset)
        for (let m = k; m <= last; m++) {
          const s = spans[order[m]]
          const at = s.dataOffset - first.dataOffset
          out[order[m]] = chunk.subarray(at, at + s.caplen)
        }
      }
      k = last + 1
    }
    return out
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd)
      } catch {
        // Nothing left to release.
      }
      this.fd = -1
    }
  }
}
