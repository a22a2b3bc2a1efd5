// Protocols that tshark assigns to a TCP/UDP port but that have no decoder of their own here:
// the payload is claimed by name (frame.protocols, the Protocol column, one subtree with the
// bytes), so neither "data" nor a heuristic such as HTTP takes it where tshark would not.
import { addLayer, type PacketContext } from '../context'
import { defineField, defineProtocol, type FieldDef } from '../fields'
import { byTcpPort, byUdpPort, type PayloadDissector } from '../transport/ports'
import { PROTOCOL_NAMES, TCP_PORT_PROTOCOLS, UDP_PORT_PROTOCOLS } from '../transport/port-names'

const payloadField = defineField('_ws.payload', 'Payload', 'bytes')

const cache = new Map<string, PayloadDissector>()

/** A dissector that shows `off..end` as one subtree of protocol `name`. */
export function nameOnly(name: string): PayloadDissector {
  const known = cache.get(name)
  if (known) return known
  const [title, column] = PROTOCOL_NAMES[name] ?? [name, name.toUpperCase()]
  const def: FieldDef = defineProtocol(name, title)
  const d: PayloadDissector = (ctx: PacketContext, off: number, end: number) => {
    const top = addLayer(ctx, def, off, end - off)
    ctx.protocol = column
    if (top) {
      top.label = def.title
      top.children!.push({ name: payloadField.name, off, len: end - off, value: ctx.data.slice(off, end), label: `Payload (${end - off} bytes)` })
    }
    return true
  }
  cache.set(name, d)
  return d
}

for (const [table, ports] of [
  [byTcpPort, TCP_PORT_PROTOCOLS],
  [byUdpPort, UDP_PORT_PROTOCOLS]
] as const) {
  for (const [proto, list] of Object.entries(ports)) {
    const d = nameOnly(proto)
    for (const p of list) if (!table.has(p)) table.set(p, d)
  }
}
