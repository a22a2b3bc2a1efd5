// pcapng: a sequence of blocks (type, total length, body, total length again). Sections start
// with a Section Header Block that fixes the byte order and restarts interface numbering.
// Packets come from Enhanced, Simple and obsolete Packet Blocks; everything else is skipped.
import { MAX_BLOCK_SIZE, maxCaplenFor } from '../limits'
import { NO_COMMENTS, ReaderBase } from '../reader-base'
import type { FileSource } from '../source'
import { MICROSECONDS, splitTimestamp, unitsFromTsresol, type SplitTime, type TimeUnits } from '../time'
import { CaptureFileError, type InterfaceInfo, type PacketRecord } from '../types'

export const BT_SHB = 0x0a0d0d0a
const BT_IDB = 1
const BT_PB = 2
const BT_SPB = 3
const BT_NRB = 4
const BT_ISB = 5
const BT_EPB = 6
const BT_DSB = 0x0a
const BT_CB = 0x00000bad
const BT_DCB = 0x40000bad
const BYTE_ORDER_MAGIC = 0x1a2b3c4d

const OPT_ENDOFOPT = 0
const OPT_COMMENT = 1
const IF_NAME = 2
const IF_DESCRIPTION = 3
const IF_TSRESOL = 9
const IF_TSOFFSET = 14

function blockName(type: number): string {
  switch (type) {
    case BT_SHB:
      return 'Section Header Block'
    case BT_IDB:
      return 'Interface Description Block'
    case BT_PB:
      return 'Packet Block'
    case BT_SPB:
      return 'Simple Packet Block'
    case BT_NRB:
      return 'Name Resolution Block'
    case BT_ISB:
      return 'Interface Statistics Block'
    case BT_EPB:
      return 'Enhanced Packet Block'
    case BT_DSB:
      return 'Decryption Secrets Block'
    case BT_CB:
    case BT_DCB:
      return 'Custom Block'
    default:
      return `block of type 0x${(type >>> 0).toString(16).padStart(8, '0')}`
  }
}

/** Smallest total length a block of this type can have (12 for the ones we only skip). */
function minBlockLength(type: number): number {
  switch (type) {
    case BT_SHB:
      return 28
    case BT_IDB:
      return 20
    case BT_EPB:
    case BT_PB:
      return 32
    case BT_SPB:
      return 16
    default:
      return 12
  }
}

interface Iface {
  info: InterfaceInfo
  units: TimeUnits
  tsOffset: number
  maxCaplen: number
}

export class PcapngReader extends ReaderBase {
  readonly format = 'pcapng' as const
  private le = true
  /** File offset of the next block. */
  private pos = 0
  private section = -1
  private sectionIfaces: Iface[] = []
  private readonly split: SplitTime = { sec: 0, nsec: 0 }
  private readonly utf8 = new TextDecoder('utf-8')
  /** While true, read() stops in front of the first packet block instead of consuming it. */
  private priming = false

  constructor(src: FileSource, follow: boolean) {
    super(src, follow)
    // Read the section header and the interfaces before the first packet, so `interfaces` is
    // filled and a refused SHB is in `error` right after opening.
    this.priming = true
    this.next()
    this.priming = false
  }

  protected read(): PacketRecord | null {
    const src = this.src
    for (;;) {
      const pos = this.pos
      let i = pos - src.base
      // 12 bytes: type and length, plus the byte-order magic of an SHB; no block is shorter.
      if (i < 0 || i + 12 > src.len) {
        i = src.fetch(pos, 12)
        if (i < 0) {
          const left = src.remaining(pos)
          if (left === 0) return this.atEnd()
          return this.cut(
            () =>
              new CaptureFileError(
                'truncated-block',
                pos,
                `File cut short in the middle of a block header: the block at byte ${pos} needs at least 12 bytes, only ${left} remain`
              )
          )
        }
      }
      let v = src.view
      const type = v.getUint32(i, this.le)
      if (type === BT_SHB) {
        const bom = v.getUint32(i + 8, true)
        if (bom === BYTE_ORDER_MAGIC) this.le = true
        else if (bom === 0x4d3c2b1a) this.le = false
        else {
          return this.fail(
            new CaptureFileError(
              'bad-section',
              pos,
              `Bad Section Header Block at byte ${pos}: byte-order magic is 0x${bom.toString(16).padStart(8, '0')}, expected 1a2b3c4d in either byte order`
            )
          )
        }
      } else if (this.section < 0) {
        return this.fail(new CaptureFileError('bad-section', pos, `Bad pcapng file: the block at byte ${pos} is not a Section Header Block`))
      }
      const le = this.le
      const blen = v.getUint32(i + 4, le)
      const bad = this.checkLength(type, blen, pos)
      if (bad) return this.fail(bad)
      // Obsolete Packet Blocks written by NTAR give a length without the padding: round it up.
      const total = (blen + 3) & ~3
      if (i + total > src.len) {
        i = src.fetch(pos, total)
        if (i < 0) {
          const left = src.remaining(pos)
          return this.cut(
            () =>
              new CaptureFileError(
                'truncated-block',
                pos,
                `File cut short in the middle of a block: ${this.describe(type)} at byte ${pos} needs ${total} bytes, only ${left} remain`
              )
          )
        }
        v = src.view
      }
      if (this.priming && (type === BT_EPB || type === BT_PB || type === BT_SPB)) return null
      const trailer = v.getUint32(i + total - 4, le)
      if (trailer !== blen) {
        return this.fail(
          new CaptureFileError(
            'bad-block-length',
            pos,
            `Bad block length: ${this.describe(type)} at byte ${pos} gives its total length as ${blen} at the start but ${trailer} at the end (byte ${pos + total - 4})`
          )
        )
      }
      let rec: PacketRecord | null = null
      switch (type) {
        case BT_SHB:
          if (!this.startSection(v, i, pos)) return null
          break
        case BT_IDB:
          this.addInterface(v, i, total)
          break
        case BT_EPB:
        case BT_PB:
          rec = this.packetBlock(type, v, i, blen, total, pos)
          if (!rec) return null
          break
        case BT_SPB:
          rec = this.simplePacketBlock(i, blen, pos)
          if (!rec) return null
          break
        default:
        // NRB, ISB, DSB, custom and unknown blocks carry no packet.
      }
      this.pos = pos + total
      this.bytesRead = this.pos
      if (rec) {
        this.count++
        return rec
      }
    }
  }

  private describe(type: number): string {
    const name = blockName(type)
    return type === BT_EPB || type === BT_PB || type === BT_SPB ? `${name} (packet ${this.count + 1})` : name
  }

  private checkLength(type: number, blen: number, pos: number): CaptureFileError | null {
    let problem: string
    const min = minBlockLength(type)
    if (blen < 12) problem = 'less than the 12 bytes every block needs'
    else if (blen < min) problem = `less than the minimum of ${min} for this block type`
    else if (blen % 4 !== 0 && type !== BT_PB) problem = 'which is not a multiple of 4'
    else if (blen > MAX_BLOCK_SIZE) problem = `more than the maximum of ${MAX_BLOCK_SIZE}`
    else return null
    return new CaptureFileError('bad-block-length', pos, `Bad block length: ${this.describe(type)} at byte ${pos} gives its total length as ${blen}, ${problem}`)
  }

  private startSection(v: DataView, i: number, pos: number): boolean {
    const major = v.getUint16(i + 12, this.le)
    const minor = v.getUint16(i + 14, this.le)
    // tshark reads 1.0 and 1.2 (1.2 was written by some old tools) and refuses everything else.
    if (!(major === 1 && (minor === 0 || minor === 2))) {
      this.fail(
        new CaptureFileError(
          'bad-section',
          pos,
          `Unsupported Section Header Block at byte ${pos}: unknown SHB version ${major}.${minor} (versions 1.0 and 1.2 are readable)`
        )
      )
      return false
    }
    this.section++
    this.sectionIfaces = []
    // SHB options start after the 16-byte body (magic, version, section length).
    const blen = v.getUint32(i + 4, this.le)
    this.sectionComments.push(this.comments(v, i + 24, i + blen - 4))
    return true
  }

  private addInterface(v: DataView, i: number, total: number): void {
    const le = this.le
    const linktype = v.getUint16(i + 8, le)
    const snaplen = v.getUint32(i + 12, le)
    const info: InterfaceInfo = { id: this.interfaces.length, linktype, snaplen, tsUnit: 1e-6, tsOffset: 0, section: this.section }
    let units = MICROSECONDS
    const buf = this.src.buf
    const end = i + total - 4
    for (let p = i + 16; p + 4 <= end; ) {
      const code = v.getUint16(p, le)
      const len = v.getUint16(p + 2, le)
      if (code === OPT_ENDOFOPT || p + 4 + len > end) break
      const at = p + 4
      if (code === IF_NAME) info.name = this.text(buf, at, len)
      else if (code === IF_DESCRIPTION) info.description = this.text(buf, at, len)
      else if (code === IF_TSRESOL && len >= 1) units = unitsFromTsresol(buf[at])
      else if (code === IF_TSOFFSET && len >= 8) info.tsOffset = Number(v.getBigInt64(at, le))
      p = at + ((len + 3) & ~3)
    }
    info.tsUnit = 1 / units.perSec
    const iface: Iface = { info, units, tsOffset: info.tsOffset ?? 0, maxCaplen: maxCaplenFor(linktype) }
    this.interfaces.push(info)
    this.sectionIfaces.push(iface)
  }

  private missingInterface(type: number, id: number, pos: number): null {
    const n = this.sectionIfaces.length
    const has =
      n === 0
        ? 'no Interface Description Block came before it in its section'
        : n === 1
          ? 'its section defines only 1 interface (id 0)'
          : `its section defines only ${n} interfaces (ids 0..${n - 1})`
    return this.fail(new CaptureFileError('bad-interface', pos, `${this.describe(type)} at byte ${pos} refers to interface ${id}, but ${has}`))
  }

  private packetBlock(type: number, v: DataView, i: number, blen: number, total: number, pos: number): PacketRecord | null {
    const le = this.le
    const ifaceId = type === BT_EPB ? v.getUint32(i + 8, le) : v.getUint16(i + 8, le)
    const iface = this.sectionIfaces[ifaceId]
    if (iface === undefined) return this.missingInterface(type, ifaceId, pos)
    const hi = v.getUint32(i + 12, le)
    const lo = v.getUint32(i + 16, le)
    const caplen = v.getUint32(i + 20, le)
    const origlen = v.getUint32(i + 24, le)
    if (caplen > iface.maxCaplen) {
      return this.fail(
        new CaptureFileError(
          'bad-record',
          pos,
          `Corrupt ${this.describe(type)} at byte ${pos}: captured length ${caplen} is bigger than the maximum of ${iface.maxCaplen} for link type ${iface.info.linktype}`
        )
      )
    }
    const room = blen - 32
    if (caplen > room) {
      return this.fail(
        new CaptureFileError(
          'bad-record',
          pos,
          `Corrupt ${this.describe(type)} at byte ${pos}: captured length ${caplen} does not fit in the block (total length ${blen} leaves room for ${room} bytes of packet data)`
        )
      )
    }
    const rec = this.rec
    splitTimestamp(hi, lo, iface.units, this.split)
    rec.index = this.count
    rec.interfaceId = iface.info.id
    rec.linktype = iface.info.linktype
    rec.hasTs = true
    rec.tsSec = this.split.sec + iface.tsOffset
    rec.tsNsec = this.split.nsec
    rec.caplen = caplen
    rec.origlen = origlen
    rec.fileOffset = pos
    rec.dataOffset = pos + 28
    const start = i + 28
    rec.data = this.src.buf.subarray(start, start + caplen)
    const optStart = start + ((caplen + 3) & ~3)
    const optEnd = i + total - 4
    rec.comments = optStart < optEnd ? this.comments(v, optStart, optEnd) : NO_COMMENTS
    return rec
  }

  private simplePacketBlock(i: number, blen: number, pos: number): PacketRecord | null {
    const iface = this.sectionIfaces[0]
    if (iface === undefined) return this.missingInterface(BT_SPB, 0, pos)
    const v = this.src.view
    const origlen = v.getUint32(i + 8, this.le)
    // No captured-length field: the packet is cut by the snap length of interface 0 and by the block.
    let caplen = Math.min(origlen, blen - 16)
    if (iface.info.snaplen !== 0 && iface.info.snaplen < caplen) caplen = iface.info.snaplen
    if (caplen > iface.maxCaplen) {
      return this.fail(
        new CaptureFileError(
          'bad-record',
          pos,
          `Corrupt ${this.describe(BT_SPB)} at byte ${pos}: captured length ${caplen} is bigger than the maximum of ${iface.maxCaplen} for link type ${iface.info.linktype}`
        )
      )
    }
    const rec = this.rec
    rec.index = this.count
    rec.interfaceId = iface.info.id
    rec.linktype = iface.info.linktype
    rec.hasTs = false
    rec.tsSec = 0
    rec.tsNsec = 0
    rec.caplen = caplen
    rec.origlen = origlen
    rec.fileOffset = pos
    rec.dataOffset = pos + 12
    rec.data = this.src.buf.subarray(i + 12, i + 12 + caplen)
    rec.comments = NO_COMMENTS
    return rec
  }

  /** A string option: UTF-8 up to its first NUL, as tshark reads it (writers leave junk after a terminator). */
  private text(buf: Uint8Array, at: number, len: number): string {
    const value = buf.subarray(at, at + len)
    const nul = value.indexOf(0)
    return this.utf8.decode(nul < 0 ? value : value.subarray(0, nul))
  }

  /** opt_comment values of a packet block's options, in file order; a malformed option ends the list. */
  private comments(v: DataView, p: number, end: number): readonly string[] {
    const le = this.le
    const buf = this.src.buf
    let out: string[] | null = null
    while (p + 4 <= end) {
      const code = v.getUint16(p, le)
      const len = v.getUint16(p + 2, le)
      if (code === OPT_ENDOFOPT || p + 4 + len > end) break
      if (code === OPT_COMMENT) (out ??= []).push(this.text(buf, p + 4, len))
      p += 4 + ((len + 3) & ~3)
    }
    return out ?? NO_COMMENTS
  }
}
