// Classic libpcap files: a 24-byte file header, then records of a 16-byte header (24 in the
// modified "Kuznetzov" format) followed by the captured bytes. Both byte orders, µs and ns.
import { maxCaplenFor } from '../limits'
import { ReaderBase } from '../reader-base'
import type { FileSource } from '../source'
import { CaptureFileError, type PacketRecord } from '../types'

export const PCAP_MAGIC_US = 0xa1b2c3d4
export const PCAP_MAGIC_NS = 0xa1b23c4d
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34
const FILE_HEADER_LEN = 24

/** Byte order and variant of a classic pcap magic read little-endian, or null if it is none. */
export function pcapVariant(magicLE: number): { le: boolean; ns: boolean; modified: boolean } | null {
  switch (magicLE >>> 0) {
    case PCAP_MAGIC_US:
      return { le: true, ns: false, modified: false }
    case 0xd4c3b2a1:
      return { le: false, ns: false, modified: false }
    case PCAP_MAGIC_NS:
      return { le: true, ns: true, modified: false }
    case 0x4d3cb2a1:
      return { le: false, ns: true, modified: false }
    case PCAP_MAGIC_MODIFIED:
      return { le: true, ns: false, modified: true }
    case 0x34cdb2a1:
      return { le: false, ns: false, modified: true }
    default:
      return null
  }
}

// Files before format 2.3 store orig_len before incl_len; some 2.3 writers did too (tshark
// swaps those when incl_len > orig_len), and DG/UX wrote 543.0 in the old order.
const LENGTHS_IN_ORDER = 0
const LENGTHS_SWAPPED = 1
const LENGTHS_MAYBE_SWAPPED = 2

export class PcapReader extends ReaderBase {
  readonly format = 'pcap' as const
  private le = true
  private recHdrLen = 16
  /** Multiplier from the fraction field to nanoseconds. */
  private nsMul = 1000
  private maxCaplen = 0
  private lengthOrder = LENGTHS_IN_ORDER
  private headerDone = false
  /** File offset of the next record header. */
  private pos = 0

  constructor(src: FileSource, follow: boolean) {
    super(src, follow)
    // Parse the header now so `interfaces` is filled right after opening; a fault lands in `error`.
    this.prime()
  }

  protected read(): PacketRecord | null {
    if (!this.headerDone && !this.readHeader()) return null
    const src = this.src
    const pos = this.pos
    const hdrLen = this.recHdrLen
    let i = pos - src.base
    if (i < 0 || i + hdrLen > src.len) {
      i = src.fetch(pos, hdrLen)
      if (i < 0) {
        const left = src.remaining(pos)
        if (left === 0) return this.atEnd()
        return this.cut(
          () =>
            new CaptureFileError(
              'truncated-record',
              pos,
              `File cut short in the middle of a record header: record ${this.count + 1} at byte ${pos} needs ${hdrLen} bytes of header, only ${left} remain`
            )
        )
      }
    }
    const v = src.view
    const le = this.le
    const tsSec = v.getUint32(i, le)
    const frac = v.getUint32(i + 4, le)
    let caplen = v.getUint32(i + 8, le)
    let origlen = v.getUint32(i + 12, le)
    if (this.lengthOrder !== LENGTHS_IN_ORDER && (this.lengthOrder === LENGTHS_SWAPPED || caplen > origlen)) {
      const t = caplen
      caplen = origlen
      origlen = t
    }
    if (caplen > this.maxCaplen) {
      const linktype = this.interfaces[0].linktype
      return this.fail(
        new CaptureFileError(
          'bad-record',
          pos,
          `Corrupt record header: record ${this.count + 1} at byte ${pos} has a ${caplen}-byte packet, bigger than the maximum of ${this.maxCaplen} for link type ${linktype}`
        )
      )
    }
    const total = hdrLen + caplen
    if (i + total > src.len) {
      i = src.fetch(pos, total)
      if (i < 0) {
        const left = src.remaining(pos + hdrLen)
        return this.cut(
          () =>
            new CaptureFileError(
              'truncated-record',
              pos,
              `File cut short in the middle of a packet: record ${this.count + 1} at byte ${pos} needs ${caplen} bytes of packet data, only ${left} remain`
            )
        )
      }
    }
    const rec = this.rec
    rec.index = this.count
    rec.tsSec = tsSec
    // tshark computes the fraction in 32-bit signed arithmetic; corrupt fractions wrap the same way.
    rec.tsNsec = (frac * this.nsMul) | 0
    rec.caplen = caplen
    rec.origlen = origlen
    rec.fileOffset = pos
    rec.dataOffset = pos + hdrLen
    rec.data = src.buf.subarray(i + hdrLen, i + total)
    this.count++
    this.pos = pos + total
    this.bytesRead = this.pos
    return rec
  }

  /** Parses the file header; false when reading must stop or wait. */
  private readHeader(): boolean {
    const src = this.src
    const i = src.fetch(0, FILE_HEADER_LEN)
    if (i < 0) {
      const left = src.remaining(0)
      this.cut(
        () =>
          new CaptureFileError(
            'truncated-header',
            0,
            `File cut short in the file header: a pcap file header needs ${FILE_HEADER_LEN} bytes, only ${left} remain`
          )
      )
      return false
    }
    const v = src.view
    const variant = pcapVariant(v.getUint32(i, true))
    if (!variant) {
      this.fail(new CaptureFileError('unknown-format', 0, 'Not a classic pcap file: unknown magic number'))
      return false
    }
    const le = variant.le
    const major = v.getUint16(i + 4, le)
    const minor = v.getUint16(i + 6, le)
    const snaplen = v.getUint32(i + 16, le)
    // The upper 16 bits of the link-type field hold FCS-length flags, not the type.
    const linktype = v.getUint32(i + 20, le) & 0xffff
    if (major < 2) {
      this.fail(
        new CaptureFileError('bad-header', 4, `Unsupported pcap file: major version ${major} unsupported (version ${major}.${minor} in the file header; only 2.x exists)`)
      )
      return false
    }
    if (major === 2 && minor < 3) this.lengthOrder = LENGTHS_SWAPPED
    else if (major === 2 && minor === 3) this.lengthOrder = LENGTHS_MAYBE_SWAPPED
    else if (major === 543) this.lengthOrder = LENGTHS_SWAPPED
    this.le = le
    this.recHdrLen = variant.modified ? 24 : 16
    this.nsMul = variant.ns ? 1 : 1000
    this.maxCaplen = maxCaplenFor(linktype)
    this.interfaces.push({ id: 0, linktype, snaplen, tsUnit: variant.ns ? 1e-9 : 1e-6, tsOffset: 0, section: 0 })
    this.rec.linktype = linktype
    this.rec.interfaceId = 0
    this.rec.hasTs = true
    this.headerDone = true
    this.pos = FILE_HEADER_LEN
    this.bytesRead = FILE_HEADER_LEN
    return true
  }

  /** Reads the file header if the data is there, without consuming a packet. */
  prime(): void {
    if (this.headerDone || this.done) return
    try {
      this.readHeader()
    } catch (err) {
      if (err instanceof CaptureFileError) this.fail(err)
      else throw err
    }
  }
}
