// LLDP (IEEE 802.1AB), EtherType 0x88cc: a list of TLVs (7-bit type, 9-bit length). The
// mandatory chassis ID, port ID and TTL are decoded; other TLVs are named with their bytes.
import { addLayer, markShort, type PacketContext } from '../context'
import { byEthertype } from '../dispatch'
import { add, addText, defineField, defineProtocol } from '../fields'
import { etherString } from '../format'

const TLV_END = 0
const TLV_CHASSIS = 1
const TLV_PORT = 2
const TLV_TTL = 3
const TLV_PORT_DESC = 4
const TLV_SYS_NAME = 5
const SUBTYPE_MAC_CHASSIS = 4
const SUBTYPE_MAC_PORT = 3

const TLV_NAMES: Readonly<Record<number, string>> = {
  0: 'End of LLDPDU',
  1: 'Chassis Id',
  2: 'Port Id',
  3: 'Time to Live',
  4: 'Port Description',
  5: 'System Name',
  6: 'System Description',
  7: 'System Capabilities',
  8: 'Management Address',
  127: 'Organization Specific'
}

const hfLldp = defineProtocol('lldp', 'Link Layer Discovery Protocol')
const hfTlvType = defineField('lldp.tlv.type', 'TLV Type', 'uint16', { base: 'dec', mask: 0xfe00, strings: TLV_NAMES })
const hfTlvLen = defineField('lldp.tlv.len', 'TLV Length', 'uint16', { base: 'dec', mask: 0x01ff })
const hfChassisSubtype = defineField('lldp.chassis.subtype', 'Chassis Id Subtype', 'uint8', {
  base: 'dec',
  strings: { 0: 'Reserved', 1: 'Chassis component', 2: 'Interface alias', 3: 'Port component', 4: 'MAC address', 5: 'Network address', 6: 'Interface name', 7: 'Locally assigned' }
})
const hfChassisId = defineField('lldp.chassis.id', 'Chassis Id', 'bytes')
const hfChassisMac = defineField('lldp.chassis.id.mac', 'Chassis Id', 'ether')
const hfPortSubtype = defineField('lldp.port.subtype', 'Port Id Subtype', 'uint8', {
  base: 'dec',
  strings: { 0: 'Reserved', 1: 'Interface alias', 2: 'Port component', 3: 'MAC address', 4: 'Network address', 5: 'Interface name', 6: 'Agent circuit Id', 7: 'Locally assigned' }
})
const hfPortId = defineField('lldp.port.id', 'Port Id', 'string')
const hfPortMac = defineField('lldp.port.id.mac', 'Port Id', 'ether')
const hfTtl = defineField('lldp.time_to_live', 'Seconds', 'uint16', { base: 'dec' })
const hfPortDesc = defineField('lldp.port.desc', 'Port Description', 'string')

const latin1 = new TextDecoder('latin1')

/** Wireshark's short subtype prefixes in the Info column ("MA/00:11:...", "IN/Gi0/1"). */
const CHASSIS_ABBR: Readonly<Record<number, string>> = { 1: 'CC', 2: 'IA', 3: 'PC', 4: 'MA', 5: 'NA', 6: 'IN', 7: 'LA' }
const PORT_ABBR: Readonly<Record<number, string>> = { 1: 'IA', 2: 'PC', 3: 'MA', 4: 'NA', 5: 'IN', 6: 'AC', 7: 'LA' }

function dissectLldp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfLldp, off, end - off)
  if (!ctx.inErrorPkt) ctx.protocol = 'LLDP'
  if (root) root.label = 'Link Layer Discovery Protocol'
  const d = ctx.data
  const v = ctx.view
  const info: string[] = []
  let p = off
  while (p + 2 <= end) {
    const w = v.getUint16(p)
    const type = w >> 9
    const len = w & 0x01ff
    const vEnd = p + 2 + len
    if (vEnd > end) {
      markShort(ctx, root, p, 2 + len, end, 'LLDP')
      return
    }
    const val = p + 2
    const t = root ? addText(root, TLV_NAMES[type] ?? `Unknown TLV (${type})`, p, 2 + len) : undefined
    if (t) {
      add(t, hfTlvType, p, 2, type)
      add(t, hfTlvLen, p, 2, len)
    }
    if ((type === TLV_CHASSIS || type === TLV_PORT) && len >= 1) {
      const sub = d[val]
      const mac = len === 7 && sub === (type === TLV_CHASSIS ? SUBTYPE_MAC_CHASSIS : SUBTYPE_MAC_PORT)
      const text = mac ? etherString(d, val + 1) : latin1.decode(d.subarray(val + 1, vEnd))
      info.push(`${(type === TLV_CHASSIS ? CHASSIS_ABBR : PORT_ABBR)[sub] ?? '??'}/${text}`)
      if (t) {
        t.label = `${TLV_NAMES[type]} = ${text}`
        add(t, type === TLV_CHASSIS ? hfChassisSubtype : hfPortSubtype, val, 1, sub)
        if (mac) add(t, type === TLV_CHASSIS ? hfChassisMac : hfPortMac, val + 1, 6, text)
        else if (type === TLV_CHASSIS) add(t, hfChassisId, val + 1, len - 1, d.subarray(val + 1, vEnd))
        else add(t, hfPortId, val + 1, len - 1, text)
      }
    } else if (type === TLV_TTL && len >= 2) {
      const ttl = v.getUint16(val)
      info.push(String(ttl))
      if (t) {
        t.label = `Time To Live = ${ttl} sec`
        add(t, hfTtl, val, 2, ttl)
      }
    } else if (type === TLV_PORT_DESC && t) {
      const s = latin1.decode(d.subarray(val, vEnd))
      t.label = `Port Description = ${s}`
      add(t, hfPortDesc, val, len, s)
    } else if (type === TLV_SYS_NAME) info.push(`SysN=${latin1.decode(d.subarray(val, vEnd))}`)
    p = vEnd
    if (type === TLV_END) break
  }
  if (ctx.tree && !ctx.inErrorPkt) ctx.info = info.join(' ')
  ctx.claimedEnd = p
}

byEthertype.set(0x88cc, dissectLldp)
