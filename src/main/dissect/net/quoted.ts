// The packet an ICMP or ICMPv6 error message quotes: dissected inside the ICMP subtree with
// ctx.inErrorPkt set, like Wireshark's pinfo->flags.in_error_pkt, so it adds its protocols to
// frame.protocols and its fields to the tree (ip.src shows twice) but leaves the frame's
// columns, network/transport info and malformed flag as the ICMP layer had them.
import type { Dissector, PacketContext } from '../context'
import type { FieldNode } from '../fields'

/** Members that belong to the whole frame and so survive the quoted dissection as it left them. */
const SHARED = new Set(['data', 'view', 'caplen', 'origlen', 'number', 'tree', 'protocols', 'layers', 'frame', 'defrag', 'linktype', 'time'])

export function dissectQuoted(ctx: PacketContext, holder: FieldNode | undefined, off: number, end: number, inner: Dissector): void {
  if (off >= end) return
  const state = ctx as unknown as Record<string, unknown>
  const snap = new Map<string, unknown>()
  for (const k of Object.keys(state)) if (!SHARED.has(k)) snap.set(k, state[k])
  const layers = ctx.layers
  if (holder) ctx.layers = holder.children ?? (holder.children = [])
  ctx.inErrorPkt = true
  try {
    inner(ctx, off, end)
  } finally {
    ctx.layers = layers
    for (const k of Object.keys(state)) if (!SHARED.has(k)) state[k] = snap.get(k)
  }
}
