// Per-frame state shared by the dissectors of one frame while it is decoded.
import type { FieldNode } from './fields'

/** What the network layer tells the transport layer (pseudo-header, conversation key). */
export interface NetInfo {
  version: 4 | 6
  src: string
  dst: string
  /** Offsets of the raw address bytes in the frame (4 or 16 bytes each): conversation keys use these, not strings. */
  srcOff: number
  dstOff: number
  addrLen: 4 | 16
  /** ip.proto / the last IPv6 next header: the transport protocol number. */
  proto: number
  /** Offset/length of the IP payload handed to the transport dissector. */
  payloadOff: number
  payloadLen: number
  /** True for a non-first fragment or a fragment that is not reassembled: no transport header here. */
  fragment: boolean
}

/** What TCP dissection hands the conversation tracker and the packet list. */
export interface TcpInfo {
  srcport: number
  dstport: number
  seq: number
  ack: number
  /** 12-bit flags value as in tcp.flags. */
  flags: number
  window: number
  /** TCP payload length (tcp.len); -1 when the header itself is broken. */
  len: number
  hdrLen: number
  /** Offset of TCP payload in the frame. */
  payloadOff: number
  /** Options summary for the Info column ("MSS=1460 SACK_PERM WS=128"). */
  optionsInfo: string
  mss?: number
  wscale?: number
}

export interface PacketContext {
  readonly data: Uint8Array
  readonly view: DataView
  /** Captured length (data.length) and original wire length. */
  readonly caplen: number
  readonly origlen: number
  /** frame.number, 1-based. */
  readonly number: number
  /** Build FieldNodes and label strings (details, filters, CLI) or only the summary (packet index). */
  readonly tree: boolean
  /** frame.protocols chain, e.g. ["eth", "ethertype", "ip", "tcp", "http"]. */
  protocols: string[]
  /** Top-level subtrees after the frame node: one per protocol layer (tree mode only). */
  layers: FieldNode[]
  /** Packet-list columns, set by the innermost dissector that knows better. */
  src: string
  dst: string
  protocol: string
  info: string
  net?: NetInfo
  tcp?: TcpInfo
  /** The tcp layer node (tree mode), so conversation analysis can append tcp.stream, tcp.seq etc. */
  tcpNode?: FieldNode
  udp?: { srcport: number; dstport: number; len: number; payloadOff: number }
  /** Set when a dissector ran past the captured bytes or met a malformed header. */
  malformed: boolean
}

export function newContext(data: Uint8Array, origlen: number, number: number, tree: boolean): PacketContext {
  return {
    data,
    view: new DataView(data.buffer, data.byteOffset, data.byteLength),
    caplen: data.length,
    origlen,
    number,
    tree,
    protocols: [],
    layers: [],
    src: '',
    dst: '',
    protocol: '',
    info: '',
    malformed: false
  }
}

/**
 * A dissector decodes one header starting at `off`, adds its subtree to ctx.layers (tree mode),
 * pushes its name on ctx.protocols and hands the rest to the next dissector. It never throws: a
 * header cut short or malformed gets an expert note on its node and ends the chain.
 * `end` is the exclusive end of the bytes that belong to this layer (≤ ctx.caplen).
 */
export type Dissector = (ctx: PacketContext, off: number, end: number) => void
