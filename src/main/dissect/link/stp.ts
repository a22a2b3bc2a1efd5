// Spanning Tree BPDUs (IEEE 802.1D/802.1w, LLC SAP 0x42): configuration, topology change
// notification and RST BPDUs. Timers are in 1/256 seconds.
import { addLayer, markShort, type PacketContext } from '../context'
import { add, addText, defineField, defineProtocol, TFS_YES_NO } from '../fields'
import { etherString, hexPad } from '../format'
import { bySap } from './llc'

/** Byte ranges of a configuration BPDU; a TCN BPDU stops after TYPE, an RST BPDU adds one byte. */
const field = { PROTOCOL: 0, VERSION: 2, TYPE: 3, FLAGS: 4, ROOT: 5, COST: 13, BRIDGE: 17, PORT: 25, MSG_AGE: 27, MAX_AGE: 29, HELLO: 31, FORWARD: 33, V1_LENGTH: 35 } as const
const TCN_LEN = 4
const CONFIG_LEN = 35
const TYPE_TCN = 0x80
const TYPE_RST = 0x02

const hfStp = defineProtocol('stp', 'Spanning Tree Protocol')
const hfProtocol = defineField('stp.protocol', 'Protocol Identifier', 'uint16', { base: 'hex', strings: { 0: 'Spanning Tree Protocol' } })
const hfVersion = defineField('stp.version', 'Protocol Version Identifier', 'uint8', {
  base: 'dec',
  strings: { 0: 'Spanning Tree', 2: 'Rapid Spanning Tree', 3: 'Multiple Spanning Tree', 4: 'Shortest Path Tree' }
})
const hfType = defineField('stp.type', 'BPDU Type', 'uint8', {
  base: 'hex',
  strings: { 0x00: 'Configuration', 0x80: 'Topology Change Notification', 0x02: 'Rapid/Multiple Spanning Tree' }
})
const ROLES: Readonly<Record<number, string>> = { 0: 'Unknown', 1: 'Alternate or Backup', 2: 'Root', 3: 'Designated' }
const hfFlags = defineField('stp.flags', 'BPDU flags', 'uint8', { base: 'hex' })
const hfPortRole = defineField('stp.flags.port_role', 'Port Role', 'uint8', { base: 'dec', mask: 0x0c, strings: ROLES })
const hfTcack = defineField('stp.flags.tcack', 'Topology Change Acknowledgment', 'bool', { mask: 0x80, maskBits: 8, tfs: TFS_YES_NO })
const hfAgreement = defineField('stp.flags.agreement', 'Agreement', 'bool', { mask: 0x40, maskBits: 8, tfs: TFS_YES_NO })
const hfForwarding = defineField('stp.flags.forwarding', 'Forwarding', 'bool', { mask: 0x20, maskBits: 8, tfs: TFS_YES_NO })
const hfLearning = defineField('stp.flags.learning', 'Learning', 'bool', { mask: 0x10, maskBits: 8, tfs: TFS_YES_NO })
const hfProposal = defineField('stp.flags.proposal', 'Proposal', 'bool', { mask: 0x02, maskBits: 8, tfs: TFS_YES_NO })
const hfTc = defineField('stp.flags.tc', 'Topology Change', 'bool', { mask: 0x01, maskBits: 8, tfs: TFS_YES_NO })
const hfRootPrio = defineField('stp.root.prio', 'Root Bridge Priority', 'uint16', { base: 'dec' })
const hfRootExt = defineField('stp.root.ext', 'Root Bridge System ID Extension', 'uint16', { base: 'dec' })
const hfRootHw = defineField('stp.root.hw', 'Root Bridge System ID', 'ether')
const hfRootCost = defineField('stp.root.cost', 'Root Path Cost', 'uint32', { base: 'dec' })
const hfBridgePrio = defineField('stp.bridge.prio', 'Bridge Priority', 'uint16', { base: 'dec' })
const hfBridgeExt = defineField('stp.bridge.ext', 'Bridge System ID Extension', 'uint16', { base: 'dec' })
const hfBridgeHw = defineField('stp.bridge.hw', 'Bridge System ID', 'ether')
const hfPort = defineField('stp.port', 'Port identifier', 'uint16', { base: 'hex' })
const hfMsgAge = defineField('stp.msg_age', 'Message Age', 'double')
const hfMaxAge = defineField('stp.max_age', 'Max Age', 'double')
const hfHello = defineField('stp.hello', 'Hello Time', 'double')
const hfForward = defineField('stp.forward', 'Forward Delay', 'double')
const hfV1Length = defineField('stp.version_1_length', 'Version 1 Length', 'uint8', { base: 'dec' })

function bridgeId(ctx: PacketContext, at: number): { prio: number; ext: number; mac: string; text: string } {
  const w = ctx.view.getUint16(at)
  const mac = etherString(ctx.data, at + 2)
  return { prio: w & 0xf000, ext: w & 0x0fff, mac, text: `${w & 0xf000} / ${w & 0x0fff} / ${mac}` }
}

function dissectStp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfStp, off, end - off)
  if (!ctx.inErrorPkt) ctx.protocol = 'STP'
  if (root) root.label = 'Spanning Tree Protocol'
  if (end - off < TCN_LEN) {
    markShort(ctx, root, off, TCN_LEN, end, 'STP')
    return
  }
  const d = ctx.data
  const v = ctx.view
  const type = d[off + field.TYPE]
  if (root) {
    add(root, hfProtocol, off, 2, v.getUint16(off))
    add(root, hfVersion, off + 2, 1, d[off + 2])
    add(root, hfType, off + 3, 1, type)
  }
  if (type === TYPE_TCN) {
    if (ctx.tree && !ctx.inErrorPkt) ctx.info = 'Topology Change Notification'
    ctx.claimedEnd = off + TCN_LEN
    return
  }
  const need = type === TYPE_RST ? CONFIG_LEN + 1 : CONFIG_LEN
  if (end - off < need) {
    markShort(ctx, root, off, need, end, 'STP')
    return
  }
  const flags = d[off + field.FLAGS]
  const rootId = bridgeId(ctx, off + field.ROOT)
  const cost = v.getUint32(off + field.COST)
  const bridge = bridgeId(ctx, off + field.BRIDGE)
  const port = v.getUint16(off + field.PORT)
  if (root) {
    const f = add(root, hfFlags, off + field.FLAGS, 1, flags)
    const names: string[] = []
    if (flags & 0x80) names.push('Topology Change Acknowledgment')
    if (type === TYPE_RST) {
      if (flags & 0x40) names.push('Agreement')
      if (flags & 0x20) names.push('Forwarding')
      if (flags & 0x10) names.push('Learning')
      names.push(`Port Role: ${ROLES[(flags >> 2) & 3]}`)
      if (flags & 0x02) names.push('Proposal')
    }
    if (flags & 0x01) names.push('Topology Change')
    f.label = `BPDU flags: ${hexPad(flags, 2)}${names.length ? ', ' + names.join(', ') : ''}`
    add(f, hfTcack, off + field.FLAGS, 1, (flags & 0x80) !== 0)
    if (type === TYPE_RST) {
      add(f, hfAgreement, off + field.FLAGS, 1, (flags & 0x40) !== 0)
      add(f, hfForwarding, off + field.FLAGS, 1, (flags & 0x20) !== 0)
      add(f, hfLearning, off + field.FLAGS, 1, (flags & 0x10) !== 0)
      add(f, hfPortRole, off + field.FLAGS, 1, (flags >> 2) & 3)
      add(f, hfProposal, off + field.FLAGS, 1, (flags & 0x02) !== 0)
    }
    add(f, hfTc, off + field.FLAGS, 1, (flags & 0x01) !== 0)
    const r = addText(root, `Root Identifier: ${rootId.text}`, off + field.ROOT, 8)
    add(r, hfRootPrio, off + field.ROOT, 1, rootId.prio)
    add(r, hfRootExt, off + field.ROOT, 2, rootId.ext)
    add(r, hfRootHw, off + field.ROOT + 2, 6, rootId.mac)
    add(root, hfRootCost, off + field.COST, 4, cost)
    const b = addText(root, `Bridge Identifier: ${bridge.text}`, off + field.BRIDGE, 8)
    add(b, hfBridgePrio, off + field.BRIDGE, 1, bridge.prio)
    add(b, hfBridgeExt, off + field.BRIDGE, 2, bridge.ext)
    add(b, hfBridgeHw, off + field.BRIDGE + 2, 6, bridge.mac)
    add(root, hfPort, off + field.PORT, 2, port)
    add(root, hfMsgAge, off + field.MSG_AGE, 2, v.getUint16(off + field.MSG_AGE) / 256)
    add(root, hfMaxAge, off + field.MAX_AGE, 2, v.getUint16(off + field.MAX_AGE) / 256)
    add(root, hfHello, off + field.HELLO, 2, v.getUint16(off + field.HELLO) / 256)
    add(root, hfForward, off + field.FORWARD, 2, v.getUint16(off + field.FORWARD) / 256)
    if (type === TYPE_RST) add(root, hfV1Length, off + field.V1_LENGTH, 1, d[off + field.V1_LENGTH])
  }
  if (ctx.tree && !ctx.inErrorPkt) {
    const kind = type === TYPE_RST ? 'RST.' : 'Conf.'
    ctx.info = `${kind}${flags & 0x01 ? ' TC +' : ''} Root = ${rootId.prio}/${rootId.ext}/${rootId.mac}  Cost = ${cost}  Port = ${hexPad(port, 4)}`
  }
  ctx.claimedEnd = off + need
}

bySap.set(0x42, dissectStp)
