// Hand-off tables between layers: link type → link dissector, EtherType → network
// dissector, IP protocol number → transport dissector. Each dissector module registers
// itself here, so layers never import each other in a cycle. Bytes no table claims end in
// `data`, Wireshark's catch-all protocol (it shows up in frame.protocols as "data").
import { addLayer, type Dissector, type PacketContext } from './context'
import { add, addGenerated, defineField, defineProtocol } from './fields'

export const byLinktype = new Map<number, Dissector>()
export const byEthertype = new Map<number, Dissector>()
export const byIpProto = new Map<number, Dissector>()

const hfData = defineProtocol('data', 'Data')
const hfDataData = defineField('data.data', 'Data', 'bytes')
const hfDataLen = defineField('data.len', 'Length', 'int32', { base: 'dec' })

/** `data`: the bytes no dissector understood. Nothing to show when there are none. */
export function dissectData(ctx: PacketContext, off: number, end: number): void {
  if (end > ctx.caplen) end = ctx.caplen
  if (off >= end) return
  const root = addLayer(ctx, hfData, off, end - off)
  if (!root) return
  const len = end - off
  root.label = `Data (${len} byte${len === 1 ? '' : 's'})`
  add(root, hfDataData, off, len, ctx.data.subarray(off, end))
  addGenerated(root, hfDataLen, off, len, len)
}

/** Nesting limit of hand-offs (stacked VLAN tags, tunnels in tunnels): crafted packets must not exhaust the stack. */
const MAX_DEPTH = 40
let depth = 0

/** Called at the start of every frame, so a dissector that threw cannot leave the count raised. */
export function resetHandOffDepth(): void {
  depth = 0
}

/** Calls the dissector registered for `key`, or `data` when there is none. */
export function handOff(table: ReadonlyMap<number, Dissector>, key: number, ctx: PacketContext, off: number, end: number): void {
  const d = table.get(key)
  if (!d) {
    dissectData(ctx, off, end)
    return
  }
  if (depth >= MAX_DEPTH) {
    ctx.malformed = true
    dissectData(ctx, off, end)
    return
  }
  depth++
  d(ctx, off, end)
  depth--
}
