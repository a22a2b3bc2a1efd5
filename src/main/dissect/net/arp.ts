// ARP (RFC 826) and RARP (RFC 903), EtherTypes 0x0806 and 0x8035: a fixed 8-byte header, then
// sender and target hardware/protocol addresses whose sizes the header gives.
import { addLayer, markShort, type PacketContext } from '../context'
import { byEthertype } from '../dispatch'
import { add, defineField, defineProtocol } from '../fields'
import { etherString, ipv4String } from '../format'
import { ETHERTYPE_VALS } from '../link/values'
import { ARP_HW_VALS, ARP_OPCODE_VALS } from './values'

/** Byte ranges of the fixed ARP header; addresses follow at offset 8. */
const field = { HTYPE: 0, PTYPE: 2, HLEN: 4, PLEN: 5, OPER: 6 } as const
const HEADER_LEN = 8

const ARPHRD_ETHER = 1
const ARPHRD_IEEE802 = 6
const ETHERTYPE_IPV4 = 0x0800
const OP_REQUEST = 1
const OP_REPLY = 2
const OP_RREQUEST = 3
const OP_RREPLY = 4

const hfArp = defineProtocol('arp', 'Address Resolution Protocol')
const hfHwType = defineField('arp.hw.type', 'Hardware type', 'uint16', { base: 'dec', strings: ARP_HW_VALS })
const hfProtoType = defineField('arp.proto.type', 'Protocol type', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })
const hfHwSize = defineField('arp.hw.size', 'Hardware size', 'uint8', { base: 'dec' })
const hfProtoSize = defineField('arp.proto.size', 'Protocol size', 'uint8', { base: 'dec' })
const hfOpcode = defineField('arp.opcode', 'Opcode', 'uint16', { base: 'dec', strings: ARP_OPCODE_VALS })
const hfSrcHwMac = defineField('arp.src.hw_mac', 'Sender MAC address', 'ether')
const hfSrcHw = defineField('arp.src.hw', 'Sender hardware address', 'bytes')
const hfSrcIpv4 = defineField('arp.src.proto_ipv4', 'Sender IP address', 'ipv4')
const hfSrcProto = defineField('arp.src.proto', 'Sender protocol address', 'bytes')
const hfDstHwMac = defineField('arp.dst.hw_mac', 'Target MAC address', 'ether')
const hfDstHw = defineField('arp.dst.hw', 'Target hardware address', 'bytes')
const hfDstIpv4 = defineField('arp.dst.proto_ipv4', 'Target IP address', 'ipv4')
const hfDstProto = defineField('arp.dst.proto', 'Target protocol address', 'bytes')

function dissectArp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfArp, off, Math.min(HEADER_LEN, end - off))
  if (end - off < HEADER_LEN) {
    if (root) root.label = 'Address Resolution Protocol'
    markShort(ctx, root, off, HEADER_LEN, end, 'ARP')
    return
  }
  const d = ctx.data
  const v = ctx.view
  const htype = v.getUint16(off + field.HTYPE)
  const ptype = v.getUint16(off + field.PTYPE)
  const hlen = d[off + field.HLEN]
  const plen = d[off + field.PLEN]
  const op = v.getUint16(off + field.OPER)
  const total = HEADER_LEN + 2 * (hlen + plen)
  const rarp = op === OP_RREQUEST || op === OP_RREPLY
  if (!ctx.inErrorPkt) ctx.protocol = rarp ? 'RARP' : 'ARP'
  const sha = off + HEADER_LEN
  const spa = sha + hlen
  const tha = spa + plen
  const tpa = tha + hlen
  const isMac = (htype === ARPHRD_ETHER || htype === ARPHRD_IEEE802) && hlen === 6
  const isIp = ptype === ETHERTYPE_IPV4 && plen === 4
  if (root) {
    root.len = Math.min(total, end - off)
    const opName = ARP_OPCODE_VALS[op]
    root.label = `Address Resolution Protocol (${opName ?? `opcode 0x${op.toString(16).padStart(4, '0')}`})`
    add(root, hfHwType, off + field.HTYPE, 2, htype)
    add(root, hfProtoType, off + field.PTYPE, 2, ptype)
    add(root, hfHwSize, off + field.HLEN, 1, hlen)
    add(root, hfProtoSize, off + field.PLEN, 1, plen)
    add(root, hfOpcode, off + field.OPER, 2, op)
  }
  if (off + total > end) {
    markShort(ctx, root, off, total, end, 'ARP')
    return
  }
  ctx.claimedEnd = off + total
  if (!root) return
  const hw = (at: number): string => (isMac ? etherString(d, at) : Array.from(d.subarray(at, at + hlen), (b) => b.toString(16).padStart(2, '0')).join(':'))
  const pr = (at: number): string => (isIp ? ipv4String(d, at) : Array.from(d.subarray(at, at + plen), (b) => b.toString(16).padStart(2, '0')).join(':'))
  if (isMac) add(root, hfSrcHwMac, sha, 6, etherString(d, sha))
  else if (hlen) add(root, hfSrcHw, sha, hlen, d.subarray(sha, sha + hlen))
  if (isIp) add(root, hfSrcIpv4, spa, 4, ipv4String(d, spa))
  else if (plen) add(root, hfSrcProto, spa, plen, d.subarray(spa, spa + plen))
  if (isMac) add(root, hfDstHwMac, tha, 6, etherString(d, tha))
  else if (hlen) add(root, hfDstHw, tha, hlen, d.subarray(tha, tha + hlen))
  if (isIp) add(root, hfDstIpv4, tpa, 4, ipv4String(d, tpa))
  else if (plen) add(root, hfDstProto, tpa, plen, d.subarray(tpa, tpa + plen))
  if (ctx.inErrorPkt) return
  const spaZero = isIp && v.getUint32(spa) === 0
  switch (op) {
    case OP_REQUEST:
      if (isIp && !spaZero && v.getUint32(spa) === v.getUint32(tpa)) ctx.info = `ARP Announcement for ${pr(spa)}`
      else if (spaZero) ctx.info = `Who has ${pr(tpa)}? (ARP Probe)`
      else ctx.info = `Who has ${pr(tpa)}? Tell ${pr(spa)}`
      break
    case OP_REPLY:
      ctx.info = `${pr(spa)} is at ${hw(sha)}`
      break
    case OP_RREQUEST:
      ctx.info = `Who is ${hw(tha)}? Tell ${hw(sha)}`
      break
    case OP_RREPLY:
      ctx.info = `${hw(tha)} is at ${pr(tpa)}`
      break
    default:
      ctx.info = `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`
  }
}

byEthertype.set(0x0806, dissectArp)
byEthertype.set(0x8035, dissectArp)
