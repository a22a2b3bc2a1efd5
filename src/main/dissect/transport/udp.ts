// UDP header (RFC 768) and the hand-off of its payload by port or heuristic.
import type { PacketContext } from '../context'
import { defineField, node, type FieldNode } from '../fields'
import { byIpProto, dissectData } from '../dispatch'
import { byUdpPort, tryPorts, udpHeuristics, desegment } from './ports'

const UDP = {
  proto: defineField('udp', 'User Datagram Protocol', 'protocol'),
  srcport: defineField('udp.srcport', 'Source Port', 'uint16'),
  dstport: defineField('udp.dstport', 'Destination Port', 'uint16'),
  port: defineField('udp.port', 'Source or Destination Port', 'uint16'),
  length: defineField('udp.length', 'Length', 'uint16'),
  checksum: defineField('udp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: defineField('udp.checksum.status', 'Checksum Status', 'uint8', {
    strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' }
  }),
  payload: defineField('udp.payload', 'Payload', 'bytes')
}

const HEADER_LEN = 8

export function dissectUdp(ctx: PacketContext, off: number, end: number): void {
  ctx.protocols.push('udp')
  const v = ctx.view
  const have = end - off
  const kids: FieldNode[] | undefined = ctx.tree ? [] : undefined
  const top = kids ? node(UDP.proto, off, Math.min(HEADER_LEN, Math.max(0, have)), undefined, kids) : undefined
  if (top) ctx.layers.push(top)
  if (have < HEADER_LEN) {
    ctx.malformed = true
    if (kids && have >= 4) {
      kids.push(node(UDP.srcport, off, 2, v.getUint16(off)), node(UDP.dstport, off + 2, 2, v.getUint16(off + 2)))
    }
    if (top) top.expert = { severity: 'error', group: 'malformed', message: 'UDP header cut short' }
    return
  }
  const srcport = v.getUint16(off)
  const dstport = v.getUint16(off + 2)
  const length = v.getUint16(off + 4)
  const checksum = v.getUint16(off + 6)
  const net = ctx.net
  const reported = net && net.payloadOff === off ? net.payloadLen : have
  // Bad lengths: Wireshark trusts the IP payload length when the UDP one is impossible.
  const bad = length < HEADER_LEN || length > reported
  const payloadLen = (bad ? reported : length) - HEADER_LEN
  const payEnd = Math.min(end, off + HEADER_LEN + Math.max(0, payloadLen))
  if (!ctx.inErrorPkt) {
    ctx.udp = { srcport, dstport, len: length, payloadOff: off + HEADER_LEN }
    ctx.protocol = 'UDP'
  }
  if (kids) {
    top!.label = `User Datagram Protocol, Src Port: ${srcport}, Dst Port: ${dstport}`
    kids.push(node(UDP.srcport, off, 2, srcport), node(UDP.dstport, off + 2, 2, dstport))
    const p1 = node(UDP.port, off, 2, srcport)
    const p2 = node(UDP.port, off + 2, 2, dstport)
    p1.hidden = p2.hidden = true
    kids.push(p1, p2)
    const l = node(UDP.length, off + 4, 2, length)
    if (bad) l.expert = { severity: 'error', group: 'malformed', message: `Bad length value ${length} (IP payload length ${reported})` }
    kids.push(l)
    const c = node(UDP.checksum, off + 6, 2, checksum)
    c.label = checksum === 0 ? 'Checksum: 0x0000 [zero-value ignored]' : `Checksum: 0x${checksum.toString(16).padStart(4, '0')} [unverified]`
    kids.push(c, node(UDP.checksumStatus, off + 6, 0, checksum === 0 ? 3 : 2))
    if (payEnd > off + HEADER_LEN) kids.push(node(UDP.payload, off + HEADER_LEN, payEnd - off - HEADER_LEN, ctx.data.subarray(off + HEADER_LEN, payEnd)))
    if (!ctx.inErrorPkt) ctx.info = `${srcport} \u2192 ${dstport} Len=${Math.max(0, payloadLen)}`
  }
  if (bad) ctx.malformed = true
  const p = off + HEADER_LEN
  if (payEnd <= p) return
  desegment.canDesegment = false
  if (ctx.inErrorPkt) return
  if (!tryPorts(byUdpPort, udpHeuristics, ctx, srcport, dstport, p, payEnd)) dissectData(ctx, p, payEnd)
}

byIpProto.set(17, dissectUdp)
