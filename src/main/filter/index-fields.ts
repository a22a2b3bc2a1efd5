// Fields a display filter can read from the session's packet index, without the packet's bytes:
// the frame's number, lengths and time exactly; tcp.stream and the tcp.analysis flags only as
// "this, or nothing", because a re-dissection may not reach the TCP header the sequential pass
// saw (a segment carried in a reassembled IP datagram), and then the tree has neither.
import type { FieldNode, FieldValue } from '../dissect/fields'
import { A } from '../dissect/transport/tcp-present'
import type { FieldUse } from './compile'
import { EXACT, MAYBE, type FieldReader, type ReadResult } from './decide'

/** What the packet index keeps of one packet (session/packet-index.ts IndexEntry). */
export interface IndexedPacket {
  tsSec: number
  tsNsec: number
  caplen: number
  origlen: number
  interfaceId: number
  stream: number
  tcpFlags: number
}

export interface IndexFrame {
  /** frame.number. */
  no: number
  entry: IndexedPacket
  /** The capture is pcapng (frames then carry frame.interface_id). */
  pcapng: boolean
}

export function valueNode(name: string, value: FieldValue): FieldNode {
  return { name, off: -1, len: 0, value }
}

const presentNode = (name: string): FieldNode => ({ name, off: -1, len: 0 })

/** Analysis bits shown in the tree under tcp.analysis.flags (tcp-present.ts ANALYSIS_SHOWN). */
const SHOWN =
  A.RETRANS_MASK | A.DUP_ACK | A.LOST_SEGMENT | A.OUT_OF_ORDER | A.KEEP_ALIVE | A.WINDOW_UPDATE | A.ZERO_WINDOW | A.ACK_LOST_SEGMENT | A.REUSED_PORTS

/**
 * tcp.analysis.* nodes of a segment with analysis bits `flags`, as tcp-present.ts analysisNode
 * adds them: how many nodes of the field there are (duplicate_ack appears twice).
 */
export const ANALYSIS_COUNT: Readonly<Record<string, (flags: number) => number>> = {
  'tcp.analysis': (f) => (f & SHOWN ? 1 : 0),
  'tcp.analysis.flags': (f) => (f & SHOWN ? 1 : 0),
  'tcp.analysis.retransmission': (f) => (f & A.RETRANS_MASK ? 1 : 0),
  'tcp.analysis.fast_retransmission': (f) => ((f & A.RETRANS_MASK) === A.FAST_RETRANSMISSION ? 1 : 0),
  'tcp.analysis.spurious_retransmission': (f) => ((f & A.RETRANS_MASK) === A.SPURIOUS_RETRANSMISSION ? 1 : 0),
  'tcp.analysis.out_of_order': (f) => (f & A.OUT_OF_ORDER ? 1 : 0),
  'tcp.analysis.lost_segment': (f) => (f & A.LOST_SEGMENT ? 1 : 0),
  'tcp.analysis.ack_lost_segment': (f) => (f & A.ACK_LOST_SEGMENT ? 1 : 0),
  'tcp.analysis.window_update': (f) => (f & A.WINDOW_UPDATE ? 1 : 0),
  'tcp.analysis.keep_alive': (f) => (f & A.KEEP_ALIVE ? 1 : 0),
  'tcp.analysis.duplicate_ack': (f) => (f & A.DUP_ACK ? 2 : 0),
  'tcp.analysis.zero_window': (f) => (f & A.ZERO_WINDOW ? 1 : 0),
  'tcp.analysis.reused_ports': (f) => (f & A.REUSED_PORTS ? 1 : 0)
}

/**
 * tcp.analysis and tcp.analysis.flags also stand for what the A.* bits do not hold (an ACK of an
 * earlier segment, bytes in flight, a window-full or keep-alive-ACK segment): the index cannot
 * tell them; summary-fields.ts reads them from the pass's per-frame SEQ/ACK records.
 */
export const PRESENT_ONLY: ReadonlySet<string> = new Set(['tcp.analysis', 'tcp.analysis.flags'])

/** `count` value-less occurrences of `name`. */
export function pushPresent(out: FieldNode[], name: string, count: number): void {
  for (let i = 0; i < count; i++) out.push(presentNode(name))
}

type Read = (f: IndexFrame, out: FieldNode[], name: string) => ReadResult

/** Exact frame fields: the same for the index and a summary dissection. */
export const FRAME_READERS: Readonly<Record<string, Read>> = {
  'frame.number': (f, out, n) => (out.push(valueNode(n, f.no)), EXACT),
  'frame.len': (f, out, n) => (out.push(valueNode(n, f.entry.origlen)), EXACT),
  'frame.cap_len': (f, out, n) => (out.push(valueNode(n, f.entry.caplen)), EXACT),
  'frame.time': (f, out, n) => (Number.isNaN(f.entry.tsSec) || out.push(valueNode(n, { sec: f.entry.tsSec, nsec: f.entry.tsNsec })), EXACT),
  'frame.time_epoch': (f, out, n) => (Number.isNaN(f.entry.tsSec) || out.push(valueNode(n, { sec: f.entry.tsSec, nsec: f.entry.tsNsec })), EXACT),
  'frame.interface_id': (f, out, n) => (f.pcapng && out.push(valueNode(n, f.entry.interfaceId)), EXACT),
  'frame.marked': (_f, out, n) => (out.push(valueNode(n, false)), EXACT),
  'frame.ignored': (_f, out, n) => (out.push(valueNode(n, false)), EXACT)
}

const indexReaders: Readonly<Record<string, Read>> = {
  ...FRAME_READERS,
  'tcp.stream': (f, out, n) => {
    if (f.entry.stream < 0) return EXACT
    out.push(valueNode(n, f.entry.stream))
    return MAYBE
  }
}

/** Readers over the packet index (see decide.ts). */
export function indexReader(use: FieldUse): FieldReader<IndexFrame> | undefined {
  const name = use.name
  // A field seen as "this, or nothing" could still occur twice in the tree: count() needs the tree.
  if (use.count && !(name in FRAME_READERS)) return undefined
  if (name === 'frame' && !use.values && !use.bytes) return (_f, out) => (out.push(presentNode(name)), EXACT)
  const count = PRESENT_ONLY.has(name) ? undefined : ANALYSIS_COUNT[name]
  if (count && !use.values) {
    return (f, out) => {
      const k = f.entry.stream >= 0 ? count(f.entry.tcpFlags) : 0
      if (k === 0) return EXACT
      pushPresent(out, name, k)
      return MAYBE
    }
  }
  const read = indexReaders[name]
  return read ? (f, out) => read(f, out, name) : undefined
}

/** Every field indexReader knows (for tests and reports). */
export const INDEX_FIELDS: readonly string[] = ['frame', ...Object.keys(indexReaders), ...Object.keys(ANALYSIS_COUNT).filter((n) => !PRESENT_ONLY.has(n))]
