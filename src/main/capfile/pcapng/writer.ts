// pcapng writer (draft-ietf-opsawg-pcapng). Blocks are encoded into one in-memory buffer
// and reach the sink only as whole blocks, in ONE write per flush: a process killed between
// flushes leaves a file that ends on a block boundary, which every reader accepts.
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs'

// ---- block types and option codes (pcapng spec, section 4) ---------------------------

const SHB = 0x0a0d0d0a
const IDB = 0x00000001
const ISB = 0x00000005
const EPB = 0x00000006
/** Custom Block a reader may copy into a new file it writes. */
export const CUSTOM_BLOCK_COPYABLE = 0x00000bad
/** Custom Block that must not be copied (it refers to data that may change). */
export const CUSTOM_BLOCK_NOCOPY = 0x40000bad
const BYTE_ORDER_MAGIC = 0x1a2b3c4d

const OPT_ENDOFOPT = 0
const OPT_COMMENT = 1
const SHB_HARDWARE = 2
const SHB_OS = 3
const SHB_USERAPPL = 4
const IF_NAME = 2
const IF_DESCRIPTION = 3
const IF_TSRESOL = 9
const IF_FILTER = 11
const IF_OS = 12
const EPB_FLAGS = 2
const ISB_STARTTIME = 2
const ISB_ENDTIME = 3
const ISB_IFRECV = 4
const ISB_IFDROP = 5
const ISB_FILTERACCEPT = 6
const ISB_OSDROP = 7
const ISB_USRDELIV = 8

/** An option value is prefixed by a 16-bit length. */
export const MAX_OPTION_BYTES = 0xffff

// ---- public shapes --------------------------------------------------------------------

export interface SectionOptions {
  /** shb_userappl, e.g. "Wirenote 0.1.0". */
  userappl?: string
  hardware?: string
  os?: string
  comments?: readonly string[]
}

export interface InterfaceOptions {
  /** LINKTYPE_* value (1 = Ethernet, 101 = raw IP, 113 = Linux SLL, ...). */
  linktype: number
  /** Maximum captured length; 0 means "no limit" in pcapng. Default 0. */
  snaplen?: number
  name?: string
  description?: string
  /** if_tsresol as a decimal exponent: 6 = microseconds, 9 = nanoseconds (default). */
  tsresol?: number
  /** if_filter: the libpcap capture filter the packets passed. */
  filter?: string
  os?: string
  comments?: readonly string[]
}

/** Nanoseconds since the epoch as a bigint, or whole seconds plus nanoseconds. */
export type Timestamp = bigint | { sec: number; nsec: number }

export interface PacketOptions {
  interfaceId: number
  timestamp: Timestamp
  /** Captured bytes (only the first `caplen` are written when caplen is given). */
  data: Uint8Array
  caplen?: number
  /** Length on the wire; defaults to caplen. */
  origlen?: number
  /** opt_comment values, written in order (UTF-8, each ≤ 65535 bytes; see splitComment). */
  comments?: readonly string[]
  /** epb_flags (direction, reception type, FCS length, link-layer errors). */
  flags?: number
}

export interface InterfaceStatistics {
  interfaceId: number
  timestamp: Timestamp
  startTime?: Timestamp
  endTime?: Timestamp
  ifRecv?: bigint
  ifDrop?: bigint
  filterAccept?: bigint
  osDrop?: bigint
  usrDeliv?: bigint
  comments?: readonly string[]
}

export interface CustomBlockOptions {
  /** Copyable (0x00000BAD, default) or not (0x40000BAD). */
  copyable?: boolean
}

/** Where encoded blocks go. `write` may write fewer bytes than asked or throw (ENOSPC...). */
export interface WriterSink {
  /** Write `length` bytes of `buf` at `position` (null: at the current position). Returns bytes written. */
  write(buf: Uint8Array, length: number, position: number | null): number
  /** Cut the output to `length` bytes; absent when the sink cannot (pipe, socket). */
  truncate?(length: number): void
  close(): void
}

export interface PcapngWriterOptions {
  section?: SectionOptions
  /** Flush by itself when this many bytes are pending. Default 1 MiB. */
  autoFlushBytes?: number
}

export interface FileWriterOptions extends PcapngWriterOptions {
  /** File mode when the file is created. Default 0o600: captures hold private traffic. */
  mode?: number
}

export type PcapngWriterErrorCode = 'disk-full' | 'io' | 'closed' | 'bad-argument'

export class PcapngWriterError extends Error {
  constructor(
    readonly code: PcapngWriterErrorCode,
    message: string,
    /** Bytes of whole blocks in the output when the error happened. */
    readonly committedBytes: number,
    readonly errno?: string
  ) {
    super(message)
    this.name = 'PcapngWriterError'
  }
}

// ---- sinks ------------------------------------------------------------------------------

/** A file descriptor; positioned writes when the fd is a regular file, so truncation works. */
export class FdSink implements WriterSink {
  private readonly positioned: boolean
  truncate?: (length: number) => void

  constructor(
    readonly fd: number,
    private readonly ownsFd: boolean
  ) {
    this.positioned = fstatSync(fd).isFile()
    if (this.positioned) this.truncate = (length: number) => ftruncateSync(this.fd, length)
  }

  write(buf: Uint8Array, length: number, position: number | null): number {
    return writeSync(this.fd, buf, 0, length, this.positioned ? position : null)
  }

  close(): void {
    if (this.ownsFd) closeSync(this.fd)
  }
}

/** Collects the output in memory (tests, building a small file to send elsewhere). */
export class MemorySink implements WriterSink {
  private chunks: Buffer[] = []
  private size = 0

  write(buf: Uint8Array, length: number): number {
    this.chunks.push(Buffer.from(buf.subarray(0, length)))
    this.size += length
    return length
  }

  truncate(length: number): void {
    const all = this.bytes().subarray(0, length)
    this.chunks = [Buffer.from(all)]
    this.size = all.length
  }

  close(): void {}

  bytes(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)]
    return this.chunks[0] ?? Buffer.alloc(0)
  }
}

/** Split a long comment at code-point boundaries into pieces that each fit one option. */
export function splitComment(text: string, maxBytes = MAX_OPTION_BYTES): string[] {
  const out: string[] = []
  let piece = ''
  let pieceBytes = 0
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8')
    if (pieceBytes + n > maxBytes) {
      out.push(piece)
      piece = ''
      pieceBytes = 0
    }
    piece += ch
    pieceBytes += n
  }
  if (piece !== '' || out.length === 0) out.push(piece)
  return out
}

// ---- the writer -----------------------------------------------------------------------

const pad4 = (n: number): number => (n + 3) & ~3

interface IfaceState {
  /** Nanoseconds per timestamp unit, as a divisor. */
  divisor: bigint
}

export class PcapngWriter {
  private buf: Buffer
  private len = 0
  private committed = 0
  private closed = false
  private readonly ifaces: IfaceState[] = []
  private readonly autoFlushBytes: number
  private packets = 0
  private lastFlushPackets = 0

  /** Create (or truncate) `path` and write a pcapng section to it. */
  static toFile(path: string, options: FileWriterOptions = {}): PcapngWriter {
    const fd = openSync(path, 'w', options.mode ?? 0o600)
    return new PcapngWriter(new FdSink(fd, true), options)
  }

  /** Write to an open descriptor (a regular file from its start, a pipe as it goes). Not closed by close(). */
  static toFd(fd: number, options: PcapngWriterOptions = {}): PcapngWriter {
    return new PcapngWriter(new FdSink(fd, false), options)
  }

  constructor(
    private readonly sink: WriterSink,
    options: PcapngWriterOptions = {}
  ) {
    this.autoFlushBytes = options.autoFlushBytes ?? 1 << 20
    this.buf = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(this.autoFlushBytes * 2, 4 << 20)))
    this.writeSection(options.section ?? {})
  }

  /** Bytes of whole blocks that reached the sink. */
  get bytesCommitted(): number {
    return this.committed
  }

  /** Bytes encoded but not yet flushed. */
  get bytesPending(): number {
    return this.len
  }

  get packetsWritten(): number {
    return this.packets
  }

  /** Packets written since the last successful flush (what a crash now would lose). */
  get packetsPending(): number {
    return this.packets - this.lastFlushPackets
  }

  get interfaceCount(): number {
    return this.ifaces.length
  }

  /** Append an Interface Description Block; returns its interface id. */
  addInterface(o: InterfaceOptions): number {
    this.checkOpen()
    const tsresol = o.tsresol ?? 9
    if (!Number.isInteger(tsresol) || tsresol < 0 || tsresol > 9) {
      throw this.badArg(`if_tsresol must be a decimal exponent 0..9 (got ${tsresol})`)
    }
    if (!isU16(o.linktype)) throw this.badArg(`linktype must be 0..65535 (got ${o.linktype})`)
    const snaplen = o.snaplen ?? 0
    if (!isU32(snaplen)) throw this.badArg(`snaplen must be 0..2^32-1 (got ${snaplen})`)

    const opts: EncodedOption[] = []
    pushStrings(opts, OPT_COMMENT, o.comments)
    pushString(opts, IF_NAME, o.name)
    pushString(opts, IF_DESCRIPTION, o.description)
    opts.push({ code: IF_TSRESOL, bytes: Buffer.of(tsresol) })
    if (o.filter !== undefined) opts.push({ code: IF_FILTER, bytes: Buffer.concat([Buffer.of(0), Buffer.from(o.filter, 'utf8')]) })
    pushString(opts, IF_OS, o.os)
    this.checkOptions(opts)

    const start = this.beginBlock(IDB, 8 + optionsLength(opts))
    this.buf.writeUInt16LE(o.linktype, this.len)
    this.buf.writeUInt16LE(0, this.len + 2)
    this.buf.writeUInt32LE(snaplen, this.len + 4)
    this.len += 8
    this.putOptions(opts)
    this.endBlock(start)
    this.ifaces.push({ divisor: 10n ** BigInt(9 - tsresol) })
    return this.ifaces.length - 1
  }

  /** Append an Enhanced Packet Block. The bytes are copied: the caller may reuse `data` at once. */
  writePacket(p: PacketOptions): void {
    this.checkOpen()
    const iface = this.ifaces[p.interfaceId]
    if (iface === undefined) throw this.badArg(`no interface ${p.interfaceId} (${this.ifaces.length} defined)`)
    const caplen = p.caplen ?? p.data.length
    if (!Number.isInteger(caplen) || caplen < 0 || caplen > p.data.length) {
      throw this.badArg(`caplen ${caplen} outside the ${p.data.length} bytes given`)
    }
    const origlen = p.origlen ?? caplen
    if (!isU32(origlen)) throw this.badArg(`origlen must be 0..2^32-1 (got ${origlen})`)

    let optLen = 0
    const comments = p.comments
    if (comments !== undefined && comments.length > 0) {
      for (const c of comments) {
        const n = Buffer.byteLength(c, 'utf8')
        if (n > MAX_OPTION_BYTES) throw this.badArg(`comment is ${n} bytes; one pcapng option holds at most ${MAX_OPTION_BYTES} (see splitComment)`)
        optLen += 4 + pad4(n)
      }
    }
    if (p.flags !== undefined) optLen += 8
    if (optLen > 0) optLen += 4

    const units = toUnits(p.timestamp, iface.divisor)
    const start = this.beginBlock(EPB, 20 + pad4(caplen) + optLen)
    const b = this.buf
    let o = this.len
    b.writeUInt32LE(p.interfaceId, o)
    b.writeUInt32LE(Number(units >> 32n), o + 4)
    b.writeUInt32LE(Number(units & 0xffffffffn), o + 8)
    b.writeUInt32LE(caplen, o + 12)
    b.writeUInt32LE(origlen, o + 16)
    o += 20
    b.set(caplen === p.data.length ? p.data : p.data.subarray(0, caplen), o)
    o += caplen
    const padded = start + 8 + 20 + pad4(caplen)
    if (o < padded) b.fill(0, o, padded)
    o = padded
    if (optLen > 0) {
      if (comments !== undefined) {
        for (const c of comments) {
          const n = b.write(c, o + 4, 'utf8')
          b.writeUInt16LE(OPT_COMMENT, o)
          b.writeUInt16LE(n, o + 2)
          const end = o + 4 + pad4(n)
          if (o + 4 + n < end) b.fill(0, o + 4 + n, end)
          o = end
        }
      }
      if (p.flags !== undefined) {
        b.writeUInt16LE(EPB_FLAGS, o)
        b.writeUInt16LE(4, o + 2)
        b.writeUInt32LE(p.flags >>> 0, o + 4)
        o += 8
      }
      b.writeUInt32LE(OPT_ENDOFOPT, o)
      o += 4
    }
    this.len = o
    this.endBlock(start)
    this.packets++
    if (this.len >= this.autoFlushBytes) this.flush()
  }

  /** Append an Interface Statistics Block (e.g. at the end of a capture). */
  writeInterfaceStatistics(s: InterfaceStatistics): void {
    this.checkOpen()
    const iface = this.ifaces[s.interfaceId]
    if (iface === undefined) throw this.badArg(`no interface ${s.interfaceId} (${this.ifaces.length} defined)`)
    const opts: EncodedOption[] = []
    pushStrings(opts, OPT_COMMENT, s.comments)
    if (s.startTime !== undefined) opts.push({ code: ISB_STARTTIME, bytes: tsBytes(toUnits(s.startTime, iface.divisor)) })
    if (s.endTime !== undefined) opts.push({ code: ISB_ENDTIME, bytes: tsBytes(toUnits(s.endTime, iface.divisor)) })
    const counters: [number, bigint | undefined][] = [
      [ISB_IFRECV, s.ifRecv],
      [ISB_IFDROP, s.ifDrop],
      [ISB_FILTERACCEPT, s.filterAccept],
      [ISB_OSDROP, s.osDrop],
      [ISB_USRDELIV, s.usrDeliv]
    ]
    for (const [code, v] of counters) {
      if (v === undefined) continue
      const bytes = Buffer.alloc(8)
      bytes.writeBigUInt64LE(v)
      opts.push({ code, bytes })
    }
    this.checkOptions(opts)
    const units = toUnits(s.timestamp, iface.divisor)
    const start = this.beginBlock(ISB, 12 + optionsLength(opts))
    this.buf.writeUInt32LE(s.interfaceId, this.len)
    this.buf.writeUInt32LE(Number(units >> 32n), this.len + 4)
    this.buf.writeUInt32LE(Number(units & 0xffffffffn), this.len + 8)
    this.len += 12
    this.putOptions(opts)
    this.endBlock(start)
  }

  /**
   * Append a Custom Block: Private Enterprise Number + opaque bytes, zero-padded to 4 bytes.
   * Readers cannot tell padding from data, so put a length inside `data` if it matters.
   */
  writeCustom(pen: number, data: Uint8Array, options: CustomBlockOptions = {}): void {
    this.checkOpen()
    if (!isU32(pen)) throw this.badArg(`PEN must be 0..2^32-1 (got ${pen})`)
    const type = options.copyable === false ? CUSTOM_BLOCK_NOCOPY : CUSTOM_BLOCK_COPYABLE
    const start = this.beginBlock(type, 4 + pad4(data.length))
    this.buf.writeUInt32LE(pen, this.len)
    this.buf.set(data, this.len + 4)
    const end = this.len + 4 + pad4(data.length)
    this.buf.fill(0, this.len + 4 + data.length, end)
    this.len = end
    this.endBlock(start)
    if (this.len >= this.autoFlushBytes) this.flush()
  }

  /**
   * Hand every pending whole block to the sink in one write. On a short write or an error the
   * output is cut back to the last whole block that reached it, the unwritten blocks stay pending
   * (a later flush retries them) and a PcapngWriterError is thrown ('disk-full' for ENOSPC/EDQUOT/EFBIG).
   */
  flush(): void {
    if (this.len === 0) return
    let written = 0
    let failure: unknown = null
    try {
      while (written < this.len) {
        const n = this.sink.write(written === 0 ? this.buf : this.buf.subarray(written), this.len - written, this.committed + written)
        if (n <= 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' })
        written += n
      }
    } catch (e) {
      failure = e
    }
    if (failure === null) {
      this.committed += this.len
      this.len = 0
      this.lastFlushPackets = this.packets
      return
    }
    const keep = lastWholeBlockEnd(this.buf, written)
    const errno = (failure as NodeJS.ErrnoException).code
    let cut = true
    if (keep < written) {
      try {
        if (this.sink.truncate === undefined) cut = false
        else this.sink.truncate(this.committed + keep)
      } catch {
        cut = false
      }
    }
    this.committed += keep
    this.buf.copyWithin(0, keep, this.len)
    this.len -= keep
    this.lastFlushPackets = this.packets - countPackets(this.buf, this.len)
    const full = errno === 'ENOSPC' || errno === 'EDQUOT' || errno === 'EFBIG'
    const why = failure instanceof Error ? failure.message : String(failure)
    const tail = cut ? '' : ' (the output could not be cut back: its last block may be partial)'
    throw new PcapngWriterError(
      full ? 'disk-full' : 'io',
      `${full ? 'No space left to write the capture file' : 'Could not write the capture file'}: ${why}. ` +
        `Kept ${this.committed} bytes of whole blocks${tail}.`,
      this.committed,
      errno
    )
  }

  /** Flush and close the sink. The sink is closed even when the last flush fails (then it throws). */
  close(): void {
    if (this.closed) return
    try {
      this.flush()
    } finally {
      this.closed = true
      this.sink.close()
    }
  }

  // ---- encoding helpers ----

  private writeSection(s: SectionOptions): void {
    const opts: EncodedOption[] = []
    pushStrings(opts, OPT_COMMENT, s.comments)
    pushString(opts, SHB_HARDWARE, s.hardware)
    pushString(opts, SHB_OS, s.os)
    pushString(opts, SHB_USERAPPL, s.userappl)
    this.checkOptions(opts)
    const start = this.beginBlock(SHB, 16 + optionsLength(opts))
    const b = this.buf
    b.writeUInt32LE(BYTE_ORDER_MAGIC, this.len)
    b.writeUInt16LE(1, this.len + 4)
    b.writeUInt16LE(0, this.len + 6)
    // Section length -1: unknown, the file is written as it goes.
    b.writeInt32LE(-1, this.len + 8)
    b.writeInt32LE(-1, this.len + 12)
    this.len += 16
    this.putOptions(opts)
    this.endBlock(start)
  }

  /** Reserve a block of `bodyLen` body bytes; writes type and length, returns the block start. */
  private beginBlock(type: number, bodyLen: number): number {
    const total = 12 + bodyLen
    if (total > 0xffffffff) throw this.badArg(`block of ${total} bytes exceeds the 4 GiB block limit`)
    this.ensure(total)
    const start = this.len
    this.buf.writeUInt32LE(type, start)
    this.buf.writeUInt32LE(total, start + 4)
    this.len += 8
    return start
  }

  private endBlock(start: number): void {
    const total = this.len + 4 - start
    if (total !== this.buf.readUInt32LE(start + 4)) {
      throw new Error(`pcapng writer bug: block length ${total} != ${this.buf.readUInt32LE(start + 4)}`)
    }
    this.buf.writeUInt32LE(total, this.len)
    this.len += 4
  }

  private putOptions(opts: EncodedOption[]): void {
    if (opts.length === 0) return
    for (const { code, bytes } of opts) {
      this.buf.writeUInt16LE(code, this.len)
      this.buf.writeUInt16LE(bytes.length, this.len + 2)
      this.buf.set(bytes, this.len + 4)
      const end = this.len + 4 + pad4(bytes.length)
      this.buf.fill(0, this.len + 4 + bytes.length, end)
      this.len = end
    }
    this.buf.writeUInt32LE(OPT_ENDOFOPT, this.len)
    this.len += 4
  }

  private ensure(extra: number): void {
    const need = this.len + extra
    if (need <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < need) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.len)
    this.buf = next
  }

  private checkOptions(opts: EncodedOption[]): void {
    for (const o of opts) {
      if (o.bytes.length > MAX_OPTION_BYTES) {
        throw this.badArg(`option ${o.code} is ${o.bytes.length} bytes; one pcapng option holds at most ${MAX_OPTION_BYTES}`)
      }
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new PcapngWriterError('closed', 'The pcapng writer is closed', this.committed)
  }

  private badArg(message: string): PcapngWriterError {
    return new PcapngWriterError('bad-argument', message, this.committed)
  }
}

interface EncodedOption {
  code: number
  bytes: Uint8Array
}

function pushString(opts: EncodedOption[], code: number, s: string | undefined): void {
  if (s !== undefined) opts.push({ code, bytes: Buffer.from(s, 'utf8') })
}

function pushStrings(opts: EncodedOption[], code: number, list: readonly string[] | undefined): void {
  for (const s of list ?? []) pushString(opts, code, s)
}

function optionsLength(opts: EncodedOption[]): number {
  if (opts.length === 0) return 0
  let n = 4
  for (const o of opts) n += 4 + pad4(o.bytes.length)
  return n
}

function toUnits(t: Timestamp, divisor: bigint): bigint {
  const ns = typeof t === 'bigint' ? t : BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec)
  if (ns < 0n) throw new PcapngWriterError('bad-argument', `timestamp before the epoch (${ns} ns)`, 0)
  const units = divisor === 1n ? ns : ns / divisor
  if (units > 0xffffffffffffffffn) throw new PcapngWriterError('bad-argument', `timestamp ${ns} ns does not fit 64 bits`, 0)
  return units
}

function tsBytes(units: bigint): Buffer {
  const b = Buffer.alloc(8)
  b.writeUInt32LE(Number(units >> 32n), 0)
  b.writeUInt32LE(Number(units & 0xffffffffn), 4)
  return b
}

/** End of the last whole block within the first `limit` bytes of `buf`. */
function lastWholeBlockEnd(buf: Buffer, limit: number): number {
  let off = 0
  while (off + 8 <= limit) {
    const total = buf.readUInt32LE(off + 4)
    if (off + total > limit) break
    off += total
  }
  return off
}

/** EPBs among the whole blocks in the first `limit` bytes. */
function countPackets(buf: Buffer, limit: number): number {
  let off = 0
  let n = 0
  while (off + 8 <= limit) {
    const total = buf.readUInt32LE(off + 4)
    if (off + total > limit || total < 12) break
    if (buf.readUInt32LE(off) === EPB) n++
    off += total
  }
  return n
}

const isU16 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff
const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff
