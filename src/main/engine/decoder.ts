// The sequential decoder: capture reader → dissectFrame (with IP reassembly) → TCP
// conversation analysis → TCP reassembly for application dissectors, one packet after the
// other, in summary or tree mode. Also the random-access path: one packet re-dissected with
// the conversation state the sequential pass left (the details pane), with the IP datagram or
// TCP PDU it completed rebuilt from the earlier frames the pass recorded.
import type { CaptureReader, PacketRecord } from '../capfile/types'
import { IpDefragmenter, NO_LIMITS, type Reassembled } from '../analysis/ip-defrag'
import { presentRecord, seqAckView, TcpAnalyzer, viewOf, type TcpPacketRecord } from '../analysis/tcp-analysis'
import { addSegmentsTree, dispatchReassembled, TcpReassembler, type PduEntry } from '../analysis/tcp-reassembly'
import { STREAM_ROW_MASK, TcpStreamTable, type TcpStreamTableOptions } from '../analysis/tcp-streams'
import { DatagramRecords, DupAckRecords, type FrameLookup } from '../analysis/frame-records'
import { LruMap } from '../analysis/lru-map'
import { dissectFrame, type Dissection, type FrameInput } from '../dissect'
import { collector } from '../dissect/app/collect'
import type { PacketContext } from '../dissect/context'
import { desegment } from '../dissect/transport/ports'
import { setTcpHandler, type TcpHandler } from '../dissect/transport/tcp'
import { A, askedRange, dispatchTcpPayload, payloadNode, presentTcp, resetCause } from '../dissect/transport/tcp-present'
import { ANY_QUIC_CONNECTION, setQuicConnections, type QuicConnections } from '../dissect/app/quic'

// Module-local copy: an imported binding is a getter call under tsx (the CLI) on every use.
const ROW = STREAM_ROW_MASK

export type { TcpPacketRecord } from '../analysis/tcp-analysis'
export type { PduEntry } from '../analysis/tcp-reassembly'
export type { FrameLookup } from '../analysis/frame-records'
export { TcpStreamTable } from '../analysis/tcp-streams'
export { A as TCP_FLAGS } from '../dissect/transport/tcp-present'

/** Record flag of a UDP packet (stream -1) that belongs to a QUIC connection. */
export const UDP_QUIC = 0x0001

export interface DecoderOptions {
  /** Build trees (CLI, filters) or only summaries (packet index). */
  tree: boolean
  /** TCP reassembly for application dissectors (tshark's default: on). */
  reassemble?: boolean
  /** IPv4/IPv6 reassembly (tshark's default: on). */
  defragment?: boolean
  /** Keep the frames of every reassembled PDU and IP datagram (for redissect); default true. */
  keepPduIndex?: boolean
  /** Stream table bounds (resident chunks, tuples kept); defaults suit any capture length. */
  streams?: TcpStreamTableOptions
}

/** QUIC connections remembered at once; the least recently used beyond are forgotten. */
export const MAX_QUIC_CONNECTIONS = 8192

/** Bytes the sequential pass holds in memory, per structure (counted from the structures). */
export interface DecoderMemory {
  /** Resident chunks of stream rows. */
  streamRows: number
  /** The 4-tuple → stream hash. */
  tupleHash: number
  /** Resident chunks of the duplicate-ACK records. */
  dupAcks: number
  /** Resident chunks of the reassembled-PDU records and their frame lists. */
  pdus: number
  /** Resident chunks of the reassembled-datagram records and their frame lists. */
  datagrams: number
  /** Bytes of PDUs waiting for more segments, plus an estimate of their objects. */
  pendingPdus: number
  /** Fragment bytes of IP datagrams waiting for more fragments, plus an estimate of their objects. */
  defrag: number
  /** An estimate for the QUIC connections remembered. */
  quic: number
  /** Resident chunks of the per-frame SEQ/ACK records. */
  seqAcks: number
  /** The pool of unacknowledged TCP segments. */
  unacked: number
  total: number
}

export interface DecodedPacket {
  /** frame.number, 1-based. */
  number: number
  dissection: Dissection
  /** tcp.stream and analysis flags; stream -1 when the frame has no TCP segment. */
  tcp: TcpPacketRecord
}

/** The FrameInput of a reader record (frame numbers are 1-based). */
export function frameInput(rec: PacketRecord, reader: Pick<CaptureReader, 'format' | 'interfaces'> | null, number = rec.index + 1): FrameInput {
  return {
    number,
    data: rec.data,
    origlen: rec.origlen,
    linktype: rec.linktype,
    interfaceId: rec.interfaceId,
    hasTs: rec.hasTs,
    tsSec: rec.tsSec,
    tsNsec: rec.tsNsec,
    comments: rec.comments,
    pcapng: reader?.format === 'pcapng',
    interfaceName: reader?.interfaces[rec.interfaceId]?.name
  }
}

function convFor(T: TcpStreamTable, s: number, frame: number): number {
  const R = T.rows(s, false)
  const j = s & ROW
  const c = R.convDissector[j]!
  return c >= 0 && frame > R.switchFrame[j]! ? c : -1
}

export class SequentialDecoder {
  readonly streams: TcpStreamTable
  readonly analyzer: TcpAnalyzer
  readonly reassembler: TcpReassembler
  readonly defrag: IpDefragmenter | undefined
  private readonly tree: boolean
  private readonly reassemble: boolean
  private current: TcpPacketRecord = { stream: -1, flags: 0 }
  private readonly handler: TcpHandler
  private readonly quic = new LruMap<string, Parameters<QuicConnections['set']>[1]>(MAX_QUIC_CONNECTIONS)
  private readonly dupAckIndex = new DupAckRecords()
  private readonly datagramIndex = new DatagramRecords()
  /** Frames of the fragments of the datagrams the current frame completed. */
  private readonly fragFrames: number[] = []
  private completedDatagram = false

  constructor(opts: DecoderOptions) {
    this.tree = opts.tree
    this.reassemble = opts.reassemble !== false
    this.defrag = opts.defragment === false ? undefined : new IpDefragmenter()
    if (this.defrag && opts.keepPduIndex !== false) this.defrag.onReassembled = (r) => this.onDatagram(r)
    // A pass that keeps no PDU index never re-dissects a frame later: the latest SEQ/ACK details do.
    this.streams = new TcpStreamTable({ frameRecords: opts.keepPduIndex === false ? 'latest' : 'all', ...opts.streams })
    this.analyzer = new TcpAnalyzer(this.streams)
    this.reassembler = new TcpReassembler(this.streams, opts.keepPduIndex !== false)
    this.handler = (ctx) => this.onSegment(ctx)
  }

  /** Frames that completed a multi-segment PDU, for redissect (kept on disk beyond a few chunks). */
  get pdus(): FrameLookup<PduEntry> {
    return this.reassembler.completed
  }

  /**
   * Frames that completed a reassembled IP datagram → the earlier frames holding its fragments,
   * ascending (kept on disk beyond a few chunks), for redissect.
   */
  get datagrams(): FrameLookup<Uint32Array> {
    return this.datagramIndex
  }

  /**
   * QUIC connections seen (one small entry each), for redissect. At most MAX_QUIC_CONNECTIONS:
   * a connection unused while that many newer ones were seen is forgotten, and its later
   * short-header packets show as UDP data (tshark would still call them QUIC).
   */
  get quicConnections(): QuicConnections {
    return this.quic
  }

  /** Duplicate ACKs (sparse): frame → [frame it duplicates, number in the run], for redissect. */
  get dupAcks(): FrameLookup<readonly [number, number]> {
    return this.dupAckIndex
  }

  /** What the pass holds in memory now, per structure. */
  memory(): DecoderMemory {
    const m = {
      streamRows: this.streams.residentRowBytes,
      tupleHash: this.streams.hashBytes,
      dupAcks: this.dupAckIndex.residentBytes,
      pdus: this.reassembler.completed.residentBytes,
      datagrams: this.datagramIndex.residentBytes,
      pendingPdus: this.reassembler.pendingSize + this.reassembler.pendingCount * 256,
      defrag: this.defrag ? this.defrag.pendingBytes + this.defrag.pendingDatagrams * 256 : 0,
      quic: this.quic.size * 256,
      seqAcks: this.streams.seqAcks.residentBytes,
      unacked: this.streams.unacked.residentBytes
    }
    return { ...m, total: Object.values(m).reduce((a, b) => a + b, 0) }
  }

  /** Releases the spill files of the pass's tables. */
  close(): void {
    this.streams.close()
    this.dupAckIndex.close()
    this.datagramIndex.close()
    this.reassembler.completed.close()
    this.quic.clear()
    this.defrag?.clear()
  }

  private onDatagram(r: Reassembled): void {
    this.completedDatagram = true
    for (const f of r.fragments) this.fragFrames.push(f.frame)
  }

  /**
   * Records which earlier frames the datagrams completed in frame `no` came from. A fragment
   * that itself came out of a datagram reassembled in an earlier frame (a fragmented tunnel
   * inside fragments) needs that datagram's frames too.
   */
  private recordDatagrams(no: number): void {
    const earlier = new Set<number>()
    for (const f of this.fragFrames) {
      if (f === no || earlier.has(f)) continue
      earlier.add(f)
      const nested = this.datagramIndex.get(f)
      if (nested) for (const g of nested) earlier.add(g)
    }
    this.datagramIndex.set(no, Uint32Array.from(earlier).sort())
    this.fragFrames.length = 0
    this.completedDatagram = false
  }

  private onSegment(ctx: PacketContext): void {
    const t = ctx.tcp!
    const r = this.analyzer.track(ctx, ctx.time)
    if (!r) {
      presentTcp(ctx, null)
      if (t.len > 0) dispatchTcpPayload(ctx, t.payloadOff, t.payloadEnd, false, -1)
      payloadNode(ctx, 0, [])
      return
    }
    // The analyzer's result object: copied out before any dissector runs again.
    const stream = r.stream
    const dir = r.dir
    const T = this.streams
    let flags = r.flags
    const dupAck = r.dupAckNum ? ([r.dupAckFrame, r.dupAckNum] as const) : undefined
    if (dupAck) this.dupAckIndex.set(ctx.number, dupAck)
    if (ctx.tree) {
      const v = viewOf(T, stream, dir, flags, dupAck)
      v.seqAck = seqAckView(T, stream, r.seqAck, ctx.tsSec, ctx.tsNsec)
      presentTcp(ctx, v)
    }
    if (t.len >= 0 && !resetCause(ctx)) {
      const conv = convFor(T, stream, ctx.number)
      let outcome: 'dissected' | 'not-dissected' = 'dissected'
      const layers = ctx.layers.length
      const j = stream & ROW
      desegment.streamState = T.rows(stream, false).appState[j]!
      let segments: readonly number[] = []
      if (this.reassemble) {
        outcome = this.reassembler.segment(ctx, 2 * stream + dir, conv)
        segments = this.reassembler.segmentData
      } else if (t.len > 0) dispatchTcpPayload(ctx, t.payloadOff, t.payloadEnd, false, conv)
      // Rows fetched again: the dissectors ran in between.
      const R = T.rows(stream)
      R.appState[j] = desegment.streamState
      if (outcome === 'not-dissected' || (t.len > 0 && desegment.offset >= 0 && ctx.layers.length === layers && this.reassemble)) {
        flags |= A.NOT_DISSECTED
      }
      if (ctx.tree && t.len > 0) payloadNode(ctx, flags, segments)
      if (desegment.switchTo >= 0) {
        R.convDissector[j] = desegment.switchTo
        R.switchFrame[j] = ctx.number
      }
    }
    this.current = { stream, flags }
  }

  /** Decodes one frame (frames must come in file order). */
  decode(input: FrameInput): DecodedPacket {
    this.current = { stream: -1, flags: 0 }
    this.fragFrames.length = 0
    this.completedDatagram = false
    const prev = setTcpHandler(this.handler)
    const prevQuic = setQuicConnections(this.quic)
    let dissection: Dissection
    try {
      dissection = dissectFrame(input, { tree: this.tree, defrag: this.defrag })
    } finally {
      setTcpHandler(prev)
      setQuicConnections(prevQuic)
    }
    if (this.completedDatagram) this.recordDatagrams(input.number)
    if (this.current.stream < 0 && dissection.ctx.protocols.includes('quic')) this.current = { stream: -1, flags: UDP_QUIC }
    return { number: input.number, dissection, tcp: this.current }
  }

  /** Decodes every packet of `reader` in order; stops at the reader's end or first fault (see reader.error). */
  *run(reader: CaptureReader): Generator<DecodedPacket> {
    for (;;) {
      const rec = reader.next()
      if (!rec) return
      yield this.decode(frameInput(rec, reader))
    }
  }
}

export interface RedissectOptions {
  /** Build the tree (default true). */
  tree?: boolean
  /** The PDU this frame completed (SequentialDecoder.pdus), to show the reassembled application layer. */
  pdu?: PduEntry
  /** Reads another frame of the capture (the PDU's earlier segments, the datagram's earlier fragments). */
  readFrame?: (frameNo: number) => FrameInput | null
  /**
   * SequentialDecoder.datagrams, with readFrame: a frame that completed an IP datagram is
   * dissected with its earlier fragments, as in the pass (so are the PDU's earlier frames).
   */
  datagrams?: FrameLookup<Uint32Array>
  /** SequentialDecoder.dupAcks entry of the frame, for "[TCP Dup ACK 5#2]". */
  dupAck?: readonly [number, number]
  /** SequentialDecoder.quicConnections, so QUIC Initial packets decrypt as in the pass. */
  quic?: QuicConnections
}

/**
 * Re-dissects one packet with the state the sequential pass stored: its compact record and the
 * stream table (whose per-frame SEQ/ACK records give completeness, timestamps and the SEQ/ACK
 * analysis). Gives the same tcp.stream / tcp.seq / tcp.ack / tcp.analysis nodes and Info as
 * the sequential pass; application layers of a reassembled PDU need opts.pdu and opts.readFrame,
 * the layers above a reassembled IP datagram opts.datagrams and opts.readFrame.
 */
export function redissect(input: FrameInput, stored: TcpPacketRecord, streams: TcpStreamTable, opts: RedissectOptions = {}): Dissection {
  const handler: TcpHandler = (ctx) => {
    const t = ctx.tcp!
    presentRecord(ctx, streams, stored, opts.dupAck)
    if (t.len <= 0 || resetCause(ctx)) return
    if (stored.flags & A.NOT_DISSECTED) {
      payloadNode(ctx, stored.flags, [])
      return
    }
    const known = stored.stream >= 0 && stored.stream < streams.count
    const conv = known ? convFor(streams, stored.stream, ctx.number) : -1
    desegment.streamState = known ? streams.rows(stored.stream, false).appState[stored.stream & ROW]! : 0
    const full = t.payloadEnd - t.payloadOff === t.len
    const pdu = opts.pdu
    if (pdu && opts.readFrame && full) {
      const prefix = pduPrefix(pdu, opts.readFrame, opts.datagrams)
      if (prefix) {
        const used = Math.min(t.len, pdu.length - prefix.length)
        const buf = new Uint8Array(prefix.length + used)
        buf.set(prefix)
        buf.set(ctx.data.subarray(t.payloadOff, t.payloadOff + used), prefix.length)
        const fin = (t.flags & 1) !== 0
        const at = ctx.layers.length
        dispatchReassembled(ctx, buf, prefix.length, t.payloadOff, conv, fin && used === t.len)
        if (ctx.tree) addSegmentsTree(ctx, at, pdu.frames, pdu.length)
        const segments = used > 0 ? [t.payloadOff, t.payloadOff + used] : []
        if (used < t.len) {
          dispatchTcpPayload(ctx, t.payloadOff + used, t.payloadEnd, true, conv, fin)
          segments.push(...askedRange(ctx))
        }
        payloadNode(ctx, stored.flags, segments)
        return
      }
    }
    dispatchTcpPayload(ctx, t.payloadOff, t.payloadEnd, full, conv, (t.flags & 1) !== 0)
    payloadNode(ctx, stored.flags, full ? askedRange(ctx) : [])
  }
  const prev = setTcpHandler(handler)
  const prevQuic = setQuicConnections(stored.stream < 0 && stored.flags & UDP_QUIC ? (opts.quic ?? ANY_QUIC_CONNECTION) : null)
  try {
    return dissectDatagram(input, opts.tree !== false, opts)
  } finally {
    setTcpHandler(prev)
    setQuicConnections(prevQuic)
  }
}

/**
 * dissectFrame for one frame alone, with the IP datagram it completed in the pass rebuilt from
 * `where.datagrams` and `where.readFrame` (when it completed one). TCP segments go to whichever
 * handler the caller installed (redissect's, or none for a header-only dissection).
 */
export function dissectDatagram(
  input: FrameInput,
  tree: boolean,
  where: { datagrams?: FrameLookup<Uint32Array>; readFrame?: (frameNo: number) => FrameInput | null }
): Dissection {
  const defrag = where.datagrams && where.readFrame ? replayFragments(input.number, where.datagrams, where.readFrame) : undefined
  return dissectFrame(input, defrag ? { tree, defrag } : { tree })
}

const ignoreTcp: TcpHandler = () => {}

/**
 * A fresh defragmenter fed the earlier fragments of the datagram(s) frame `no` completed in the
 * pass, in the pass's order, so that dissecting `no` with it completes them again; undefined
 * when `no` completed none. A fragment that cannot be read back leaves its datagram incomplete:
 * the frame then shows as a fragment.
 */
function replayFragments(no: number, datagrams: FrameLookup<Uint32Array>, readFrame: (no: number) => FrameInput | null): IpDefragmenter | undefined {
  const earlier = datagrams.get(no)
  if (!earlier) return undefined
  const defrag = new IpDefragmenter(NO_LIMITS)
  if (earlier.length === 0) return defrag
  // Only the fragments matter: no conversation state, no application values for the caller.
  const prevTcp = setTcpHandler(ignoreTcp)
  const prevQuic = setQuicConnections(null)
  const prevWant = collector.want
  collector.want = null
  try {
    for (const g of earlier) {
      const f = readFrame(g)
      if (f) dissectFrame(f, { tree: false, defrag })
    }
  } finally {
    setTcpHandler(prevTcp)
    setQuicConnections(prevQuic)
    collector.want = prevWant
  }
  return defrag
}

/** The PDU's bytes carried by its earlier frames, in order (null when a frame cannot be read). */
function pduPrefix(pdu: PduEntry, readFrame: (no: number) => FrameInput | null, datagrams?: FrameLookup<Uint32Array>): Uint8Array | null {
  const parts: Uint8Array[] = []
  let size = 0
  let next = pdu.startSeq
  // Only the TCP header of the earlier frames matters: no analysis, no application dissection.
  // The bytes are taken while the segment is dissected: a segment that came in IP fragments
  // lies in the reassembled datagram, not in the frame's own bytes.
  const grab: TcpHandler = (ctx) => {
    const t = ctx.tcp!
    if (t.len <= 0) return
    const skip = (next - t.seq) >>> 0
    if (skip >= t.len && skip !== 0) return
    const bytes = ctx.data.slice(t.payloadOff + skip, t.payloadEnd)
    parts.push(bytes)
    size += bytes.length
    next = (t.seq + t.len) >>> 0
  }
  const prev = setTcpHandler(grab)
  const prevWant = collector.want
  collector.want = null
  try {
    for (const no of pdu.frames.subarray(0, -1)) {
      const f = readFrame(no)
      if (!f) return null
      dissectDatagram(f, false, { datagrams, readFrame })
    }
  } finally {
    setTcpHandler(prev)
    collector.want = prevWant
  }
  const out = new Uint8Array(Math.min(size, pdu.length))
  let o = 0
  for (const p of parts) {
    const n = Math.min(p.length, out.length - o)
    out.set(p.subarray(0, n), o)
    o += n
  }
  return out
}
