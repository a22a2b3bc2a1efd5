// ERSPAN (Cisco's Encapsulated Remote SPAN) in GRE: type I (0x88be without a GRE sequence
// number: no header), type II (0x88be, 8 bytes) and type III (0x22eb, 12 bytes plus an
// optional 8-byte platform subheader); then the mirrored Ethernet frame, without FCS.
import { addLayer, markShort, type PacketContext } from '../context'
import { add, defineField, defineProtocol } from '../fields'
import { byGreProto, greState } from '../net/gre'
import { dissectEthernetWithoutFcs } from './ethernet'
import { ERSPAN_BSO_VALS, ERSPAN_VERSION_VALS } from './values'

const TYPE2_LEN = 8
const TYPE3_LEN = 12
const TYPE3_SUBHEADER_LEN = 8

const hfErspan = defineProtocol('erspan', 'Encapsulated Remote Switch Packet ANalysis')
const hfVersion = defineField('erspan.version', 'Version', 'uint16', { base: 'dec', mask: 0xf000, strings: ERSPAN_VERSION_VALS })
const hfVlan = defineField('erspan.vlan', 'Vlan', 'uint16', { base: 'dec', mask: 0x0fff })
const hfCos = defineField('erspan.cos', 'COS', 'uint16', { base: 'dec', mask: 0xe000 })
const hfEncap = defineField('erspan.encap', 'Encap', 'uint16', {
  base: 'dec',
  mask: 0x1800,
  strings: { 0: 'Originally without VLAN tag', 1: 'ISL encapsulated', 2: '802.1Q encapsulated', 3: 'VLAN tag preserved in frame' }
})
const hfBso = defineField('erspan.bso', 'Bad/Short/Oversized', 'uint16', { base: 'dec', mask: 0x1800, strings: ERSPAN_BSO_VALS })
const hfTruncated = defineField('erspan.truncated', 'Truncated', 'uint16', { base: 'dec', mask: 0x0400, strings: { 0: 'Not truncated', 1: 'Truncated' } })
const hfSpanId = defineField('erspan.spanid', 'SpanID', 'uint16', { base: 'dec', mask: 0x03ff })
const hfReserved = defineField('erspan.reserved', 'Reserved', 'uint32', { base: 'dec', mask: 0xfff00000 })
const hfIndex = defineField('erspan.index', 'Index', 'uint32', { base: 'dec', mask: 0x000fffff })
const hfTimestamp = defineField('erspan.timestamp', 'Timestamp', 'uint32', { base: 'dec', mask: 0xffffffff })
const hfSgt = defineField('erspan.sgt', 'Security Group Tag', 'uint16', { base: 'dec', mask: 0xffff })
const hfP = defineField('erspan.p', 'Has Ethernet PDU', 'uint16', { base: 'dec', mask: 0x8000 })
const hfFt = defineField('erspan.ft', 'Frame Type', 'uint16', { base: 'dec', mask: 0x7c00, strings: { 0: 'Ethernet', 2: 'IP' } })
const hfHw = defineField('erspan.hw', 'Hardware ID', 'uint16', { base: 'dec', mask: 0x03f0 })
const hfDirection = defineField('erspan.direction', 'Direction', 'bool', { mask: 0x0008, maskBits: 16, tfs: ['Egress', 'Ingress'] })
const hfGra = defineField('erspan.gra', 'Timestamp granularity', 'uint16', {
  base: 'dec',
  mask: 0x0006,
  strings: { 0: '100 microseconds', 1: '100 nanoseconds', 2: 'IEEE 1588', 3: 'User configurable' }
})
const hfO = defineField('erspan.o', 'Optional Sub headers', 'uint16', { base: 'dec', mask: 0x0001 })

function dissectErspan(ctx: PacketContext, off: number, end: number, type3: boolean): void {
  if (!type3 && !greState.hasSeq) {
    // type I: no ERSPAN header at all
    const root = addLayer(ctx, hfErspan, off, 0)
    if (root) root.label = 'Encapsulated Remote Switch Packet ANalysis Type I'
    dissectEthernetWithoutFcs(ctx, off, end)
    return
  }
  const v = ctx.view
  const root = addLayer(ctx, hfErspan, off, Math.min(type3 ? TYPE3_LEN : TYPE2_LEN, end - off))
  if (!ctx.inErrorPkt) ctx.protocol = 'ERSPAN'
  const need = type3 ? TYPE3_LEN : TYPE2_LEN
  if (root) root.label = `Encapsulated Remote Switch Packet ANalysis Type ${type3 ? 'III' : 'II'}`
  if (end - off < need) {
    markShort(ctx, root, off, need, end, 'ERSPAN')
    return
  }
  const w0 = v.getUint16(off)
  const w1 = v.getUint16(off + 2)
  if (root) {
    add(root, hfVersion, off, 2, w0 >> 12)
    add(root, hfVlan, off, 2, w0 & 0x0fff)
    add(root, hfCos, off + 2, 2, w1 >> 13)
    if (type3) add(root, hfBso, off + 2, 2, (w1 >> 11) & 3)
    else add(root, hfEncap, off + 2, 2, (w1 >> 11) & 3)
    add(root, hfTruncated, off + 2, 2, (w1 >> 10) & 1)
    add(root, hfSpanId, off + 2, 2, w1 & 0x03ff)
  }
  if (!type3) {
    if (root) {
      const w = v.getUint32(off + 4)
      add(root, hfReserved, off + 4, 4, w >>> 20)
      add(root, hfIndex, off + 4, 4, w & 0xfffff)
    }
    dissectEthernetWithoutFcs(ctx, off + TYPE2_LEN, end)
    return
  }
  const flags = v.getUint16(off + 10)
  if (root) {
    add(root, hfTimestamp, off + 4, 4, v.getUint32(off + 4))
    add(root, hfSgt, off + 8, 2, v.getUint16(off + 8))
    add(root, hfP, off + 10, 2, flags >> 15)
    add(root, hfFt, off + 10, 2, (flags >> 10) & 0x1f)
    add(root, hfHw, off + 10, 2, (flags >> 4) & 0x3f)
    add(root, hfDirection, off + 10, 2, (flags & 0x0008) !== 0)
    add(root, hfGra, off + 10, 2, (flags >> 1) & 3)
    add(root, hfO, off + 10, 2, flags & 1)
  }
  let p = off + TYPE3_LEN
  if (flags & 1) {
    if (p + TYPE3_SUBHEADER_LEN > end) {
      markShort(ctx, root, off, TYPE3_LEN + TYPE3_SUBHEADER_LEN, end, 'ERSPAN')
      return
    }
    p += TYPE3_SUBHEADER_LEN
  }
  if (((flags >> 10) & 0x1f) === 0) dissectEthernetWithoutFcs(ctx, p, end)
}

byGreProto.set(0x88be, (ctx, off, end) => dissectErspan(ctx, off, end, false))
byGreProto.set(0x22eb, (ctx, off, end) => dissectErspan(ctx, off, end, true))
byGreProto.set(0x6558, dissectEthernetWithoutFcs)
