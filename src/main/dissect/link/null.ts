// BSD loopback headers: NULL (link type 0), a 4-byte address family in the byte order of
// the machine that captured (both orders are recognised), and LOOP (108), the same in network
// byte order (OpenBSD), which Wireshark reads only that way. Both
// are "null" in frame.protocols. The family picks IPv4 (2) or IPv6 (24, 28, 30: BSDs disagree).
import { addLayer, markShort, type PacketContext } from '../context'
import { byEthertype, byLinktype, dissectData, handOff } from '../dispatch'
import { add, defineField, defineProtocol } from '../fields'
import { ETHERTYPE_VALS, NULL_FAMILY_VALS } from './values'

const HEADER_LEN = 4
const BSD_AF_INET = 2
const BSD_AF_INET6_BSD = 24
const BSD_AF_INET6_FREEBSD = 28
const BSD_AF_INET6_DARWIN = 30
/** A value above the largest 802.3 length is an EtherType some systems put here instead. */
const MAX_8023_LEN = 1500

const hfNull = defineProtocol('null', 'Null/Loopback')
const hfFamily = defineField('null.family', 'Family', 'uint32', { base: 'dec', strings: NULL_FAMILY_VALS })
const hfType = defineField('null.type', 'Type', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })

const IPV4 = 0x0800
const IPV6 = 0x86dd
const PPP = 0x880b

/**
 * The family from the 4 header bytes read little-endian. The writer's byte order is unknown, so
 * this follows Wireshark's guesses (packet-null.c, as run on a little-endian machine): a value
 * with its upper 16 bits set is byte-swapped, except IRIX/UNICOS snoop headers that put a
 * 16-bit family in the first two bytes.
 */
function familyOf(h: number): number {
  if ((h & 0xffff0000) !== 0) {
    if ((h & 0xff000000) === 0 && (h & 0x00ff0000) < 0x00060000) return h >>> 16
    return (((h & 0xff) << 24) | ((h & 0xff00) << 8) | ((h >>> 8) & 0xff00) | (h >>> 24)) >>> 0
  }
  if ((h & 0xff) === 0 && (h & 0xff00) < 0x0600) return (h >> 8) & 0xff
  return h
}

function dissectNull(ctx: PacketContext, off: number, end: number, loop: boolean): void {
  const root = addLayer(ctx, hfNull, off, Math.min(HEADER_LEN, end - off))
  ctx.protocol = 'N/A'
  if (root) root.label = 'Null/Loopback'
  if (!loop && end - off >= 2 && ctx.data[off] === 0xff && ctx.data[off + 1] === 0x03) {
    // PPP in HDLC-like framing, which some systems capture on their NULL link type
    if (root) root.len = 0
    handOff(byEthertype, PPP, ctx, off, end)
    return
  }
  if (end - off < HEADER_LEN) {
    markShort(ctx, root, off, HEADER_LEN, end, 'Null/Loopback')
    return
  }
  // LOOP is network byte order by definition, and Wireshark reads it so (a swapped one is just data).
  const family = loop ? ctx.view.getUint32(off, false) : familyOf(ctx.view.getUint32(off, true))
  if (family > MAX_8023_LEN) {
    const type = family & 0xffff
    if (root) add(root, hfType, off, HEADER_LEN, type)
    handOff(byEthertype, type, ctx, off + HEADER_LEN, end)
    return
  }
  if (root) add(root, hfFamily, off, HEADER_LEN, family)
  const next =
    family === BSD_AF_INET
      ? byEthertype.get(IPV4)
      : family === BSD_AF_INET6_BSD || family === BSD_AF_INET6_FREEBSD || family === BSD_AF_INET6_DARWIN
        ? byEthertype.get(IPV6)
        : undefined
  if (next) next(ctx, off + HEADER_LEN, end)
  else dissectData(ctx, off + HEADER_LEN, end)
}

byLinktype.set(0, (ctx, off, end) => dissectNull(ctx, off, end, false))
byLinktype.set(108, (ctx, off, end) => dissectNull(ctx, off, end, true))
