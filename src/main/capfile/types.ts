// What every capture-file reader yields, whatever the on-disk format.

export interface InterfaceInfo {
  /** Index across the whole file (pcapng sections renumber their IDBs; this does not). */
  id: number
  linktype: number
  /** Snapshot length from the file header / IDB; 0 means "no limit" in pcapng. */
  snaplen: number
  name?: string
  description?: string
  /** Seconds per timestamp unit of this interface (1e-6 for classic µs pcap, 2^-8 for if_tsresol=0x88, ...). */
  tsUnit: number
  /** if_tsoffset: seconds added to every timestamp of this interface (pcapng only; 0 when absent). */
  tsOffset?: number
  /** 0-based pcapng section this interface belongs to (0 for classic pcap). */
  section?: number
}

/**
 * One packet. Readers reuse a single record object for speed: every field, `data` included,
 * is overwritten by the next call to next(); copy what you keep. `comments` is a shared frozen
 * empty array when the packet has none.
 */
export interface PacketRecord {
  /** 0-based position among packets (custom blocks, NRB, ISB etc. are not packets). */
  index: number
  interfaceId: number
  linktype: number
  /** false for pcapng Simple Packet Blocks, which carry no timestamp (tsSec = tsNsec = 0 then). */
  hasTs: boolean
  /**
   * Whole seconds since the epoch as the file says it. Classic pcap: the unsigned 32-bit field.
   * pcapng: the 64-bit timestamp divided by the interface's units, plus if_tsoffset (so it may
   * be negative).
   */
  tsSec: number
  /**
   * Nanoseconds past tsSec. For classic pcap this is the raw fraction field scaled to ns with
   * tshark's 32-bit signed arithmetic, so in corrupt files it may exceed 999999999 or be negative
   * (µs field 2147484 gives -2147483296); tshark prints it literally, so do we (see time.ts).
   * pcapng: always 0..999999999.
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
  comments: readonly string[]
}

export type CaptureFileErrorCode =
  /** The file has 0 bytes (thrown by openCaptureFile). */
  | 'empty-file'
  /** The first 4 bytes are no pcap or pcapng magic (thrown by openCaptureFile). */
  | 'unknown-format'
  /** The file ends inside the pcap file header or before 4 bytes of magic. */
  | 'truncated-header'
  /** The file ends inside a classic pcap record (its header or its packet data). */
  | 'truncated-record'
  /** The file ends inside a pcapng block. */
  | 'truncated-block'
  /** A pcapng block length is < 12, too small for its type, not a multiple of 4, too large, or the trailing copy differs. */
  | 'bad-block-length'
  /** A pcapng Section Header Block is unusable (byte-order magic, version). */
  | 'bad-section'
  /** A classic pcap file header is unusable (version). */
  | 'bad-header'
  /** A packet refers to an interface its section does not define. */
  | 'bad-interface'
  /** A record's lengths make no sense (captured length above the link type's maximum or the block's room). */
  | 'bad-record'
  /** The OS failed to open or read the file. */
  | 'io'
  /** A bug in the reader surfaced as an error instead of an exception (should never happen). */
  | 'internal'

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
  /** Interfaces seen so far (pcapng IDBs are added as they are read). */
  readonly interfaces: readonly InterfaceInfo[]
  /** opt_comment values of each pcapng Section Header Block read so far (empty for classic pcap). */
  readonly sectionComments: readonly (readonly string[])[]
  /**
   * Next packet, or null at the end of the file or at the first fault (then `error` is set).
   * Never throws. In follow mode, null without `error` means "no whole packet yet": call again later.
   * The returned object is reused by the next call (see PacketRecord).
   */
  next(): PacketRecord | null
  /** Set once reading stopped at a fault; whole packets before it were all returned. */
  readonly error: CaptureFileError | null
  /** Bytes consumed so far (for progress bars): the file offset just past the last whole record or block. */
  readonly bytesRead: number
  /** File size as last seen (grows in follow mode). */
  readonly fileSize: number
  /** True while the reader waits for more data at the end of the file instead of calling a partial tail an error. */
  readonly following: boolean
  /** Leave follow mode: from now on a partial record or block at the end is reported as truncation. */
  stopFollowing(): void
  close(): void
}
