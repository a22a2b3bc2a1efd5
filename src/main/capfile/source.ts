// A synchronous window onto a file: readers ask for a byte range by file offset and get an index
// into one reusable buffer. The file is never loaded whole; the buffer only grows to hold one
// block bigger than itself, and shrinks back once a normal-sized range is asked for again.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { MAX_BLOCK_SIZE } from './limits'
import { CaptureFileError } from './types'

export const DEFAULT_BUFFER_SIZE = 1 << 20
/** Smallest buffer we accept, so tiny test sizes still hold any file header. */
const MIN_BUFFER_SIZE = 64
/**
 * Largest range a reader may ask for: tshark's ceiling for one pcapng block (128 MiB of packet
 * plus headroom), which also covers the largest classic pcap record. Readers reject longer
 * lengths before asking, so a corrupt length can make us allocate at most this much, and only
 * when the file really holds that many bytes.
 */
export const MAX_RANGE = MAX_BLOCK_SIZE
const GROW_STEP = 1 << 16

/** The OS reason of a failed fs call, e.g. "no such file or directory (ENOENT)". */
export function osReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e && typeof e.code === 'string') {
    const text = String(e.message ?? '').replace(/^[A-Z0-9]+:\s*/, '').replace(/,\s*\w+\s+'.*'$/, '')
    return `${text || 'error'} (${e.code})`
  }
  return String((err as Error)?.message ?? err)
}

export class FileSource {
  /** The window: buf[0] is file byte `base`, and `len` bytes of it are valid. */
  buf: Uint8Array
  view: DataView
  base = 0
  len = 0
  /** File size as last observed (by fstat or by reading up to the end). */
  size: number

  private fd: number
  private readonly normalSize: number

  constructor(
    readonly path: string,
    bufferSize: number = DEFAULT_BUFFER_SIZE
  ) {
    try {
      this.fd = openSync(path, 'r')
    } catch (err) {
      throw new CaptureFileError('io', 0, `Cannot open "${path}": ${osReason(err)}`)
    }
    try {
      const st = fstatSync(this.fd)
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
      this.size = st.size
    } catch (err) {
      closeSync(this.fd)
      throw new CaptureFileError('io', 0, `Cannot read "${path}": ${osReason(err)}`)
    }
    this.normalSize = Math.max(MIN_BUFFER_SIZE, Math.min(Math.floor(bufferSize) || DEFAULT_BUFFER_SIZE, MAX_RANGE))
    this.buf = new Uint8Array(this.normalSize)
    this.view = new DataView(this.buf.buffer)
  }

  /** File offset just past the last buffered byte. */
  get end(): number {
    return this.base + this.len
  }

  /**
   * Makes file bytes [pos, pos + n) resident and returns the index of `pos` in `buf`, or -1 when
   * the file (as it is now) ends before pos + n; `size` then holds where it ends. `buf` and
   * `view` may be replaced by this call. Throws CaptureFileError('io') if the OS read fails.
   */
  fetch(pos: number, n: number): number {
    const rel = pos - this.base
    if (rel >= 0 && rel + n <= this.len) return rel
    return this.fill(pos, n)
  }

  /** Bytes of the file from `pos` to its end as last observed. */
  remaining(pos: number): number {
    return Math.max(0, this.size - pos)
  }

  /** Re-reads the file size (a live capture may have appended since). */
  refreshSize(): number {
    try {
      this.size = fstatSync(this.fd).size
    } catch (err) {
      throw new CaptureFileError('io', this.end, `Cannot read "${this.path}": ${osReason(err)}`)
    }
    return this.size
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd)
      } catch {
        // Already closed or the fd went bad: nothing left to release.
      }
      this.fd = -1
    }
  }

  private fill(pos: number, n: number): number {
    if (n > MAX_RANGE || n < 0 || pos < 0) throw new RangeError(`FileSource.fetch(${pos}, ${n}) out of range`)
    if (this.fd < 0) throw new CaptureFileError('io', pos, `Cannot read "${this.path}": the file was closed`)
    // Don't allocate for a range the file cannot hold: a corrupt length near MAX_RANGE would
    // otherwise cost a large buffer just to learn the file is shorter.
    if (n > this.buf.length && pos + n > this.size && pos + n > this.refreshSize()) {
      this.slideTo(pos)
      this.readMore(this.buf.length)
      return -1
    }
    this.slideTo(pos)
    if (n > this.buf.length) {
      this.resize(Math.ceil(n / GROW_STEP) * GROW_STEP)
    } else if (this.buf.length > this.normalSize && n <= this.normalSize) {
      this.resize(this.normalSize)
    }
    this.readMore(n)
    return this.len >= n ? 0 : -1
  }

  /** Moves the window so it starts at `pos`, keeping bytes already buffered from there on. */
  private slideTo(pos: number): void {
    const rel = pos - this.base
    if (rel < 0 || rel >= this.len) {
      this.base = pos
      this.len = 0
    } else if (rel > 0) {
      this.buf.copyWithin(0, rel, this.len)
      this.base = pos
      this.len -= rel
    }
  }

  private resize(size: number): void {
    const next = new Uint8Array(size)
    const keep = Math.min(this.len, size)
    next.set(this.buf.subarray(0, keep))
    this.buf = next
    this.view = new DataView(next.buffer)
    this.len = keep
  }

  /** Reads until at least `want` bytes are buffered or the file ends; fills the whole buffer when it can. */
  private readMore(want: number): void {
    while (this.len < want) {
      let got: number
      try {
        got = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.base + this.len)
      } catch (err) {
        throw new CaptureFileError('io', this.base + this.len, `Cannot read "${this.path}" at byte ${this.base + this.len}: ${osReason(err)}`)
      }
      if (got === 0) {
        this.size = this.base + this.len
        return
      }
      this.len += got
      if (this.base + this.len > this.size) this.size = this.base + this.len
      if (this.len === this.buf.length) return
    }
  }
}

