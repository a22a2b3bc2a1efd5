// The session's seam to the packet engine: the sequential pass that indexes packets in
// summary mode (TCP conversations, reassembly, defragmentation see every packet in order),
// and random-access re-dissection of one packet from what the index kept.
import type { RowColor, StreamSummary } from '../../shared/contract'
import type { CaptureReader, PacketRecord } from '../capfile/types'
import type { Dissection, FrameInput } from '../dissect/index'
import { setTcpHandler, type TcpHandler } from '../dissect/transport/tcp'
import { dissectDatagram, frameInput, redissect, SequentialDecoder, TCP_FLAGS as A, type TcpStreamTable } from '../engine/decoder'
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

/** TCP flags bits of the tcp.flags field. */
const TH_FIN = 0x01
const TH_SYN = 0x02
const TH_RST = 0x04

/** Stops a dissection at the TCP header: no conversation lookup, no application layers. */
const headerOnly: TcpHandler = () => {}

/** The packet list's colour rules, strongest first (as Wireshark's defaults order them). */
export function colorOf(d: Dissection, stream: number, flags: number): RowColor {
  if (d.ctx.malformed) return 'bad'
  if (stream < 0) return ''
  if (flags & A.RETRANS_MASK || flags & A.DUP_ACK || flags & A.LOST_SEGMENT || flags & A.OUT_OF_ORDER) return 'retrans'
  const th = d.ctx.tcp?.flags ?? 0
  if (th & TH_RST || flags & A.RST) return 'rst'
  if (flags & A.HANDSHAKE_MASK) return 'handshake'
  if (th & TH_SYN) return 'syn'
  if (th & TH_FIN || flags & A.FIN) return 'fin'
  return ''
}

export class SessionDecoder {
  private readonly seq = new SequentialDecoder({ tree: false })
  private readonly readInput = (no: number): FrameInput | null => this.inputOf(no)

  constructor(
    private readonly reader: Pick<CaptureReader, 'format' | 'interfaces'>,
    /** Reads another frame back (earlier segments of a reassembled PDU, earlier fragments of a datagram). */
    private readonly readFrame: (no: number) => RawFrame | null
  ) {}

  get streams(): TcpStreamTable {
    return this.seq.streams
  }

  /** Bytes the analysis state holds in memory (stream rows, hash, per-frame records). */
  memory(): ReturnType<SequentialDecoder['memory']> {
    return this.seq.memory()
  }

  close(): void {
    this.seq.close()
  }

  /** Sequential pass over the file (opening, live capture): must see every packet in order. */
  index(rec: PacketRecord, frameNo: number): IndexedFrame {
    const d = this.seq.decode(frameInput(rec, this.reader, frameNo))
    return { stream: d.tcp.stream, tcpFlags: d.tcp.flags, color: colorOf(d.dissection, d.tcp.stream, d.tcp.flags) }
  }

  /** One packet on its own, for rows, details, filters and exports. */
  dissect(f: RawFrame, tree: boolean): Dissection {
    const no = f.number
    const pdu = this.seq.pdus.get(no)
    const dupAck = this.seq.dupAcks.get(no)
    return redissect(this.frameInput(f), { stream: f.entry.stream, flags: f.entry.tcpFlags }, this.seq.streams, {
      tree,
      quic: this.seq.quicConnections,
      readFrame: this.readInput,
      datagrams: this.seq.datagrams,
      ...(pdu ? { pdu } : {}),
      ...(dupAck ? { dupAck } : {})
    })
  }

  /**
   * A summary dissection that stops at the TCP header (what header-level filter readers need),
   * with the IP datagram the frame completed rebuilt as in dissect().
   */
  dissectHeaders(f: RawFrame): Dissection {
    const prev = setTcpHandler(headerOnly)
    try {
      return dissectDatagram(this.frameInput(f), false, { datagrams: this.seq.datagrams, readFrame: this.readInput })
    } finally {
      setTcpHandler(prev)
    }
  }

  private inputOf(no: number): FrameInput | null {
    const f = this.readFrame(no)
    return f ? this.frameInput(f) : null
  }

  /** The dissector's input for a frame read back with its index entry. */
  frameInput(f: RawFrame): FrameInput {
    const e = f.entry
    const hasTs = !Number.isNaN(e.tsSec)
    const iface = this.reader.interfaces[e.interfaceId]
    const input: FrameInput = {
      number: f.number,
      data: f.data,
      origlen: e.origlen,
      linktype: iface?.linktype ?? 1,
      interfaceId: e.interfaceId,
      hasTs,
      tsSec: hasTs ? e.tsSec : 0,
      tsNsec: e.tsNsec,
      comments: f.comments,
      pcapng: this.reader.format === 'pcapng'
    }
    if (iface?.name) input.interfaceName = iface.name
    return input
  }

  /** The streams list; `limit` caps a capture with hundreds of thousands of connections. */
  streamSummaries(limit: number): StreamSummary[] {
    const T = this.seq.streams
    const out: StreamSummary[] = []
    const n = Math.min(T.count, limit)
    const fmt = (e: { addr: string; port: number }): string => (e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`)
    for (let s = 0; s < n; s++) {
      const ep = T.endpoints(s)
      const sum = T.summary(s)
      out.push({
        stream: s,
        client: fmt(ep.client),
        server: fmt(ep.server),
        handshake: T.handshakeState(s),
        packets: sum.packets,
        bytes: sum.bytes,
        firstNo: sum.firstFrame,
        state: T.stateText(s)
      })
    }
    return out
  }
}
