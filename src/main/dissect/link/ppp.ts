// PPP framing as GRE (PPTP) carries it (RFC 1661/1662): optional address/control bytes
// (0xff 0x03), a 1- or 2-byte protocol, then the protocol: LCP here, IP/IPv6 through the
// EtherType table.
import { addLayer, markShort, type Dissector, type PacketContext } from '../context'
import { byEthertype, dissectData } from '../dispatch'
import { add, addText, defineField, defineProtocol, type FieldNode } from '../fields'
import { byGreProto } from '../net/gre'
import { PPP_PROTO_VALS } from './values'

const PPP_IP = 0x0021
const PPP_IPV6 = 0x0057
const PPP_LCP = 0xc021

const hfPpp = defineProtocol('ppp', 'Point-to-Point Protocol')
const hfAddress = defineField('ppp.address', 'Address', 'uint8', { base: 'hex' })
const hfControl = defineField('ppp.control', 'Control', 'uint8', { base: 'hex' })
const hfProtocol = defineField('ppp.protocol', 'Protocol', 'uint16', { base: 'hex', strings: PPP_PROTO_VALS })

const LCP_CODES: Readonly<Record<number, string>> = {
  1: 'Configuration Request', 2: 'Configuration Ack', 3: 'Configuration Nak', 4: 'Configuration Reject',
  5: 'Termination Request', 6: 'Termination Ack', 7: 'Code Reject', 8: 'Protocol Reject', 9: 'Echo Request',
  10: 'Echo Reply', 11: 'Discard Request', 12: 'Identification', 13: 'Time Remaining'
}
const LCP_OPTS: Readonly<Record<number, string>> = {
  1: 'Maximum Receive Unit', 2: 'Async Control Character Map', 3: 'Authentication Protocol', 4: 'Quality Protocol',
  5: 'Magic Number', 7: 'Protocol Field Compression', 8: 'Address and Control Field Compression', 13: 'Callback',
  17: 'Multilink MRRU', 18: 'Multilink Short Sequence Number Header', 19: 'Multilink Endpoint Discriminator'
}

const hfLcp = defineProtocol('lcp', 'PPP Link Control Protocol')
const hfCode = defineField('ppp.code', 'Code', 'uint8', { base: 'dec', strings: LCP_CODES })
const hfIdentifier = defineField('ppp.identifier', 'Identifier', 'uint8', { base: 'dec_hex' })
const hfLength = defineField('ppp.length', 'Length', 'uint16', { base: 'dec' })
const hfMagic = defineField('lcp.magic_number', 'Magic Number', 'uint32', { base: 'hex' })
const hfOptType = defineField('lcp.opt.type', 'Type', 'uint8', { base: 'dec', strings: LCP_OPTS })
const hfOptLength = defineField('lcp.opt.length', 'Length', 'uint8', { base: 'dec' })
const hfOptMru = defineField('lcp.opt.mru', 'Maximum Receive Unit', 'uint16', { base: 'dec' })
const hfOptMagic = defineField('lcp.opt.magic_number', 'Magic Number', 'uint32', { base: 'hex' })
const hfOptMrru = defineField('lcp.opt.mrru', 'MRRU', 'uint16', { base: 'dec' })
const hfOptData = defineField('lcp.opt.data', 'Data', 'bytes')
const hfData = defineField('lcp.data', 'Data', 'bytes')

/** PPP protocol numbers → dissector. */
export const byPppProto = new Map<number, Dissector>()

function dissectPpp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfPpp, off, 0)
  if (!ctx.inErrorPkt) ctx.protocol = 'PPP'
  const d = ctx.data
  let p = off
  if (p + 2 <= end && d[p] === 0xff && d[p + 1] === 0x03) {
    if (root) {
      add(root, hfAddress, p, 1, 0xff)
      add(root, hfControl, p + 1, 1, 0x03)
    }
    p += 2
  }
  if (p >= end) {
    markShort(ctx, root, off, p - off + 2, end, 'PPP')
    return
  }
  // protocol-field compression: an odd first byte is a 1-byte protocol
  let proto: number
  if (d[p] & 1) {
    proto = d[p]
    if (root) add(root, hfProtocol, p, 1, proto)
    p += 1
  } else {
    if (p + 2 > end) {
      markShort(ctx, root, off, p - off + 2, end, 'PPP')
      return
    }
    proto = ctx.view.getUint16(p)
    if (root) add(root, hfProtocol, p, 2, proto)
    p += 2
  }
  if (root) {
    root.len = p - off
    root.label = 'Point-to-Point Protocol'
  }
  const next =
    byPppProto.get(proto) ?? (proto === PPP_IP ? byEthertype.get(0x0800) : proto === PPP_IPV6 ? byEthertype.get(0x86dd) : undefined)
  if (next) next(ctx, p, end)
  else dissectData(ctx, p, end)
}

function addLcpOptions(ctx: PacketContext, root: FieldNode, p: number, end: number): void {
  const d = ctx.data
  const names: string[] = []
  const list = addText(root, '', p, end - p)
  const start = p
  while (p + 2 <= end) {
    const t = d[p]
    const len = d[p + 1]
    if (len < 2 || p + len > end) break
    const name = LCP_OPTS[t] ?? `Unknown option ${t}`
    names.push(name)
    const o = addText(list, name, p, len)
    add(o, hfOptType, p, 1, t)
    add(o, hfOptLength, p + 1, 1, len)
    if (t === 1 && len === 4) {
      const mru = ctx.view.getUint16(p + 2)
      o.label = `${name}: ${mru}`
      add(o, hfOptMru, p + 2, 2, mru)
    } else if (t === 5 && len === 6) {
      const m = ctx.view.getUint32(p + 2)
      o.label = `${name}: 0x${m.toString(16).padStart(8, '0')}`
      add(o, hfOptMagic, p + 2, 4, m)
    } else if (t === 17 && len === 4) {
      const m = ctx.view.getUint16(p + 2)
      o.label = `${name}: ${m}`
      add(o, hfOptMrru, p + 2, 2, m)
    } else if (len > 2) add(o, hfOptData, p + 2, len - 2, d.subarray(p + 2, p + len))
    p += len
  }
  list.label = `Options: (${end - start} bytes)${names.length ? ', ' + names.join(', ') : ''}`
}

function dissectLcp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfLcp, off, end - off)
  if (!ctx.inErrorPkt) ctx.protocol = 'PPP LCP'
  if (end - off < 4) {
    markShort(ctx, root, off, 4, end, 'LCP')
    return
  }
  const d = ctx.data
  const code = d[off]
  const len = ctx.view.getUint16(off + 2)
  const stop = Math.min(end, off + Math.max(4, len))
  if (root) {
    root.label = 'PPP Link Control Protocol'
    add(root, hfCode, off, 1, code)
    add(root, hfIdentifier, off + 1, 1, d[off + 1])
    add(root, hfLength, off + 2, 2, len)
    if (code >= 1 && code <= 4) addLcpOptions(ctx, root, off + 4, stop)
    else if (code >= 9 && code <= 11 && off + 8 <= stop) {
      add(root, hfMagic, off + 4, 4, ctx.view.getUint32(off + 4))
      if (off + 8 < stop) add(root, hfData, off + 8, stop - off - 8, d.subarray(off + 8, stop))
    } else if (off + 4 < stop) add(root, hfData, off + 4, stop - off - 4, d.subarray(off + 4, stop))
  }
  if (ctx.tree && !ctx.inErrorPkt) ctx.info = LCP_CODES[code] ?? `Unknown LCP code ${code}`
}

byPppProto.set(PPP_LCP, dissectLcp)
byGreProto.set(0x880b, dissectPpp)
byEthertype.set(0x880b, dissectPpp)
