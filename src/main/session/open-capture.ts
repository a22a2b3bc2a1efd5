// One capture file opened in the session: the reader that indexes it (to the end, or tailing
// it while a live capture appends), the compact index, and random access to packet bytes.
import { CaptureFileError, type CaptureReader } from '../capfile/types'
import { openCaptureFile } from '../capfile/open'
import { PacketFile } from '../capfile/random-access'
import { SessionDecoder, type RawFrame } from './decoding'
import { colorCode, MARK_ANNOTATED } from './marks'
import { PacketIndex } from './packet-index'

export interface OpenCaptureOptions {
  /** Tail a file a live capture is still writing. */
  follow?: boolean
}

export class OpenCapture {
  readonly index = new PacketIndex()
  readonly decoder: SessionDecoder
  private readonly reader: CaptureReader
  private readonly file: PacketFile
  /** pcapng comments of the packets that have any (frame number → comments), as read. */
  readonly comments = new Map<number, readonly string[]>()
  /** What the details show as a frame's comments (the session's annotations decide). */
  commentsFor: (no: number) => readonly string[] = (no) => this.comments.get(no) ?? []
  /** Seconds of the first packet with a timestamp (the Time column's zero). */
  firstTime: number | null = null
  private closed = false
  /** The reader returned null at the end of the data (it may grow again while following). */
  private exhausted = false

  constructor(
    readonly path: string,
    opts: OpenCaptureOptions = {}
  ) {
    this.reader = openCaptureFile(path, { follow: opts.follow === true })
    try {
      this.file = new PacketFile(path)
    } catch (err) {
      this.reader.close()
      throw err
    }
    this.decoder = new SessionDecoder(this.reader, (no) => (no >= 1 && no <= this.index.length ? this.frame(no) : null))
  }

  get format(): 'pcap' | 'pcapng' {
    return this.reader.format
  }

  get interfaces() {
    return this.reader.interfaces
  }

  /** Comments of every pcapng section header, in file order. */
  get sectionComments(): string[] {
    return this.reader.sectionComments.flat()
  }

  get packets(): number {
    return this.index.length
  }

  get bytesRead(): number {
    return this.reader.bytesRead
  }

  get fileSize(): number {
    return this.reader.fileSize
  }

  /** The fault that stopped reading, if any: every whole packet before it is indexed. */
  get error(): CaptureFileError | null {
    return this.reader.error
  }

  /** True once the reader has reached the end (or a fault) and is not following the file. */
  get done(): boolean {
    return this.closed || this.reader.error !== null || (!this.reader.following && this.exhausted)
  }

  /**
   * Indexes up to `budget` packets; returns how many. Runs synchronously: callers slice the
   * work and yield to the event loop between slices.
   */
  pump(budget: number): number {
    if (this.closed) return 0
    let n = 0
    while (n < budget) {
      const rec = this.reader.next()
      if (!rec) {
        this.exhausted = true
        break
      }
      const frameNo = this.index.length + 1
      if (rec.comments.length > 0) this.comments.set(frameNo, [...rec.comments])
      const d = this.decoder.index(rec, frameNo)
      if (rec.hasTs && this.firstTime === null) this.firstTime = rec.tsSec + rec.tsNsec / 1e9
      this.index.push({
        dataOffset: rec.dataOffset,
        tsSec: rec.hasTs ? rec.tsSec : NaN,
        tsNsec: rec.hasTs ? rec.tsNsec : 0,
        caplen: rec.caplen,
        origlen: rec.origlen,
        interfaceId: rec.interfaceId,
        stream: d.stream,
        tcpFlags: d.tcpFlags,
        mark: colorCode(d.color)
      })
      n++
    }
    if (n > 0) this.exhausted = false
    return n
  }

  /** End of a live capture: whatever partial block remains at the end is now a real truncation. */
  stopFollowing(): void {
    this.reader.stopFollowing()
  }

  /** Packets `frameNos` (1-based) with their bytes read back from the file. */
  frames(frameNos: readonly number[]): RawFrame[] {
    const entries = frameNos.map((no) => this.index.get(no - 1))
    const bytes = this.file.readMany(entries)
    return frameNos.map((no, k) => ({ number: no, data: bytes[k]!, entry: entries[k]!, comments: this.commentsFor(no) }))
  }

  frame(no: number): RawFrame {
    return this.frames([no])[0]!
  }

  setAnnotated(no: number, annotated: boolean): void {
    const mark = this.index.get(no - 1).mark
    this.index.setMark(no - 1, annotated ? mark | MARK_ANNOTATED : mark & ~MARK_ANNOTATED)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.reader.close()
    this.file.close()
    this.index.close()
    this.decoder.close()
  }
}

export function describeOpenError(path: string, err: unknown): string {
  if (err instanceof CaptureFileError) return err.message
  return `Cannot open "${path}": ${err instanceof Error ? err.message : String(err)}`
}
