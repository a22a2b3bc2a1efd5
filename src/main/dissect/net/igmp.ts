// IGMP v1/v2/v3 (RFC 1112, 2236, 3376), IP protocol 2. The version follows from the type and
// the message length. Wireshark hands the standard messages to a version-specific dissector
// registered under the same protocol, so they show as "igmp:igmp" in frame.protocols.
import { addLayer, markShort, type PacketContext } from '../context'
import { byIpProto, dissectData } from '../dispatch'
import { add, addExpert, addGenerated, addText, defineField, defineProtocol, type FieldNode } from '../fields'
import { hexPad, ipv4String } from '../format'
import { expectedChecksum } from './checksum'
import { IGMP_TYPE_VALS } from './values'

/** Byte ranges of the common IGMP header (v1/v2, and the start of v3 messages). */
const field = { TYPE: 0, MAX_RESP: 1, CHECKSUM: 2, GROUP: 4 } as const
const HEADER_LEN = 8
const V3_QUERY_LEN = 12

const QUERY = 0x11
const V1_REPORT = 0x12
const V2_REPORT = 0x16
const V2_LEAVE = 0x17
const V3_REPORT = 0x22

const RECORD_TYPES: Readonly<Record<number, string>> = {
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources'
}

const hfIgmp = defineProtocol('igmp', 'Internet Group Management Protocol')
const hfVersion = defineField('igmp.version', 'IGMP Version', 'uint8', { base: 'dec' })
const hfType = defineField('igmp.type', 'Type', 'uint8', { base: 'hex', strings: IGMP_TYPE_VALS })
const hfMaxResp = defineField('igmp.max_resp', 'Max Resp Time', 'uint8', { base: 'dec' })
const hfReserved = defineField('igmp.reserved', 'Reserved', 'bytes')
const hfChecksum = defineField('igmp.checksum', 'Checksum', 'uint16', { base: 'hex' })
const hfChecksumStatus = defineField('igmp.checksum.status', 'Checksum Status', 'uint8', { strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } })
const hfMaddr = defineField('igmp.maddr', 'Multicast Address', 'ipv4')
const hfS = defineField('igmp.s', 'S', 'bool', { mask: 0x08, maskBits: 8, tfs: ['Suppress router side processing', 'Do not suppress router side processing'] })
const hfQrv = defineField('igmp.qrv', 'QRV', 'uint8', { base: 'dec', mask: 0x07 })
const hfQqic = defineField('igmp.qqic', 'QQIC', 'uint8', { base: 'dec' })
const hfNumSrc = defineField('igmp.num_src', 'Num Src', 'uint16', { base: 'dec' })
const hfSaddr = defineField('igmp.saddr', 'Source Address', 'ipv4')
const hfNumGrpRecs = defineField('igmp.num_grp_recs', 'Num Group Records', 'uint16', { base: 'dec' })
const hfRecordType = defineField('igmp.record_type', 'Record Type', 'uint8', { base: 'dec', strings: RECORD_TYPES })
const hfAuxDataLen = defineField('igmp.aux_data_len', 'Aux Data Len', 'uint8', { base: 'dec' })

/** RFC 3376 4.1.1: codes from 128 on are a floating-point value. In tenths of a second. */
function maxRespTenths(code: number): number {
  return code < 128 ? code : ((code & 0x0f) | 0x10) << (((code >> 4) & 0x07) + 3)
}

function versionOf(type: number, len: number, maxResp: number): number {
  switch (type) {
    case QUERY:
      return len >= V3_QUERY_LEN ? 3 : maxResp === 0 ? 1 : 2
    case V1_REPORT:
      return 1
    case V2_REPORT:
    case V2_LEAVE:
      return 2
    case V3_REPORT:
      return 3
    default:
      return 0
  }
}

function dissectIgmp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfIgmp, off, end - off)
  if (end - off < 1) {
    markShort(ctx, root, off, HEADER_LEN, end, 'IGMP')
    return
  }
  const d = ctx.data
  const v = ctx.view
  const type = d[off]
  const len = ctx.net && ctx.net.payloadOff === off ? ctx.net.payloadLen : end - off
  const maxResp = end - off > 1 ? d[off + 1] : 0
  const version = versionOf(type, len, maxResp)
  if (version) ctx.protocols.push('igmp')
  if (!ctx.inErrorPkt) ctx.protocol = version ? `IGMPv${version}` : 'IGMP'
  const need = version === 3 ? (type === QUERY ? V3_QUERY_LEN : HEADER_LEN) : HEADER_LEN
  if (end - off < need) {
    markShort(ctx, root, off, need, end, 'IGMP')
    return
  }
  const group = ipv4String(d, off + field.GROUP)
  if (root) {
    root.label = 'Internet Group Management Protocol'
    if (version) addGenerated(root, hfVersion, off, 0, version)
    add(root, hfType, off, 1, type)
    if (type === QUERY && version > 1) {
      const t = maxRespTenths(maxResp)
      add(root, hfMaxResp, off + 1, 1, maxResp).label = `Max Resp Time: ${(t / 10).toFixed(1)} sec (${hexPad(maxResp, 2)})`
    } else add(root, hfReserved, off + 1, 1, d.subarray(off + 1, off + 2))
    const sum = v.getUint16(off + field.CHECKSUM)
    const c = add(root, hfChecksum, off + 2, 2, sum)
    if (off + len <= end) {
      const want = expectedChecksum(d, off, off + len, off + field.CHECKSUM)
      if (want === sum) {
        c.label = `Checksum: ${hexPad(sum, 4)} [correct]`
        addGenerated(root, hfChecksumStatus, off + 2, 0, 1).label = 'Checksum Status: Good'
      } else {
        c.label = `Checksum: ${hexPad(sum, 4)} incorrect, should be ${hexPad(want, 4)}`
        addExpert(c, 'error', 'checksum', `Bad checksum [should be ${hexPad(want, 4)}]`)
        addGenerated(root, hfChecksumStatus, off + 2, 0, 0).label = 'Checksum Status: Bad'
      }
    } else addGenerated(root, hfChecksumStatus, off + 2, 0, 2).label = 'Checksum Status: Unverified'
  }
  let info = ''
  if (type === V3_REPORT) info = report3(ctx, root, off, end)
  else {
    if (root && !(type === V3_REPORT)) add(root, hfMaddr, off + field.GROUP, 4, group)
    switch (type) {
      case QUERY:
        info = group === '0.0.0.0' ? 'Membership Query, general' : `Membership Query, specific for group ${group}`
        if (version === 3) query3(ctx, root, off, end)
        break
      case V1_REPORT:
        info = 'Membership Report'
        break
      case V2_REPORT:
        info = `Membership Report group ${group}`
        break
      case V2_LEAVE:
        info = `Leave Group ${group}`
        break
      default:
        info = IGMP_TYPE_VALS[type] ?? `Unknown Type:0x${type.toString(16).padStart(2, '0')}`
        if (end - off > HEADER_LEN) dissectData(ctx, off + HEADER_LEN, end)
    }
  }
  if (ctx.tree && !ctx.inErrorPkt) ctx.info = info
}

function query3(ctx: PacketContext, root: FieldNode | undefined, off: number, end: number): void {
  if (!root) return
  const d = ctx.data
  const b = d[off + 8]
  add(root, hfS, off + 8, 1, (b & 0x08) !== 0)
  add(root, hfQrv, off + 8, 1, b & 0x07)
  add(root, hfQqic, off + 9, 1, d[off + 9])
  const n = ctx.view.getUint16(off + 10)
  add(root, hfNumSrc, off + 10, 2, n)
  for (let i = 0, p = off + 12; i < n && p + 4 <= end; i++, p += 4) add(root, hfSaddr, p, 4, ipv4String(d, p))
}

function report3(ctx: PacketContext, root: FieldNode | undefined, off: number, end: number): string {
  const d = ctx.data
  const v = ctx.view
  const n = v.getUint16(off + 6)
  if (root) {
    add(root, hfReserved, off + 4, 2, d.subarray(off + 4, off + 6))
    add(root, hfNumGrpRecs, off + 6, 2, n)
  }
  const parts: string[] = []
  let p = off + HEADER_LEN
  for (let i = 0; i < n && p + 8 <= end; i++) {
    const rt = d[p]
    const aux = d[p + 1]
    const nsrc = v.getUint16(p + 2)
    const group = ipv4String(d, p + 4)
    const len = 8 + 4 * nsrc + 4 * aux
    if (root) {
      const r = addText(root, `Group Record : ${group}  ${RECORD_TYPES[rt] ?? 'Unknown'}`, p, Math.min(len, end - p))
      add(r, hfRecordType, p, 1, rt)
      add(r, hfAuxDataLen, p + 1, 1, aux)
      add(r, hfNumSrc, p + 2, 2, nsrc)
      add(r, hfMaddr, p + 4, 4, group)
      for (let s = 0; s < nsrc && p + 8 + 4 * s + 4 <= end; s++) add(r, hfSaddr, p + 8 + 4 * s, 4, ipv4String(d, p + 8 + 4 * s))
    }
    if ((rt === 2 || rt === 4) && nsrc === 0) parts.push(`Join group ${group} for any sources`)
    else if ((rt === 1 || rt === 3) && nsrc === 0) parts.push(`Leave group ${group}`)
    else parts.push(`${RECORD_TYPES[rt] ?? 'Unknown'} group ${group}`)
    p += len
  }
  return ['Membership Report', ...parts].join(' / ')
}

byIpProto.set(2, dissectIgmp)
