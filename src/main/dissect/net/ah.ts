// IP Authentication Header (RFC 4302): next header, length in 32-bit words minus 2, SPI,
// sequence number and ICV. Under IPv6 it is an extension header drawn inside the ipv6 subtree;
// under IPv4 (protocol 51) a layer of its own. Either way it is "ah" in frame.protocols.
import { markShort, type PacketContext } from '../context'
import { byIpProto, handOff } from '../dispatch'
import { add, defineField, defineProtocol, type FieldNode } from '../fields'
import { IP_PROTO_VALS } from './values'

/** Byte ranges of the AH header before the variable-length ICV. */
const field = { NEXT: 0, LEN: 1, RESERVED: 2, SPI: 4, SEQ: 8, ICV: 12 } as const
const MIN_LEN = 12

const hfAh = defineProtocol('ah', 'Authentication Header')
const hfNext = defineField('ah.next_header', 'Next header', 'uint8', { base: 'dec', strings: IP_PROTO_VALS })
const hfLength = defineField('ah.length', 'Length', 'uint8', { base: 'dec' })
const hfReserved = defineField('ah.reserved', 'Reserved', 'bytes')
const hfSpi = defineField('ah.spi', 'AH SPI', 'uint32', { base: 'hex' })
const hfSeq = defineField('ah.sequence', 'AH Sequence', 'uint32', { base: 'dec' })
const hfIcv = defineField('ah.icv', 'AH ICV', 'bytes')

/**
 * Decodes the header at `p`; its subtree goes under `parent` (tree mode). Returns the next
 * header and the header's length, or null when it is cut short (the frame is marked).
 */
export function dissectAhHeader(ctx: PacketContext, parent: FieldNode | undefined, p: number, end: number): { next: number; len: number } | null {
  ctx.protocols.push(hfAh.name)
  const d = ctx.data
  const len = p + 2 <= end ? (d[p + field.LEN] + 2) * 4 : MIN_LEN
  const sub = parent ? add(parent, hfAh, p, Math.min(len, end - p)) : undefined
  if (sub) sub.label = 'Authentication Header'
  if (p + MIN_LEN > end || p + len > end || len < MIN_LEN) {
    markShort(ctx, sub, p, Math.max(len, MIN_LEN), end, 'AH')
    return null
  }
  const next = d[p + field.NEXT]
  if (sub) {
    add(sub, hfNext, p, 1, next)
    add(sub, hfLength, p + 1, 1, d[p + 1]).label = `Length: ${d[p + 1]} (${len} bytes)`
    add(sub, hfReserved, p + 2, 2, d.subarray(p + 2, p + 4))
    add(sub, hfSpi, p + 4, 4, ctx.view.getUint32(p + field.SPI))
    add(sub, hfSeq, p + 8, 4, ctx.view.getUint32(p + field.SEQ))
    if (len > MIN_LEN) add(sub, hfIcv, p + MIN_LEN, len - MIN_LEN, d.subarray(p + MIN_LEN, p + len))
  }
  return { next, len }
}

/** AH as IPv4's payload: a layer of its own, then the protected protocol. */
function dissectAh(ctx: PacketContext, off: number, end: number): void {
  const holder = ctx.tree ? { name: '', off, len: 0, children: [] as FieldNode[] } : undefined
  const r = dissectAhHeader(ctx, holder, off, end)
  if (holder?.children?.length) ctx.layers.push(holder.children[0])
  if (!r) return
  const net = ctx.net
  if (net) {
    net.proto = r.next
    net.payloadOff = off + r.len
    net.payloadLen = Math.max(0, net.payloadLen - r.len)
  }
  if (!ctx.inErrorPkt) ctx.protocol = 'AH'
  handOff(byIpProto, r.next, ctx, off + r.len, end)
}

byIpProto.set(51, dissectAh)
