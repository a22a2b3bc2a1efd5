// IEEE 802.2 Logical-Link Control, with SNAP (RFC 1042): what follows an 802.3 length field.
// SNAP with OUI 00-00-00 carries an EtherType; Cisco's OUI carries CDP among others.
import { addLayer, markShort, type Dissector, type PacketContext } from '../context'
import { byEthertype, dissectData, handOff } from '../dispatch'
import { add, defineField, defineProtocol } from '../fields'
import { bitPattern } from '../label'
import { ETHERTYPE_VALS, LLC_U_CMD_VALS, SAP_VALS } from './values'

/** Byte ranges of the LLC header (IEEE 802.2 clause 3) and the SNAP extension after a 1-byte control. */
const field = { DSAP: 0, SSAP: 1, CONTROL: 2, OUI: 3, PID: 6 } as const
const MIN_LEN = 3
const SNAP_LEN = 8
const SAP_SNAP = 0xaa
const OUI_ENCAP_ETHER = 0x000000
const OUI_CISCO_90 = 0x0000f8
const OUI_CISCO = 0x00000c

const hfLlc = defineProtocol('llc', 'Logical-Link Control')
const hfDsap = defineField('llc.dsap', 'DSAP', 'uint8', { base: 'hex', strings: SAP_VALS })
const hfDsapSap = defineField('llc.dsap.sap', 'SAP', 'uint8', { mask: 0xfe })
const hfDsapIg = defineField('llc.dsap.ig', 'IG Bit', 'bool', { mask: 0x01, maskBits: 8, tfs: ['Group', 'Individual'] })
const hfSsap = defineField('llc.ssap', 'SSAP', 'uint8', { base: 'hex', strings: SAP_VALS })
const hfSsapSap = defineField('llc.ssap.sap', 'SAP', 'uint8', { mask: 0xfe })
const hfSsapCr = defineField('llc.ssap.cr', 'CR Bit', 'bool', { mask: 0x01, maskBits: 8, tfs: ['Response', 'Command'] })
const hfControl = defineField('llc.control', 'Control', 'uint16', { base: 'hex' })
const hfUCmd = defineField('llc.control.u_modifier_cmd', 'Command', 'uint8', { base: 'hex', mask: 0xec, strings: LLC_U_CMD_VALS })
// Wireshark registers llc.control.ftype twice; this is the 8-bit U/S-frame one (mask 0x03)
const hfFtype = defineField('llc.control.ftype', 'Frame type', 'uint8', {
  base: 'hex',
  mask: 0x03,
  strings: { 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' }
})
const hfOui = defineField('llc.oui', 'Organization Code', 'uint24', { base: 'oui' })
const hfPid = defineField('llc.pid', 'Protocol ID', 'uint16', { base: 'hex' })
const hfType = defineField('llc.type', 'Type', 'uint16', { base: 'hex', strings: ETHERTYPE_VALS })
const hfCiscoPid = defineField('llc.cisco_pid', 'PID', 'uint16', { base: 'hex', strings: { 0x0102: 'DRiP', 0x0104: 'PAgP', 0x0105: 'MLS Hello', 0x010b: 'PVSTP+', 0x0111: 'UDLD', 0x2000: 'CDP', 0x2003: 'VTP', 0x2004: 'DTP', 0x200a: 'STP Uplink Fast' } })

/** LLC SAPs (the DSAP) → dissector, for frames that are not SNAP; STP registers itself. */
export const bySap = new Map<number, Dissector>()

/** Cisco SNAP protocol IDs (llc.cisco_pid) → dissector; CDP registers itself. */
export const byCiscoPid = new Map<number, Dissector>()

const U_FUNC: Readonly<Record<number, string>> = { 0x00: 'UI', 0x0c: 'DM', 0x40: 'DISC', 0x60: 'UA', 0x6c: 'SABME', 0x84: 'FRMR', 0xac: 'XID', 0xe0: 'TEST' }

function ouiText(oui: number): string {
  const h = oui.toString(16).padStart(6, '0')
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`
}

export function dissectLlc(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfLlc, off, Math.max(0, Math.min(end - off, SNAP_LEN)))
  if (!ctx.inErrorPkt) ctx.protocol = 'LLC'
  if (end - off < MIN_LEN) {
    markShort(ctx, root, off, MIN_LEN, end, 'LLC')
    return
  }
  const d = ctx.data
  const dsap = d[off + field.DSAP]
  const ssap = d[off + field.SSAP]
  const control = d[off + field.CONTROL]
  const uFrame = (control & 0x03) === 0x03
  const ctlLen = uFrame ? 1 : 2
  if (root) {
    root.label = 'Logical-Link Control'
    const ds = add(root, hfDsap, off, 1, dsap)
    add(ds, hfDsapSap, off, 1, dsap >> 1).label = bitPattern(hfDsapSap, dsap >> 1) + `SAP: ${SAP_VALS[dsap & 0xfe] ?? 'Unknown'}`
    add(ds, hfDsapIg, off, 1, (dsap & 1) !== 0)
    const ss = add(root, hfSsap, off + 1, 1, ssap)
    add(ss, hfSsapSap, off + 1, 1, ssap >> 1).label = bitPattern(hfSsapSap, ssap >> 1) + `SAP: ${SAP_VALS[ssap & 0xfe] ?? 'Unknown'}`
    add(ss, hfSsapCr, off + 1, 1, (ssap & 1) !== 0)
  }
  if (off + MIN_LEN - 1 + ctlLen > end) {
    markShort(ctx, root, off, MIN_LEN - 1 + ctlLen, end, 'LLC')
    return
  }
  if (root) {
    if (uFrame) {
      const c = add(root, hfControl, off + field.CONTROL, 1, control)
      const mod = control & 0xec
      c.label = `Control field: U, func=${U_FUNC[mod] ?? 'Unknown'} (0x${control.toString(16).padStart(2, '0')})`
      add(c, hfUCmd, off + field.CONTROL, 1, mod >> 2)
      add(c, hfFtype, off + field.CONTROL, 1, 3)
    } else {
      const v = ctx.view.getUint16(off + field.CONTROL)
      const c = add(root, hfControl, off + field.CONTROL, 2, v)
      const kind = (control & 1) === 0 ? 'I' : 'S'
      c.label = `Control field: ${kind}, N(R)=${(v & 0xfe) >> 1} (0x${v.toString(16).padStart(4, '0')})`
    }
  }
  const after = off + 2 + ctlLen
  if (dsap !== SAP_SNAP || ssap !== SAP_SNAP || !uFrame) {
    if (root) root.len = after - off
    handOff(bySap, dsap, ctx, after, end)
    return
  }
  if (end - off < SNAP_LEN) {
    markShort(ctx, root, off, SNAP_LEN, end, 'LLC')
    return
  }
  const oui = (d[off + field.OUI] << 16) | (d[off + field.OUI + 1] << 8) | d[off + field.OUI + 2]
  const pid = ctx.view.getUint16(off + field.PID)
  if (root) {
    const o = add(root, hfOui, off + field.OUI, 3, oui)
    o.label = `Organization Code: ${ouiText(oui)}${oui === OUI_CISCO ? ' (Cisco Systems, Inc)' : oui === OUI_ENCAP_ETHER ? ' (Officially Xerox, but 0:0:0:0:0:0 is more common)' : ''}`
  }
  if (oui === OUI_ENCAP_ETHER || oui === OUI_CISCO_90) {
    // RFC 1042: the PID is an EtherType (Wireshark goes straight to the EtherType table: no "ethertype" layer)
    if (root) add(root, hfType, off + field.PID, 2, pid)
    handOff(byEthertype, pid, ctx, off + SNAP_LEN, end)
  } else if (oui === OUI_CISCO) {
    if (root) add(root, hfCiscoPid, off + field.PID, 2, pid)
    handOff(byCiscoPid, pid, ctx, off + SNAP_LEN, end)
  } else {
    if (root) add(root, hfPid, off + field.PID, 2, pid)
    dissectData(ctx, off + SNAP_LEN, end)
  }
}
