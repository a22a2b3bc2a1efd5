// IEEE 802.1Q VLAN tags (EtherType 0x8100, and 0x9100 for old non-standard QinQ) and
// IEEE 802.1ad service tags (0x88a8). Tags stack: each one ends in another `ethertype` step.
import { addLayer, markShort, reportedEnd, type PacketContext } from '../context'
import { byEthertype } from '../dispatch'
import { add, addExpert, defineField, defineProtocol } from '../fields'
import { addEthernetTrailer, dissectEthertype } from './ethertype'
import { dissectLlc } from './llc'
import { ETHERTYPE_VALS } from './values'

/** Byte ranges of a tag after the TPID: tag control information, then the inner type/length. */
const field = { TCI: 0, TYPE: 2 } as const
const TAG_LEN = 4
const MAX_8023_LEN = 1500

/** 802.1Q-2005 priority names, Wireshark's default table. */
const PRIORITY_VALS: Readonly<Record<number, string>> = {
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control'
}

const hfVlan = defineProtocol('vlan', '802.1Q Virtual LAN')
const hfPriority = defineField('vlan.priority', 'Priority', 'uint16', { base: 'dec', mask: 0xe000, strings: PRIORITY_VALS })
const hfDei = defineField('vlan.dei', 'DEI', 'bool', { mask: 0x1000, maskBits: 16, tfs: ['Eligible', 'Ineligible'] })
const hfId = defineField('vlan.id', 'ID', 'uint16', { base: 'dec', mask: 0x0fff })
const hfEtype = defineField('vlan.etype', 'Type', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })
const hfLen = defineField('vlan.len', 'Length', 'uint16', { base: 'dec' })
const hfTrailer = defineField('vlan.trailer', 'Trailer', 'bytes')

const hfQinq = defineProtocol('ieee8021ad', 'IEEE 802.1ad')
const hfQPriority = defineField('ieee8021ad.priority', 'Priority', 'uint16', { base: 'dec', mask: 0xe000 })
const hfQDei = defineField('ieee8021ad.dei', 'DEI', 'uint16', { base: 'dec', mask: 0x1000 })
const hfQId = defineField('ieee8021ad.id', 'ID', 'uint16', { base: 'dec', mask: 0x0fff })
const hfQEtype = defineField('ieee8021ah.etype', 'Type', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })
const hfQTrailer = defineField('ieee8021ah.trailer', 'Trailer', 'bytes')

function dissectVlan(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfVlan, off, Math.min(TAG_LEN, end - off))
  if (end - off < TAG_LEN) {
    if (root) root.label = '802.1Q Virtual LAN'
    markShort(ctx, root, off, TAG_LEN, end, '802.1Q Virtual LAN')
    return
  }
  const tci = ctx.view.getUint16(off + field.TCI)
  const type = ctx.view.getUint16(off + field.TYPE)
  const pri = tci >> 13
  const dei = (tci >> 12) & 1
  const id = tci & 0x0fff
  if (root) {
    root.label = `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`
    add(root, hfPriority, off, 2, pri)
    add(root, hfDei, off, 2, dei === 1)
    add(root, hfId, off, 2, id)
  }
  if (type <= MAX_8023_LEN) {
    if (root) add(root, hfLen, off + field.TYPE, 2, type)
    const payloadEnd = Math.min(off + TAG_LEN + type, end)
    if (root && off + TAG_LEN + type > reportedEnd(ctx, end)) addExpert(root, 'error', 'malformed', 'Length field value goes past the end of the payload')
    dissectLlc(ctx, off + TAG_LEN, payloadEnd)
    if (root && payloadEnd < end) addEthernetTrailer(ctx, root, payloadEnd, end, hfTrailer, 0, ctx.origlen)
    ctx.claimedEnd = end
    return
  }
  dissectEthertype(ctx, root, hfEtype, type, off + field.TYPE, off + TAG_LEN, end, hfTrailer, 0)
}

function dissectQinq(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfQinq, off, Math.min(TAG_LEN, end - off))
  if (end - off < TAG_LEN) {
    if (root) root.label = 'IEEE 802.1ad'
    markShort(ctx, root, off, TAG_LEN, end, 'IEEE 802.1ad')
    return
  }
  const tci = ctx.view.getUint16(off + field.TCI)
  const type = ctx.view.getUint16(off + field.TYPE)
  const id = tci & 0x0fff
  if (root) {
    root.label = `IEEE 802.1ad, ID: ${id}`
    add(root, hfQPriority, off, 1, tci >> 13)
    add(root, hfQDei, off, 1, (tci >> 12) & 1)
    add(root, hfQId, off, 2, id)
  }
  dissectEthertype(ctx, root, hfQEtype, type, off + field.TYPE, off + TAG_LEN, end, hfQTrailer, 0)
}

byEthertype.set(0x8100, dissectVlan)
byEthertype.set(0x9100, dissectVlan)
byEthertype.set(0x88a8, dissectQinq)
