// OSPFv2 (RFC 2328) and OSPFv3 (RFC 5340), IP protocol 89: the common header and Hello packets;
// other message types are named but their bodies not decoded.
import { addLayer, markShort, type PacketContext } from '../context'
import { byIpProto } from '../dispatch'
import { add, addHidden, addText, defineField, defineProtocol, TFS_SET, type FieldNode } from '../fields'
import { hexPad, ipv4String } from '../format'
import { expectedChecksum, finish, ipv6PseudoSum, onesSum } from './checksum'
import { OSPF_MSG_VALS } from './values'

/** Byte ranges of the OSPF header common to both versions. */
const field = { VERSION: 0, TYPE: 1, LENGTH: 2, ROUTER: 4, AREA: 8, CHECKSUM: 12 } as const
const V2_HEADER_LEN = 24
const V3_HEADER_LEN = 16
const HELLO = 1
const OSPF = 89

const hfOspf = defineProtocol('ospf', 'Open Shortest Path First')
const hfHeader = defineField('ospf.header', 'OSPF Header', 'none')
const hfVersion = defineField('ospf.version', 'Version', 'uint8', { base: 'dec' })
const hfMsg = defineField('ospf.msg', 'Message Type', 'uint8', { base: 'dec', strings: OSPF_MSG_VALS })
const hfMsgHello = defineField('ospf.msg.hello', 'Hello', 'bool')
const hfLength = defineField('ospf.packet_length', 'Packet Length', 'uint16', { base: 'dec' })
const hfRouter = defineField('ospf.srcrouter', 'Source OSPF Router', 'ipv4')
const hfArea = defineField('ospf.area_id', 'Area ID', 'ipv4')
const hfChecksum = defineField('ospf.checksum', 'Checksum', 'uint16', { base: 'hex' })
const hfAuthType = defineField('ospf.auth.type', 'Auth Type', 'uint16', { base: 'dec', strings: { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' } })
const hfAuthNone = defineField('ospf.auth.none', 'Auth Data (none)', 'bytes')
const hfInstance = defineField('ospf.instance_id', 'Instance ID', 'uint8', {
  base: 'dec',
  labeler: (n) => {
    const v = Number(n.value)
    const af = v < 32 ? 'IPv6 unicast AF' : v < 64 ? 'IPv6 multicast AF' : v < 96 ? 'IPv4 unicast AF' : v < 128 ? 'IPv4 multicast AF' : 'Reserved'
    return `Instance ID: ${af} (${v})`
  }
})
const hfReserved = defineField('ospf.reserved', 'Reserved', 'bytes')
const hfHello = defineField('ospf.hello', 'OSPF Hello Packet', 'none')
const hfMask = defineField('ospf.hello.network_mask', 'Network Mask', 'ipv4')
const hfIfId = defineField('ospf.hello.interface_id', 'Interface ID', 'uint32', { base: 'dec' })
const hfInterval = defineField('ospf.hello.hello_interval', 'Hello Interval [sec]', 'uint32', { base: 'dec' })
const V2_OPTIONS: [number, string][] = [
  [0x80, 'DN'], [0x40, 'O'], [0x20, '(DC) Demand Circuits'], [0x10, '(L) LLS Data block'], [0x08, '(N) NSSA'],
  [0x04, '(MC) Multicast'], [0x02, '(E) External Routing'], [0x01, '(MT) Multi-Topology Routing']
]
const V3_OPTIONS: [number, string][] = [
  [0x400, 'AT'], [0x200, 'L'], [0x100, 'AF'], [0x20, 'DC'], [0x10, 'R'], [0x08, 'N'], [0x04, 'MC'], [0x02, 'E'], [0x01, 'V6']
]
function optionsLabel(v: number, digits: number, names: [number, string][]): string {
  const set = names.filter(([bit]) => v & bit).map(([, name]) => name)
  return `Options: ${hexPad(v, digits)}${set.length ? ', ' + set.join(', ') : ''}`
}
const V2_BITS = [
  defineField('ospf.v2.options.dn', 'DN', 'bool', { mask: 0x80, maskBits: 8, tfs: TFS_SET }),
  defineField('ospf.v2.options.o', 'O', 'bool', { mask: 0x40, maskBits: 8, tfs: TFS_SET }),
  defineField('ospf.v2.options.dc', '(DC) Demand Circuits', 'bool', { mask: 0x20, maskBits: 8, tfs: ['Supported', 'Not supported'] }),
  defineField('ospf.v2.options.l', '(L) LLS Data block', 'bool', { mask: 0x10, maskBits: 8, tfs: ['Present', 'Not Present'] }),
  defineField('ospf.v2.options.n', '(N) NSSA', 'bool', { mask: 0x08, maskBits: 8, tfs: ['Supported', 'Not supported'] }),
  defineField('ospf.v2.options.mc', '(MC) Multicast', 'bool', { mask: 0x04, maskBits: 8, tfs: ['Capable', 'Not capable'] }),
  defineField('ospf.v2.options.e', '(E) External Routing', 'bool', { mask: 0x02, maskBits: 8, tfs: ['Capable', 'Not capable'] }),
  defineField('ospf.v2.options.mt', '(MT) Multi-Topology Routing', 'bool', { mask: 0x01, maskBits: 8, tfs: ['Yes', 'No'] })
]
const V3_BITS = (
  [
    ['at', 0x400, 'AT'],
    ['l', 0x200, 'L'],
    ['af', 0x100, 'AF'],
    ['dc', 0x20, 'DC'],
    ['r', 0x10, 'R'],
    ['n', 0x08, 'N'],
    ['mc', 0x04, 'MC'],
    ['e', 0x02, 'E'],
    ['v6', 0x01, 'V6']
  ] as const
).map(([k, mask, title]) => defineField(`ospf.v3.options.${k}`, title, 'bool', { mask, maskBits: 24, tfs: TFS_SET }))
const hfV2Options = defineField('ospf.v2.options', 'Options', 'uint8', { base: 'hex', labeler: (n) => optionsLabel(Number(n.value), 2, V2_OPTIONS) })
const hfV3Options = defineField('ospf.v3.options', 'Options', 'uint24', { base: 'hex', labeler: (n) => optionsLabel(Number(n.value), 6, V3_OPTIONS) })
const hfPriority = defineField('ospf.hello.router_priority', 'Router Priority', 'uint8', { base: 'dec' })
const hfDead = defineField('ospf.hello.router_dead_interval', 'Router Dead Interval [sec]', 'uint32', { base: 'dec' })
const hfDr = defineField('ospf.hello.designated_router', 'Designated Router', 'ipv4')
const hfBdr = defineField('ospf.hello.backup_designated_router', 'Backup Designated Router', 'ipv4')
const hfNeighbor = defineField('ospf.hello.active_neighbor', 'Active Neighbor', 'ipv4')

function hello(ctx: PacketContext, root: FieldNode, p: number, end: number, v3: boolean): void {
  const v = ctx.view
  const d = ctx.data
  const fixed = v3 ? 20 : 20
  if (p + fixed > end) return
  const h = add(root, hfHello, p, end - p)
  h.label = 'OSPF Hello Packet'
  if (v3) {
    add(h, hfIfId, p, 4, v.getUint32(p))
    add(h, hfPriority, p + 4, 1, d[p + 4])
    const opts = (d[p + 5] << 16) | (d[p + 6] << 8) | d[p + 7]
    const on = add(h, hfV3Options, p + 5, 3, opts)
    for (const b of V3_BITS) add(on, b, p + 5, 3, (opts & (b.mask ?? 0)) !== 0)
    add(h, hfInterval, p + 8, 2, v.getUint16(p + 8))
    add(h, hfDead, p + 10, 2, v.getUint16(p + 10))
  } else {
    add(h, hfMask, p, 4, ipv4String(d, p))
    add(h, hfInterval, p + 4, 2, v.getUint16(p + 4))
    const on = add(h, hfV2Options, p + 6, 1, d[p + 6])
    for (const b of V2_BITS) add(on, b, p + 6, 1, (d[p + 6] & (b.mask ?? 0)) !== 0)
    add(h, hfPriority, p + 7, 1, d[p + 7])
    add(h, hfDead, p + 8, 4, v.getUint32(p + 8))
  }
  add(h, hfDr, p + 12, 4, ipv4String(d, p + 12))
  add(h, hfBdr, p + 16, 4, ipv4String(d, p + 16))
  for (let q = p + 20; q + 4 <= end; q += 4) add(h, hfNeighbor, q, 4, ipv4String(d, q))
}

function dissectOspf(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfOspf, off, end - off)
  if (!ctx.inErrorPkt) ctx.protocol = 'OSPF'
  if (root) root.label = 'Open Shortest Path First'
  if (end - off < V3_HEADER_LEN) {
    markShort(ctx, root, off, V3_HEADER_LEN, end, 'OSPF')
    return
  }
  const d = ctx.data
  const v = ctx.view
  const version = d[off]
  const type = d[off + field.TYPE]
  const v3 = version === 3
  const hlen = v3 ? V3_HEADER_LEN : V2_HEADER_LEN
  if (end - off < hlen) {
    markShort(ctx, root, off, hlen, end, 'OSPF')
    return
  }
  const plen = v.getUint16(off + field.LENGTH)
  const stop = Math.min(end, off + Math.max(hlen, plen))
  if (root) {
    const h = add(root, hfHeader, off, hlen)
    h.label = 'OSPF Header'
    add(h, hfVersion, off, 1, version)
    add(h, hfMsg, off + 1, 1, type)
    if (type === HELLO) addHidden(h, hfMsgHello, off + 1, 1, true)
    add(h, hfLength, off + 2, 2, plen)
    add(h, hfRouter, off + 4, 4, ipv4String(d, off + 4))
    const area = ipv4String(d, off + 8)
    add(h, hfArea, off + 8, 4, area).label = `Area ID: ${area}${area === '0.0.0.0' ? ' (Backbone)' : ''}`
    const sum = v.getUint16(off + 12)
    const c = add(h, hfChecksum, off + 12, 2, sum)
    const net = ctx.net
    if (sum === 0 && !v3) c.label = 'Checksum: 0x0000 (None)'
    else if (off + plen <= end && plen >= hlen) {
      // v2: the packet without the 64-bit authentication field; v3: with the IPv6 pseudo-header
      let want: number
      if (v3 && net && net.version === 6) {
        want = expectedChecksum(d, off, off + plen, off + 12, ipv6PseudoSum(d, net.srcOff, net.pseudoDstOff ?? net.dstOff, plen, OSPF))
      } else {
        const sumAll = onesSum(d, off, off + 16, onesSum(d, off + V2_HEADER_LEN, off + plen)) - sum
        want = finish(sumAll)
      }
      c.label = want === sum ? `Checksum: ${hexPad(sum, 4)} [correct]` : `Checksum: ${hexPad(sum, 4)} [incorrect, should be ${hexPad(want, 4)}]`
    } else c.label = `Checksum: ${hexPad(sum, 4)}`
    if (v3) {
      add(h, hfInstance, off + 14, 1, d[off + 14])
      add(h, hfReserved, off + 15, 1, d.subarray(off + 15, off + 16))
    } else {
      const at = v.getUint16(off + 14)
      add(h, hfAuthType, off + 14, 2, at)
      if (at === 0) add(h, hfAuthNone, off + 16, 8, d.subarray(off + 16, off + 24))
      else addText(h, 'Auth Data', off + 16, 8)
    }
    if (type === HELLO) hello(ctx, root, off + hlen, stop, v3)
  }
  if (ctx.tree && !ctx.inErrorPkt) ctx.info = OSPF_MSG_VALS[type] ?? `Unknown (${type})`
}

byIpProto.set(89, dissectOspf)
