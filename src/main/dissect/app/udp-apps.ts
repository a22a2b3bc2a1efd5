// Small UDP application protocols: DHCP/BOOTP (RFC 2131) and Dropbox LAN sync discovery
// (a JSON datagram on port 17500).
import { addLayer, type PacketContext } from '../context'
import { defineField, defineProtocol, node } from '../fields'
import { byUdpPort, onPorts } from '../transport/ports'
import { dissectJson } from './media'

const DHCP_TYPES: Readonly<Record<number, string>> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform'
}
const F = {
  dhcp: defineProtocol('dhcp', 'Dynamic Host Configuration Protocol'),
  type: defineField('dhcp.type', 'Message type', 'uint8', { strings: { 1: 'Boot Request', 2: 'Boot Reply' } }),
  hwType: defineField('dhcp.hw.type', 'Hardware type', 'uint8', { base: 'hex' }),
  hwLen: defineField('dhcp.hw.len', 'Hardware address length', 'uint8'),
  hops: defineField('dhcp.hops', 'Hops', 'uint8'),
  id: defineField('dhcp.id', 'Transaction ID', 'uint32', { base: 'hex' }),
  secs: defineField('dhcp.secs', 'Seconds elapsed', 'uint16'),
  flags: defineField('dhcp.flags', 'Bootp flags', 'uint16', { base: 'hex' }),
  client: defineField('dhcp.ip.client', 'Client IP address', 'ipv4'),
  your: defineField('dhcp.ip.your', 'Your (client) IP address', 'ipv4'),
  server: defineField('dhcp.ip.server', 'Next server IP address', 'ipv4'),
  relay: defineField('dhcp.ip.relay', 'Relay agent IP address', 'ipv4'),
  mac: defineField('dhcp.hw.mac_addr', 'Client MAC address', 'ether'),
  cookie: defineField('dhcp.cookie', 'Magic cookie', 'ipv4'),
  msgType: defineField('dhcp.option.dhcp', 'DHCP', 'uint8', { strings: DHCP_TYPES }),
  dbLsp: defineProtocol('db-lsp-disc', 'Dropbox LAN sync Discovery Protocol')
}

const ip = (d: Uint8Array, p: number) => `${d[p]}.${d[p + 1]}.${d[p + 2]}.${d[p + 3]}`
const mac = (d: Uint8Array, p: number) => Array.from(d.subarray(p, p + 6), (b) => b.toString(16).padStart(2, '0')).join(':')

export function dissectDhcp(ctx: PacketContext, off: number, end: number): boolean {
  const d = ctx.data
  const v = ctx.view
  const top = addLayer(ctx, F.dhcp, off, end - off)
  ctx.protocol = 'DHCP'
  if (end - off < 236) {
    ctx.malformed = true
    ctx.protocol = 'BOOTP'
    if (top) top.expert = { severity: 'warn', group: 'malformed', message: 'Packet size limited during capture: DHCP truncated' }
    if (ctx.tree) ctx.info = end - off >= 1 && d[off] === 2 ? 'Boot Reply' : 'Boot Request'
    return true
  }
  const op = d[off]!
  const id = v.getUint32(off + 4)
  // Options: after the magic cookie 99.130.83.99, find option 53 (message type).
  let msgType = 0
  let p = off + 240
  const hasCookie = end - off >= 240 && v.getUint32(off + 236) === 0x63825363
  if (hasCookie) {
    while (p < end) {
      const code = d[p]!
      if (code === 255) break
      if (code === 0) {
        p++
        continue
      }
      if (p + 1 >= end) break
      const len = d[p + 1]!
      if (code === 53 && len >= 1 && p + 2 < end) msgType = d[p + 2]!
      p += 2 + len
    }
  }
  // Without a DHCP message type option it is plain BOOTP, as tshark's column says.
  ctx.protocol = msgType ? 'DHCP' : 'BOOTP'
  if (top) {
    top.label = `Dynamic Host Configuration Protocol${msgType ? ` (${DHCP_TYPES[msgType] ?? msgType})` : ''}`
    const k = top.children!
    k.push(node(F.type, off, 1, op), node(F.hwType, off + 1, 1, d[off + 1]!), node(F.hwLen, off + 2, 1, d[off + 2]!))
    k.push(node(F.hops, off + 3, 1, d[off + 3]!), node(F.id, off + 4, 4, id), node(F.secs, off + 8, 2, v.getUint16(off + 8)))
    k.push(node(F.flags, off + 10, 2, v.getUint16(off + 10)))
    k.push(node(F.client, off + 12, 4, ip(d, off + 12)), node(F.your, off + 16, 4, ip(d, off + 16)))
    k.push(node(F.server, off + 20, 4, ip(d, off + 20)), node(F.relay, off + 24, 4, ip(d, off + 24)))
    k.push(node(F.mac, off + 28, 6, mac(d, off + 28)))
    if (hasCookie) k.push(node(F.cookie, off + 236, 4, ip(d, off + 236)))
    if (msgType) k.push(node(F.msgType, off + 240, 1, msgType))
    // tshark pads the message type to 8 columns: "DHCP Offer    - Transaction ID 0x3d1d".
    ctx.info = msgType
      ? `DHCP ${(DHCP_TYPES[msgType] ?? String(msgType)).padEnd(8)} - Transaction ID 0x${id.toString(16)}`
      : op === 2
        ? 'Boot Reply'
        : `Boot Request from ${mac(d, off + 28)} (${mac(d, off + 28)})`
  }
  return true
}

function dissectDbLspDisc(ctx: PacketContext, off: number, end: number): boolean {
  const top = addLayer(ctx, F.dbLsp, off, end - off)
  ctx.protocol = 'DB-LSP-DISC'
  if (top) top.label = F.dbLsp.title
  if (top) ctx.info = 'Dropbox LAN sync Discovery Protocol, JavaScript Object Notation'
  dissectJson(ctx, off, end)
  return true
}

onPorts(byUdpPort, [67, 68, 4011], dissectDhcp)
onPorts(byUdpPort, [17500], dissectDbLspDisc)
