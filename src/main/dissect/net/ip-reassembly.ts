// Dissecting the payload of an IP datagram reassembled from fragments, on the frame whose
// fragment completed it (what tshark does by default).
//
// Node offsets: the payload is dissected from a buffer made of this frame's bytes up to the
// payload offset followed by the whole reassembled payload, so the transport layer sees one
// contiguous datagram and the address offsets stay valid. Afterwards every node made meanwhile
// is mapped back to the frame: a node lying inside this frame's own fragment points at those
// bytes; any other node (its bytes came in earlier frames) gets off = -1, len = 0.
import type { Reassembled } from '../../analysis/ip-defrag'
import type { Dissector, NetInfo, PacketContext } from '../context'
import { add, addGenerated, type FieldDef, type FieldNode } from '../fields'

export interface FragmentFields {
  fragments: FieldDef
  fragment: FieldDef
  count: FieldDef
  length: FieldDef
  data: FieldDef
  /** "IPv4" / "IPv6", for the summary line. */
  name: string
}

/** Adds "[11 IPv4 Fragments (1480 bytes): #1(144), ...]" with one line per fragment. */
export function addFragmentTree(root: FieldNode, f: FragmentFields, r: Reassembled): void {
  const list = r.fragments.map((x) => `#${x.frame}(${x.length})`).join(', ')
  const n = addGenerated(root, f.fragments, -1, 0)
  n.label = `${r.fragments.length} ${f.name} Fragments (${r.payload.length} bytes): ${list}`
  for (const x of r.fragments) {
    const c = add(n, f.fragment, -1, 0, x.frame)
    c.label = `Frame: ${x.frame}, payload: ${x.offset}-${x.offset + x.length - 1} (${x.length} bytes)`
    c.generated = true
  }
  addGenerated(n, f.count, -1, 0, r.fragments.length)
  addGenerated(n, f.length, -1, 0, r.payload.length)
  addGenerated(n, f.data, -1, 0, r.payload)
}

function remap(nodes: readonly FieldNode[], payloadOff: number, fragStart: number, fragLen: number): void {
  for (const n of nodes) {
    if (n.off >= payloadOff) {
      const r = n.off - payloadOff
      if (r >= fragStart && r + n.len <= fragStart + fragLen) n.off = payloadOff + (r - fragStart)
      else {
        n.off = -1
        n.len = 0
      }
    }
    if (n.children) remap(n.children, payloadOff, fragStart, fragLen)
  }
}

/**
 * Runs `next` over the reassembled payload. `payloadOff` is where the payload starts in the
 * frame; this frame's fragment holds payload bytes [fragStart, fragStart + fragLen).
 */
export function dissectReassembled(
  ctx: PacketContext,
  net: NetInfo,
  r: Reassembled,
  payloadOff: number,
  fragStart: number,
  fragLen: number,
  next: Dissector,
  /** A subtree `next` may append to (IPv6 extension headers go under the ipv6 node). */
  root?: FieldNode
): void {
  const frameData = ctx.data
  const frameView = ctx.view
  const frameCaplen = ctx.caplen
  const buf = new Uint8Array(payloadOff + r.payload.length)
  buf.set(frameData.subarray(0, payloadOff))
  buf.set(r.payload, payloadOff)
  net.reassembled = buf
  net.payloadOff = payloadOff
  net.payloadLen = r.payload.length
  net.fragment = false
  const layersBefore = ctx.layers.length
  const childrenBefore = root?.children?.length ?? 0
  ctx.data = buf
  ctx.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  ctx.caplen = buf.length
  try {
    next(ctx, payloadOff, buf.length)
  } finally {
    ctx.data = frameData
    ctx.view = frameView
    ctx.caplen = frameCaplen
  }
  if (ctx.tree) {
    remap(ctx.layers.slice(layersBefore), payloadOff, fragStart, fragLen)
    if (root?.children) remap(root.children.slice(childrenBefore), payloadOff, fragStart, fragLen)
  }
}
