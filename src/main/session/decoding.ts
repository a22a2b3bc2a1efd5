// The session's seam to the packet engine: sequential indexing (summary mode, with the state
// that spans packets) and random-access re-dissection of one packet from what the index kept.
import type { RowColor } from '../../shared/contract'
import type { InterfaceInfo, PacketRecord } from '../capfile/types'
import { dissectFrame, type Dissection, type FrameInput } from '../dissect/index'
import type { IndexEntry } from './packet-index'

/** What indexing keeps of one packet besides its position in the file. */
export interface IndexedFrame {
  stream: number
  tcpFlags: number
  color: RowColor
}

export interface RawFrame {
  number: number
  data: Uint8Array
  entry: IndexEntry
  comments: readonly string[]
}

export class SessionDecoder {
  constructor(
    private readonly interfaces: readonly InterfaceInfo[],
    private readonly pcapng: boolean
  ) {}

  /** Sequential pass over the file (opening, live capture): must see every packet in order. */
  index(rec: PacketRecord, frameNo: number): IndexedFrame {
    const d = dissectFrame(this.frameInput(frameNo, rec.data, rec, rec.comments), { tree: false })
    return { stream: -1, tcpFlags: 0, color: d.ctx.malformed ? 'bad' : '' }
  }

  /** One packet on its own, for rows, details, filters and exports. */
  dissect(f: RawFrame, tree: boolean): Dissection {
    const e = f.entry
    const hasTs = !Number.isNaN(e.tsSec)
    return dissectFrame(
      this.frameInput(f.number, f.data, { interfaceId: e.interfaceId, hasTs, tsSec: hasTs ? e.tsSec : 0, tsNsec: e.tsNsec, origlen: e.origlen }, f.comments),
      { tree }
    )
  }

  private frameInput(
    number: number,
    data: Uint8Array,
    r: { interfaceId: number; hasTs: boolean; tsSec: number; tsNsec: number; origlen: number },
    comments: readonly string[]
  ): FrameInput {
    const iface = this.interfaces[r.interfaceId]
    const input: FrameInput = {
      number,
      data,
      origlen: r.origlen,
      linktype: iface?.linktype ?? 1,
      interfaceId: r.interfaceId,
      hasTs: r.hasTs,
      tsSec: r.tsSec,
      tsNsec: r.tsNsec,
      comments,
      pcapng: this.pcapng
    }
    if (iface?.name) input.interfaceName = iface.name
    return input
  }
}
