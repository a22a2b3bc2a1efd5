// GRE (RFC 2784/2890) and Enhanced GRE for PPTP (RFC 2637, version 1), IP protocol 47. The
// optional fields follow the flag bits; the payload is chosen by the protocol type: an
// EtherType, or one of GRE's own (PPP, ERSPAN, transparent Ethernet bridging).
import { addLayer, markShort, type Dissector, type PacketContext } from '../context'
import { byEthertype, byIpProto, dissectData } from '../dispatch'
import { add, addExpert, addGenerated, defineField, defineProtocol, TFS_YES_NO } from '../fields'
import { hexPad } from '../format'
import { bitString } from '../label'
import { GRE_PROTO_VALS } from '../link/values'
import { expectedChecksum } from './checksum'

/** Byte ranges of the fixed GRE header; optional fields follow in flag order. */
const field = { FLAGS_VERSION: 0, PROTOCOL: 2 } as const
const HEADER_LEN = 4
const F_CHECKSUM = 0x8000
const F_ROUTING = 0x4000
const F_KEY = 0x2000
const F_SEQ = 0x1000
const F_ACK = 0x0080

/** GRE protocol types with a dissector of their own (PPP, ERSPAN, ...); EtherTypes are looked up in byEthertype. */
export const byGreProto = new Map<number, Dissector>()

const hfGre = defineProtocol('gre', 'Generic Routing Encapsulation')
const hfFlagsVersion = defineField('gre.flags_and_version', 'Flags and Version', 'uint16', { base: 'hex' })
const hfFlagChecksum = defineField('gre.flags.checksum', 'Checksum Bit', 'bool', { mask: F_CHECKSUM, maskBits: 16, tfs: TFS_YES_NO })
const hfFlagRouting = defineField('gre.flags.routing', 'Routing Bit', 'bool', { mask: F_ROUTING, maskBits: 16, tfs: TFS_YES_NO })
const hfFlagKey = defineField('gre.flags.key', 'Key Bit', 'bool', { mask: F_KEY, maskBits: 16, tfs: TFS_YES_NO })
const hfFlagSeq = defineField('gre.flags.sequence_number', 'Sequence Number Bit', 'bool', { mask: F_SEQ, maskBits: 16, tfs: TFS_YES_NO })
const hfFlagSsr = defineField('gre.flags.strict_source_route', 'Strict Source Route Bit', 'bool', { mask: 0x0800, maskBits: 16, tfs: TFS_YES_NO })
const hfFlagRecursion = defineField('gre.flags.recursion_control', 'Recursion control', 'uint16', { base: 'dec', mask: 0x0700 })
const hfFlagAck = defineField('gre.flags.ack', 'Acknowledgment', 'bool', { mask: F_ACK, maskBits: 16, tfs: TFS_YES_NO })
const hfFlagReserved = defineField('gre.flags.reserved', 'Flags (Reserved)', 'uint16', { base: 'dec', mask: 0x00f8 })
const hfFlagVersion = defineField('gre.flags.version', 'Version', 'uint16', { base: 'dec', mask: 0x0007, strings: { 0: 'GRE', 1: 'Enhanced GRE' } })
const hfProto = defineField('gre.proto', 'Protocol Type', 'uint16', { base: 'hex', strings: GRE_PROTO_VALS })
const hfChecksum = defineField('gre.checksum', 'Checksum', 'uint16', { base: 'hex' })
const hfChecksumStatus = defineField('gre.checksum.status', 'Checksum Status', 'uint8', { strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } })
const hfOffset = defineField('gre.offset', 'Offset', 'uint16', { base: 'dec' })
const hfKey = defineField('gre.key', 'Key', 'uint32', { base: 'hex' })
const hfPayloadLength = defineField('gre.key.payload_length', 'Payload Length', 'uint16', { base: 'dec' })
const hfCallId = defineField('gre.key.call_id', 'Call ID', 'uint16', { base: 'dec' })
const hfSeq = defineField('gre.sequence_number', 'Sequence Number', 'uint32', { base: 'dec' })
const hfAck = defineField('gre.ack_number', 'Acknowledgment Number', 'uint32', { base: 'dec' })

/** Set while GRE's payload is dissected: ERSPAN needs to know whether a sequence number was present (type I vs II). */
export const greState = { hasSeq: false }

function dissectGre(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfGre, off, Math.min(HEADER_LEN, end - off))
  if (!ctx.inErrorPkt) ctx.protocol = 'GRE'
  if (end - off < HEADER_LEN) {
    if (root) root.label = 'Generic Routing Encapsulation'
    markShort(ctx, root, off, HEADER_LEN, end, 'GRE')
    return
  }
  const v = ctx.view
  const fv = v.getUint16(off + field.FLAGS_VERSION)
  const proto = v.getUint16(off + field.PROTOCOL)
  const version = fv & 7
  let len = HEADER_LEN
  if (fv & (F_CHECKSUM | F_ROUTING)) len += 4
  if (fv & F_KEY) len += 4
  if (fv & F_SEQ) len += 4
  if (version === 1 && fv & F_ACK) len += 4
  if (root) {
    root.len = Math.min(len, end - off)
    root.label = `Generic Routing Encapsulation (${GRE_PROTO_VALS[proto] ?? `Unknown (0x${proto.toString(16).padStart(4, '0')})`})`
    const f = add(root, hfFlagsVersion, off, 2, fv)
    add(f, hfFlagChecksum, off, 2, (fv & F_CHECKSUM) !== 0)
    add(f, hfFlagRouting, off, 2, (fv & F_ROUTING) !== 0)
    add(f, hfFlagKey, off, 2, (fv & F_KEY) !== 0)
    add(f, hfFlagSeq, off, 2, (fv & F_SEQ) !== 0)
    add(f, hfFlagSsr, off, 2, (fv & 0x0800) !== 0)
    add(f, hfFlagRecursion, off, 2, (fv >> 8) & 7)
    if (version === 1) {
      add(f, hfFlagAck, off, 2, (fv & F_ACK) !== 0)
      // Wireshark registers gre.flags.reserved twice; version 1 has one bit fewer (the ack flag)
      add(f, hfFlagReserved, off, 2, (fv >> 3) & 0x0f).label = bitString(0x0078, 16, fv) + `Flags (Reserved): ${(fv >> 3) & 0x0f}`
    } else add(f, hfFlagReserved, off, 2, (fv >> 3) & 0x1f)
    add(f, hfFlagVersion, off, 2, version)
    add(root, hfProto, off + 2, 2, proto)
  }
  if (off + len > end) {
    markShort(ctx, root, off, len, end, 'GRE')
    return
  }
  let p = off + HEADER_LEN
  if (fv & (F_CHECKSUM | F_ROUTING)) {
    if (root) {
      const sum = v.getUint16(p)
      const c = add(root, hfChecksum, p, 2, sum)
      if (fv & F_CHECKSUM) {
        const want = expectedChecksum(ctx.data, off, end, p)
        if (want === sum) {
          c.label = `Checksum: ${hexPad(sum, 4)} [correct]`
          addGenerated(root, hfChecksumStatus, p, 0, 1).label = 'Checksum Status: Good'
        } else {
          c.label = `Checksum: ${hexPad(sum, 4)} incorrect, should be ${hexPad(want, 4)}`
          addExpert(c, 'warn', 'protocol', `Incorrect GRE Checksum [should be ${hexPad(want, 4)}]`)
          addGenerated(root, hfChecksumStatus, p, 0, 0).label = 'Checksum Status: Bad'
        }
      }
      add(root, hfOffset, p + 2, 2, v.getUint16(p + 2))
    }
    p += 4
  }
  if (fv & F_KEY) {
    if (root) {
      if (version === 1) {
        add(root, hfPayloadLength, p, 2, v.getUint16(p))
        add(root, hfCallId, p + 2, 2, v.getUint16(p + 2))
      } else add(root, hfKey, p, 4, v.getUint32(p))
    }
    p += 4
  }
  if (fv & F_SEQ) {
    if (root) add(root, hfSeq, p, 4, v.getUint32(p))
    p += 4
  }
  if (version === 1 && fv & F_ACK) {
    if (root) add(root, hfAck, p, 4, v.getUint32(p))
    p += 4
  }
  // Routing (source route entries, RFC 1701) is obsolete and not decoded: its payload is shown as data.
  if (fv & F_ROUTING) {
    dissectData(ctx, p, end)
    return
  }
  const next = byGreProto.get(proto) ?? byEthertype.get(proto)
  const saved = greState.hasSeq
  greState.hasSeq = (fv & F_SEQ) !== 0
  try {
    if (next) next(ctx, p, end)
    else dissectData(ctx, p, end)
  } finally {
    greState.hasSeq = saved
  }
}

byIpProto.set(47, dissectGre)
