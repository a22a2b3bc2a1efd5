// Per-frame state shared by the dissectors of one frame while it is decoded.
import type { IpDefragmenter } from '../analysis/ip-defrag'
import { addExpert, type FieldDef, type FieldNode } from './fields'

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
  /** ip.ttl / ipv6.hlim (the ICMP Info column shows it). */
  ttl?: number
  /**
   * IPv6: offset of the destination address the upper-layer pseudo-header uses when it is not
   * dstOff: the last address of a routing header with segments left (RFC 8200 section 8.1).
   */
  pseudoDstOff?: number
  /**
   * Set on the frame that completes a reassembled IP datagram: the frame's bytes up to
   * payloadOff followed by the whole reassembled payload, so payloadOff/payloadLen and
   * srcOff/dstOff index this buffer instead of the frame's. While the payload is dissected,
   * ctx.data/view/caplen are this buffer (see net/ip-reassembly.ts).
   */
  reassembled?: Uint8Array
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
  /** Exclusive end of the captured payload bytes (≤ payloadOff + len when the capture was cut). */
  payloadEnd: number
  sackPerm: boolean
  /** Offset of the TCP header in the frame. */
  off: number
  /** Raw SACK edges (left, right, ...) of the SACK options, if any. */
  sack?: number[]
  /** Data offset below 20: the header fields after the header length are not shown. */
  bogus?: boolean
}

export interface PacketContext {
  /**
   * The bytes being dissected: the frame's, except while the payload of a reassembled IP
   * datagram is dissected (then the datagram's payload; offsets of nodes made meanwhile are
   * remapped to the frame afterwards, see net/ip-reassembly.ts).
   */
  data: Uint8Array
  view: DataView
  /** Captured length (data.length) and original wire length. */
  caplen: number
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
  /**
   * Text that stays at the front of the Info column whatever later layers write there (tshark's
   * column fence): "[TCP Previous segment not captured] " before an HTTP request line.
   */
  infoFence?: string
  /** Link type of the frame (pcap LINKTYPE_*). */
  linktype: number
  /** Capture time in seconds (for state with timeouts, e.g. IP reassembly); 0 when the record has none. */
  time: number
  /** The same, exactly: whole seconds and nanoseconds (for differences that must not round). */
  tsSec: number
  tsNsec: number
  /** The frame node (tree mode), so later stages can append generated fields. */
  frame?: FieldNode
  /** Stateful IPv4/IPv6 reassembly, passed by the sequential decoder; absent for random access. */
  defrag?: IpDefragmenter
  /**
   * Exclusive end of the bytes the last network-layer dissector claimed (IPv4 total length,
   * IPv6 40 + payload length, ARP's 28 bytes), or -1: the Ethernet/VLAN layer shows the bytes
   * after it as padding / trailer / FCS, as Wireshark does.
   */
  claimedEnd: number
  /**
   * True while the packet quoted inside an ICMP/ICMPv6 error is dissected (Wireshark's
   * pinfo->flags.in_error_pkt): transport dissectors must not feed conversation analysis
   * or overwrite the columns then.
   */
  inErrorPkt: boolean
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
    net: undefined,
    tcp: undefined,
    tcpNode: undefined,
    udp: undefined,
    malformed: false,
    linktype: 1,
    time: 0,
    tsSec: 0,
    tsNsec: 0,
    frame: undefined,
    defrag: undefined,
    claimedEnd: -1,
    inErrorPkt: false
  }
}

/** Adds a protocol layer: pushes its name on frame.protocols and, in tree mode, its subtree on ctx.layers. */
export function addLayer(ctx: PacketContext, proto: FieldDef, off: number, len: number): FieldNode | undefined {
  ctx.protocols.push(proto.name)
  if (!ctx.tree) return undefined
  const n: FieldNode = { name: proto.name, off, len, children: [] }
  ctx.layers.push(n)
  return n
}

/**
 * A dissector decodes one header starting at `off`, adds its subtree to ctx.layers (tree mode),
 * pushes its name on ctx.protocols and hands the rest to the next dissector. It never throws: a
 * header cut short or malformed gets an expert note on its node and ends the chain.
 * `end` is the exclusive end of the bytes that belong to this layer (≤ ctx.caplen).
 */
export type Dissector = (ctx: PacketContext, off: number, end: number) => void

/** The end of a layer as reported on the wire: `end`, plus what the snaplen cut off when `end` is the end of the capture. */
export function reportedEnd(ctx: PacketContext, end: number): number {
  return end === ctx.caplen && ctx.origlen > ctx.caplen ? ctx.origlen : end
}

/**
 * A header that needs `need` bytes from `off` but the layer ends at `end`: marks the frame
 * malformed and notes why on `n`, in Wireshark's words: bytes cut by the snaplen give
 * "Packet size limited during capture", bytes missing on the wire "Malformed Packet".
 */
export function markShort(ctx: PacketContext, n: FieldNode | undefined, off: number, need: number, end: number, what: string): void {
  ctx.malformed = true
  if (!n) return
  const limited = off + need <= reportedEnd(ctx, end) && end === ctx.caplen
  if (limited) addExpert(n, 'warn', 'malformed', `Packet size limited during capture: ${what} truncated`)
  else addExpert(n, 'error', 'malformed', `Malformed Packet: ${what}`)
  // the Info column says so too, as tshark's does
  if (!ctx.inErrorPkt) ctx.info += (ctx.info ? ' ' : '') + (limited ? '[Packet size limited during capture]' : '[Malformed Packet]')
}

function prune(list: FieldNode[], end: number): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const n = list[i]
    if (n.off >= 0 && n.off + Math.max(n.len, 1) > end) list.splice(i, 1)
    else if (n.children) prune(n.children, end)
  }
}

/**
 * Tree mode: draws a header cut short at `end` field by field, as far as it goes. `build` runs
 * over a zero-padded copy of the bytes (so it can read the whole `need` bytes from `start`),
 * then every node it added to `root` that reaches past `end` is dropped: what remains is what
 * Wireshark shows before its bounds exception.
 */
export function buildPartial(ctx: PacketContext, root: FieldNode, start: number, need: number, end: number, build: () => void): void {
  const data = ctx.data
  const view = ctx.view
  const caplen = ctx.caplen
  const padded = new Uint8Array(Math.max(start + need, data.length))
  padded.set(data.subarray(0, end))
  const before = root.children?.length ?? 0
  ctx.data = padded
  ctx.view = new DataView(padded.buffer)
  ctx.caplen = padded.length
  try {
    build()
  } finally {
    ctx.data = data
    ctx.view = view
    ctx.caplen = caplen
  }
  if (root.children) {
    const added = root.children.splice(before)
    prune(added, end)
    root.children.push(...added)
  }
}
