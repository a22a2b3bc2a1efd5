// What the pcap and pcapng readers share: the reused record, the error/follow state machine,
// and the guarantee that next() never throws.
import type { FileSource } from './source'
import { CaptureFileError, type CaptureReader, type InterfaceInfo, type PacketRecord } from './types'

export const NO_COMMENTS: readonly string[] = Object.freeze([])
const EMPTY = new Uint8Array(0)

/** The one record object a reader hands out again and again (fields in a fixed order for a stable shape). */
export class Record implements PacketRecord {
  index = 0
  interfaceId = 0
  linktype = 0
  hasTs = true
  tsSec = 0
  tsNsec = 0
  caplen = 0
  origlen = 0
  data: Uint8Array = EMPTY
  fileOffset = 0
  dataOffset = 0
  comments: readonly string[] = NO_COMMENTS
}

export abstract class ReaderBase implements CaptureReader {
  abstract readonly format: 'pcap' | 'pcapng'
  readonly interfaces: InterfaceInfo[] = []
  readonly sectionComments: (readonly string[])[] = []
  error: CaptureFileError | null = null
  bytesRead = 0
  following: boolean
  /** Number of packets returned so far. */
  protected count = 0
  protected done = false
  protected readonly rec = new Record()

  constructor(
    protected readonly src: FileSource,
    follow: boolean
  ) {
    this.following = follow
  }

  get fileSize(): number {
    return this.src.size
  }

  next(): PacketRecord | null {
    if (this.done) return null
    try {
      return this.read()
    } catch (err) {
      if (err instanceof CaptureFileError) return this.fail(err)
      const msg = err instanceof Error ? err.message : String(err)
      return this.fail(new CaptureFileError('internal', this.bytesRead, `Internal reader error after byte ${this.bytesRead}: ${msg}`))
    }
  }

  /** Reads the next packet; may throw CaptureFileError (turned into `error` by next()). */
  protected abstract read(): PacketRecord | null

  protected fail(err: CaptureFileError): null {
    this.error = err
    this.done = true
    return null
  }

  /** Data ended exactly at a record/block boundary. */
  protected atEnd(): null {
    if (!this.following) this.done = true
    return null
  }

  /** Data ended inside something: wait for more in follow mode, otherwise report the cut. */
  protected cut(make: () => CaptureFileError): null {
    if (this.following) return null
    return this.fail(make())
  }

  stopFollowing(): void {
    this.following = false
  }

  close(): void {
    this.done = true
    this.src.close()
  }

  *[Symbol.iterator](): Iterator<PacketRecord> {
    for (let r = this.next(); r !== null; r = this.next()) yield r
  }
}
