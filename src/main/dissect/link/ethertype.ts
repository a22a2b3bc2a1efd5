// Wireshark's `ethertype` pseudo-protocol: what Ethernet, VLAN tags and Linux cooked
// headers share after their type field. It names itself in frame.protocols ("eth:ethertype:ip"),
// hands the payload to the EtherType table, and shows what the payload did not claim as
// padding, trailer and FCS the way Wireshark's add_ethernet_trailer() does.
import type { PacketContext } from '../context'
import { byEthertype, handOff } from '../dispatch'
import { add, addExpert, addGenerated, defineField, type FieldDef, type FieldNode } from '../fields'
import { ETHERTYPE_VALS } from './values'

export const hfEthPadding = defineField('eth.padding', 'Padding', 'bytes')
export const hfEthTrailer = defineField('eth.trailer', 'Trailer', 'bytes')
const hfEthFcs = defineField('eth.fcs', 'Frame check sequence', 'uint32', { base: 'hex' })
const hfEthFcsStatus = defineField('eth.fcs.status', 'FCS Status', 'uint8', {
  strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' }
})

const ETH_MIN_LEN = 60

/** Where the frame's FCS stands: 0 none, 4 present, -1 unknown (guess as Wireshark does). */
export type FcsLen = -1 | 0 | 4

/**
 * Adds padding/trailer/FCS for the bytes [start, end) that follow a payload, to `parent`.
 * `frameLen` is the reported length of the Ethernet frame (what decides whether an FCS is likely).
 */
export function addEthernetTrailer(
  ctx: PacketContext,
  parent: FieldNode,
  start: number,
  end: number,
  trailerDef: FieldDef,
  fcsLen: FcsLen,
  frameLen: number
): void {
  const d = ctx.data
  let trailerLen = end - start
  // bytes beyond the capture still belong to the trailer as reported on the wire
  let reported = trailerLen + (end === ctx.caplen ? Math.max(0, ctx.origlen - ctx.caplen) : 0)
  if (reported <= 0) return
  let pad = 0
  let padBad = false
  const pktLen = ctx.origlen
  // a frame shorter than the minimum (with its trailer) was not padded
  if (pktLen >= ETH_MIN_LEN && pktLen - reported < ETH_MIN_LEN) {
    pad = Math.min(ETH_MIN_LEN - (pktLen - reported), trailerLen)
    for (let i = 0; i < pad; i++) {
      if (d[start + i] !== 0) {
        pad = 0
        padBad = true
        break
      }
    }
    if (pad > 0) {
      add(parent, hfEthPadding, start, pad, d.subarray(start, start + pad))
      trailerLen -= pad
      reported -= pad
    }
  }
  let hasFcs = false
  if (fcsLen !== 0 && (fcsLen === 4 || (frameLen >= 64 && reported >= 4))) {
    hasFcs = true
    if (trailerLen < reported) {
      reported -= 4
      if (trailerLen > reported) trailerLen = reported
    } else {
      trailerLen -= 4
      reported -= 4
    }
  }
  const tStart = start + pad
  if (trailerLen > 0) {
    const t = add(parent, trailerDef, tStart, trailerLen, d.subarray(tStart, tStart + trailerLen))
    if (padBad) addExpert(t, 'note', 'protocol', "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.")
  }
  const fcsOff = tStart + trailerLen
  if (hasFcs && fcsOff + 4 <= end) {
    const fcs = ctx.view.getUint32(fcsOff)
    const n = add(parent, hfEthFcs, fcsOff, 4, fcs)
    n.label = `Frame check sequence: 0x${fcs.toString(16).padStart(8, '0')} [unverified]`
    addGenerated(parent, hfEthFcsStatus, fcsOff, 4, 2).label = 'FCS Status: Unverified'
  }
}

/**
 * The `ethertype` step: pushes "ethertype", dissects the payload by `type` and, in tree mode,
 * adds the type field and the trailer to `parent` (the eth/vlan/sll subtree).
 */
export function dissectEthertype(
  ctx: PacketContext,
  parent: FieldNode | undefined,
  typeDef: FieldDef,
  type: number,
  typeOff: number,
  off: number,
  end: number,
  trailerDef: FieldDef,
  fcsLen: FcsLen
): void {
  ctx.protocols.push('ethertype')
  if (parent) add(parent, typeDef, typeOff, 2, type)
  ctx.claimedEnd = -1
  if (!byEthertype.has(type) && !ctx.inErrorPkt) {
    // no dissector: tshark names the EtherType in the columns
    ctx.protocol = '0x' + type.toString(16).padStart(4, '0')
    if (ctx.tree) ctx.info = ETHERTYPE_VALS[type] ?? ''
  }
  handOff(byEthertype, type, ctx, off, end)
  const claimed = ctx.claimedEnd
  if (parent && claimed >= off && claimed < end) addEthernetTrailer(ctx, parent, claimed, end, trailerDef, fcsLen, ctx.origlen)
  // an enclosing ethertype step must not show these bytes again
  ctx.claimedEnd = end
}
