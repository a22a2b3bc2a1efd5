// What every capture-file reader yields, whatever the on-disk format.

export interface InterfaceInfo {
  /** Index across the whole file (pcapng sections renumber their IDBs; this does not). */
  id: number
  linktype: number
  snaplen: number
  name?: string
  description?: string
  /** Seconds per timestamp unit of this interface (1e-6 for classic µs pcap, 2^-8 for if_tsresol=0x88, ...). */
  tsUnit: number
}

export interface PacketRecord {
  /** 0-based position among packets (custom blocks, NRB, ISB etc. are not packets). */
  index: number
  interfaceId: number
  linktype: number
  /** false for pcapng Simple Packet Blocks, which carry no timestamp. */
  hasTs: boolean
  /** Whole seconds since the epoch as the file says it (may be negative in corrupt files). */
  tsSec: number
  /**
   * Nanoseconds past tsSec. For classic pcap this is the raw fraction field scaled to ns and
   * may exceed 999999999 in corrupt files; tshark prints it literally, so do we.
   */
  tsNsec: number
  caplen: number
  origlen: number
  /** Captured bytes. A view into the reader's buffer: valid until the next call to next(); copy to keep. */
  data: Uint8Array
  /** Byte offset of the record header / block start in the file. */
  fileOffset: number
  /** Byte offset of the first packet byte in the file (to read the packet back on demand). */
  dataOffset: number
  /** opt_comment values in file order (pcapng), empty for classic pcap. */
  comments: string[]
}

export type CaptureFileErrorCode =
  | 'empty-file'
  | 'unknown-format'
  | 'truncated-header'
  | 'truncated-record'
  | 'truncated-block'
  | 'bad-block-length'
  | 'bad-section'
  | 'bad-interface'
  | 'bad-record'
  | 'io'

/** A fault in the file. Every packet before `offset` has already been returned. */
export class CaptureFileError extends Error {
  constructor(
    readonly code: CaptureFileErrorCode,
    /** Byte offset in the file where the fault was found. */
    readonly offset: number,
    message: string
  ) {
    super(message)
    this.name = 'CaptureFileError'
  }
}

export interface CaptureReader extends Iterable<PacketRecord> {
  readonly format: 'pcap' | 'pcapng'
  readonly interfaces: readonly InterfaceInfo[]
  /** Next packet, or null at the end of the file or at the first fault (then `error` is set). */
  next(): PacketRecord | null
  /** Set once reading stopped at a fault; whole packets before it were all returned. */
  readonly error: CaptureFileError | null
  /** Bytes consumed so far (for progress bars). */
  readonly bytesRead: number
  readonly fileSize: number
  close(): void
}
