// Cisco Discovery Protocol (SNAP, Cisco OUI, PID 0x2000): the fixed header and the TLV list,
// with the common string TLVs (device ID, port, software version, platform) decoded.
import { addLayer, markShort, reportedEnd, type PacketContext } from '../context'
import { finish, onesSum } from '../net/checksum'
import { hexPad } from '../format'
import { add, addExpert, addGenerated, addText, defineField, defineProtocol } from '../fields'
import { byCiscoPid } from './llc'
import { CDP_TLV_VALS } from './values'

/** Byte ranges of the CDP header; each TLV is type(2) length(2, including these 4) value. */
const field = { VERSION: 0, TTL: 1, CHECKSUM: 2 } as const
const HEADER_LEN = 4
const TLV_HDR = 4

const TLV_DEVICE_ID = 0x0001
const TLV_PORT_ID = 0x0003
const TLV_SOFTWARE = 0x0005
const TLV_PLATFORM = 0x0006
const TLV_VTP_DOMAIN = 0x0009
const TLV_NATIVE_VLAN = 0x000a
const TLV_DUPLEX = 0x000b

const hfCdp = defineProtocol('cdp', 'Cisco Discovery Protocol')
const hfVersion = defineField('cdp.version', 'Version', 'uint8', { base: 'dec' })
const hfTtl = defineField('cdp.ttl', 'TTL', 'uint8', { base: 'dec', unit: ' seconds' })
const hfChecksum = defineField('cdp.checksum', 'Checksum', 'uint16', { base: 'hex' })
const hfTlvType = defineField('cdp.tlv.type', 'Type', 'uint16', { base: 'hex', strings: CDP_TLV_VALS })
const hfTlvLen = defineField('cdp.tlv.len', 'Length', 'uint16', { base: 'dec' })
const hfDeviceId = defineField('cdp.deviceid', 'Device ID', 'string')
const hfPortId = defineField('cdp.portid', 'Sent through Interface', 'string')
const hfSoftware = defineField('cdp.software_version', 'Software version', 'string')
const hfPlatform = defineField('cdp.platform', 'Platform', 'string')
const hfVtpDomain = defineField('cdp.vtp_management_domain', 'VTP Management Domain', 'string')
const hfNativeVlan = defineField('cdp.native_vlan', 'Native VLAN', 'uint16', { base: 'dec' })
const hfDuplex = defineField('cdp.duplex', 'Duplex', 'bool', { tfs: ['Full', 'Half'] })

const hfChecksumStatus = defineField('cdp.checksum.status', 'Checksum Status', 'uint8', { strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } })

const latin1 = new TextDecoder('latin1')

/**
 * The Internet checksum over the whole CDP packet. Cisco's odd-length variant treats the last
 * byte as a signed 16-bit value; Wireshark accepts either, and so does this.
 */
function cdpChecksumOk(d: Uint8Array, off: number, end: number): boolean {
  if (finish(onesSum(d, off, end)) === 0) return true
  if ((end - off) % 2 === 1) {
    const last = d[end - 1]
    const sum = onesSum(d, off, end - 1) + (last & 0x80 ? 0xff00 | last : last)
    return finish(sum) === 0
  }
  return false
}

function text(d: Uint8Array, start: number, end: number): string {
  let e = start
  while (e < end && d[e] !== 0) e++
  return latin1.decode(d.subarray(start, e))
}

function dissectCdp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfCdp, off, end - off)
  ctx.protocol = 'CDP'
  if (end - off < HEADER_LEN) {
    markShort(ctx, root, off, HEADER_LEN, end, 'CDP')
    return
  }
  const d = ctx.data
  if (root) {
    add(root, hfVersion, off + field.VERSION, 1, d[off + field.VERSION])
    add(root, hfTtl, off + field.TTL, 1, d[off + field.TTL])
    const sum = ctx.view.getUint16(off + field.CHECKSUM)
    const c = add(root, hfChecksum, off + field.CHECKSUM, 2, sum)
    const net = reportedEnd(ctx, end)
    if (net === end) {
      const ok = cdpChecksumOk(d, off, end)
      c.label = `Checksum: ${hexPad(sum, 4)} ${ok ? '[correct]' : '[incorrect]'}`
      const st = addGenerated(root, hfChecksumStatus, off + field.CHECKSUM, 0, ok ? 1 : 0)
      st.label = `Checksum Status: ${ok ? 'Good' : 'Bad'}`
      if (!ok) addExpert(c, 'error', 'checksum', 'Bad checksum')
    } else c.label = `Checksum: ${hexPad(sum, 4)} [unverified]`
  }
  let device = ''
  let port = ''
  let p = off + HEADER_LEN
  while (p + TLV_HDR <= end) {
    const type = ctx.view.getUint16(p)
    const len = ctx.view.getUint16(p + 2)
    if (len < TLV_HDR) {
      markShort(ctx, root, p, TLV_HDR, p + len, 'CDP')
      return
    }
    const vEnd = Math.min(p + len, end)
    const v = p + TLV_HDR
    if (type === TLV_DEVICE_ID) device = text(d, v, vEnd)
    else if (type === TLV_PORT_ID) port = text(d, v, vEnd)
    if (root) {
      const name = CDP_TLV_VALS[type] ?? 'Unknown'
      const t = addText(root, name, p, vEnd - p)
      add(t, hfTlvType, p, 2, type)
      add(t, hfTlvLen, p + 2, 2, len)
      switch (type) {
        case TLV_DEVICE_ID:
          t.label = `Device ID: ${device}`
          add(t, hfDeviceId, v, vEnd - v, device)
          break
        case TLV_PORT_ID:
          t.label = `Port ID: ${port}`
          add(t, hfPortId, v, vEnd - v, port)
          break
        case TLV_PLATFORM: {
          const s = text(d, v, vEnd)
          t.label = `Platform: ${s}`
          add(t, hfPlatform, v, vEnd - v, s)
          break
        }
        case TLV_VTP_DOMAIN: {
          const s = text(d, v, vEnd)
          t.label = `VTP Management Domain: ${s}`
          add(t, hfVtpDomain, v, vEnd - v, s)
          break
        }
        case TLV_SOFTWARE: {
          t.label = 'Software Version'
          // one field per line, as Wireshark shows it
          let s = v
          for (let i = v; i <= vEnd; i++) {
            if (i === vEnd || d[i] === 0x0a || d[i] === 0) {
              if (i > s) add(t, hfSoftware, s, i - s, latin1.decode(d.subarray(s, i)))
              s = i + 1
              if (i < vEnd && d[i] === 0) break
            }
          }
          break
        }
        case TLV_NATIVE_VLAN:
          if (v + 2 <= vEnd) {
            const vlan = ctx.view.getUint16(v)
            t.label = `Native VLAN: ${vlan}`
            add(t, hfNativeVlan, v, 2, vlan)
          }
          break
        case TLV_DUPLEX:
          if (v < vEnd) {
            t.label = `Duplex: ${d[v] ? 'Full' : 'Half'}`
            add(t, hfDuplex, v, 1, d[v] !== 0)
          }
          break
      }
    }
    p += len
  }
  if (ctx.tree && !ctx.inErrorPkt) ctx.info = (device ? `Device ID: ${device}  ` : '') + (port ? `Port ID: ${port}  ` : '')
}

byCiscoPid.set(0x2000, dissectCdp)
