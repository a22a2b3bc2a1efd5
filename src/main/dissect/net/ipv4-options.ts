// IPv4 options (RFC 791 and successors): record route, timestamp, router alert, basic and
// commercial (CIPSO) security, loose/strict source route; others are shown raw. Each option is
// type(1) [length(1) data], except EOL and NOP which are a single byte.
import type { PacketContext } from '../context'
import { add, addExpert, addHidden, addText, defineField, defineProtocol, TFS_YES_NO, type FieldDef, type FieldNode } from '../fields'
import { hexString, ipv4String } from '../format'
import { IP_OPT_CLASS_VALS, IP_OPT_NUMBER_VALS, IP_SEC_CL_VALS } from './values'

export const IPOPT_EOL = 0
export const IPOPT_NOP = 1
const IPOPT_SEC = 130
const IPOPT_LSR = 131
const IPOPT_TS = 68
const IPOPT_CIPSO = 134
const IPOPT_RR = 7
const IPOPT_SID = 136
const IPOPT_SSR = 137
const IPOPT_RA = 148

/** Option subtree names and titles, as Wireshark registers them (name-only protocols). */
const OPTIONS: Readonly<Record<number, [string, string]>> = {
  0: ['ip.options.eol', 'End of Options List (EOL)'],
  1: ['ip.options.nop', 'No-Operation (NOP)'],
  130: ['ip.options.security', 'Security'],
  131: ['ip.options.route', 'Loose Source Route'],
  68: ['ip.options.timestamp', 'Time Stamp'],
  133: ['ip.options.ext_security', 'Extended Security'],
  134: ['ip.options.cipso', 'Commercial Security'],
  7: ['ip.options.record_route', 'Record Route'],
  136: ['ip.options.sid', 'Stream ID'],
  137: ['ip.options.source_route', 'Strict Source Route'],
  11: ['ip.options.mtu_probe', 'MTU Probe'],
  12: ['ip.options.mtu_reply', 'MTU Reply'],
  82: ['ip.options.traceroute', 'Traceroute'],
  148: ['ip.options.routeralert', 'Router Alert'],
  149: ['ip.options.sdb', 'Selective Directed Broadcast'],
  25: ['ip.options.qs', 'Quick-Start']
}
const optionDefs = new Map<number, FieldDef>()
for (const [k, [name, title]] of Object.entries(OPTIONS)) optionDefs.set(Number(k), defineProtocol(name, `IP Option - ${title}`))

const hfOptType = defineField('ip.opt.type', 'Type', 'uint8', { base: 'dec' })
const hfOptCopy = defineField('ip.opt.type.copy', 'Copy on fragmentation', 'bool', { mask: 0x80, maskBits: 8, tfs: TFS_YES_NO })
const hfOptClass = defineField('ip.opt.type.class', 'Class', 'uint8', { base: 'dec', mask: 0x60, strings: IP_OPT_CLASS_VALS })
const hfOptNumber = defineField('ip.opt.type.number', 'Number', 'uint8', { base: 'dec', mask: 0x1f, strings: IP_OPT_NUMBER_VALS })
const hfOptLen = defineField('ip.opt.len', 'Length', 'uint8', { base: 'dec' })
const hfOptPtr = defineField('ip.opt.ptr', 'Pointer', 'uint8', { base: 'dec' })
const hfRa = defineField('ip.opt.ra', 'Router Alert', 'uint16', { base: 'dec', strings: { 0: 'Router shall examine packet' } })
const hfRecRt = defineField('ip.rec_rt', 'Recorded Route', 'ipv4')
const hfRecRtHost = defineField('ip.rec_rt_host', 'Recorded Route Host', 'string')
const hfEmptyRt = defineField('ip.empty_rt', 'Empty Route', 'ipv4')
const hfEmptyRtHost = defineField('ip.empty_rt_host', 'Empty Route Host', 'string')
const hfSrcRt = defineField('ip.src_rt', 'Source Route', 'ipv4')
const hfSrcRtHost = defineField('ip.src_rt_host', 'Source Route Host', 'string')
const hfOverflow = defineField('ip.opt.overflow', 'Overflow', 'uint8', { base: 'dec', mask: 0xf0 })
const hfFlag = defineField('ip.opt.flag', 'Flag', 'uint8', {
  base: 'hex',
  mask: 0x0f,
  strings: { 0: 'Time stamps only', 1: 'Time stamp and address', 3: 'Time stamps for prespecified addresses' }
})
const hfTs = defineField('ip.opt.time_stamp', 'Time stamp', 'uint32', { base: 'dec' })
const hfTsAddr = defineField('ip.opt.time_stamp_addr', 'Address', 'ipv4')
const hfSecCl = defineField('ip.opt.sec_cl', 'Classification Level', 'uint8', { base: 'hex', strings: IP_SEC_CL_VALS })
const hfSecProtAuth = defineField('ip.opt.sec_prot_auth_flags', 'Protection Authority Flags', 'uint8', { base: 'hex' })
const hfSid = defineField('ip.opt.sid', 'Stream Identifier', 'uint16', { base: 'dec' })
const hfCipsoDoi = defineField('ip.cipso.doi', 'DOI', 'uint32', { base: 'dec' })
const hfCipsoTagType = defineField('ip.cipso.tag_type', 'Tag Type', 'uint8', {
  base: 'dec',
  strings: { 0: 'Invalid', 1: 'Restrictive Category Bitmap', 2: 'Enumerated Categories', 5: 'Ranged Categories', 6: 'Permissive Categories', 7: 'Free Form' }
})
const hfCipsoLevel = defineField('ip.cipso.sensitivity_level', 'Sensitivity Level', 'uint8', { base: 'dec' })
const hfCipsoCategories = defineField('ip.cipso.categories', 'Categories', 'string')
const hfCipsoTagData = defineField('ip.cipso.tag_data', 'Tag data', 'bytes')
const hfOptPayload = defineField('ip.opt.padding', 'Padding', 'bytes')
const hfDst = defineField('ip.dst', 'Destination Address', 'ipv4')
const hfAddr = defineField('ip.addr', 'Source or Destination Address', 'ipv4')
const hfDstHost = defineField('ip.dst_host', 'Destination Host', 'string')
const hfHost = defineField('ip.host', 'Source or Destination Host', 'string')

/**
 * Offset of the final destination carried by a loose/strict source route option (its last
 * address), or -1. Wireshark shows that address as ip.dst and the header's as ip.cur_rt.
 */
export function sourceRouteDst(d: Uint8Array, off: number, end: number): number {
  let p = off
  while (p < end) {
    const t = d[p]
    if (t === IPOPT_EOL) break
    if (t === IPOPT_NOP) {
      p++
      continue
    }
    if (p + 1 >= end) break
    const len = d[p + 1]
    if (len < 2 || p + len > end) break
    if ((t === IPOPT_LSR || t === IPOPT_SSR) && len >= 7 && (len - 3) % 4 === 0) return p + len - 4
    p += len
  }
  return -1
}

function typeNode(parent: FieldNode, off: number, t: number): void {
  const n = add(parent, hfOptType, off, 1, t)
  add(n, hfOptCopy, off, 1, (t & 0x80) !== 0)
  add(n, hfOptClass, off, 1, (t & 0x60) >> 5)
  add(n, hfOptNumber, off, 1, t & 0x1f)
}

function addRoute(parent: FieldNode, d: Uint8Array, at: number, hf: FieldDef, hfHost: FieldDef, next: boolean): void {
  const a = ipv4String(d, at)
  const n = add(parent, hf, at, 4, a)
  if (next) n.label = `${hf.title}: ${a} <- (next)`
  addHidden(parent, hfHost, at, 4, a)
}

function cipso(ctx: PacketContext, opt: FieldNode, p: number, len: number): void {
  const d = ctx.data
  if (len < 6) return
  add(opt, hfCipsoDoi, p + 2, 4, ctx.view.getUint32(p + 2))
  let q = p + 6
  const end = p + len
  while (q + 2 <= end) {
    const tag = d[q]
    const tlen = d[q + 1]
    if (tlen < 2 || q + tlen > end) break
    add(opt, hfCipsoTagType, q, 1, tag)
    if ((tag === 1 || tag === 2 || tag === 5) && tlen >= 4) {
      add(opt, hfCipsoLevel, q + 3, 1, d[q + 3])
      const cats: number[] = []
      if (tag === 1) {
        for (let i = q + 4; i < q + tlen; i++) for (let b = 0; b < 8; b++) if (d[i] & (0x80 >> b)) cats.push((i - q - 4) * 8 + b)
      } else if (tag === 2) {
        for (let i = q + 4; i + 1 < q + tlen; i += 2) cats.push(ctx.view.getUint16(i))
      } else {
        for (let i = q + 4; i + 1 < q + tlen; i += 2) cats.push(ctx.view.getUint16(i))
      }
      if (q + 4 < q + tlen) add(opt, hfCipsoCategories, q + 4, tlen - 4, cats.join(','))
    } else if (tlen > 2) add(opt, hfCipsoTagData, q + 2, tlen - 2, d.subarray(q + 2, q + tlen))
    q += tlen
  }
}

/**
 * Adds the "Options: (N bytes), ..." subtree for the option bytes [off, end) to `root`.
 * `finalDstOff` is sourceRouteDst()'s answer, where ip.dst is shown.
 */
export function addIpv4Options(ctx: PacketContext, root: FieldNode, off: number, end: number, finalDstOff: number): void {
  const d = ctx.data
  const names: string[] = []
  const list = addText(root, '', off, end - off)
  let p = off
  while (p < end) {
    const t = d[p]
    const def = optionDefs.get(t)
    const title = def ? def.title.slice('IP Option - '.length) : `Unknown (0x${t.toString(16).padStart(2, '0')})`
    if (t === IPOPT_EOL || t === IPOPT_NOP) {
      const n = add(list, def as FieldDef, p, 1)
      n.label = def?.title
      typeNode(n, p, t)
      p++
      if (t === IPOPT_EOL) break
      continue
    }
    if (p + 1 >= end) {
      addExpert(addText(list, `IP Option - ${title}`, p, end - p), 'warn', 'protocol', 'Invalid length for option')
      break
    }
    const len = d[p + 1]
    if (len < 2 || p + len > end) {
      const n = addText(list, `IP Option - ${title} (${len} bytes)`, p, end - p)
      typeNode(n, p, t)
      add(n, hfOptLen, p + 1, 1, len)
      addExpert(n, 'warn', 'protocol', 'Invalid length for option')
      ctx.malformed = true
      break
    }
    if (t !== IPOPT_EOL && t !== IPOPT_NOP) names.push(title)
    const n = def ? add(list, def, p, len) : addText(list, '', p, len)
    n.label = `IP Option - ${title} (${len} bytes)`
    typeNode(n, p, t)
    add(n, hfOptLen, p + 1, 1, len)
    switch (t) {
      case IPOPT_RA:
        if (len === 4) {
          const v = ctx.view.getUint16(p + 2)
          add(n, hfRa, p + 2, 2, v)
          n.label += `: ${v === 0 ? 'Router shall examine packet' : 'Reserved'} (${v})`
        }
        break
      case IPOPT_RR: {
        if (len < 3) break
        const ptr = d[p + 2]
        add(n, hfOptPtr, p + 2, 1, ptr)
        for (let o = 3; o + 4 <= len; o += 4) {
          if (ptr - 1 > o) addRoute(n, d, p + o, hfRecRt, hfRecRtHost, false)
          else addRoute(n, d, p + o, hfEmptyRt, hfEmptyRtHost, ptr - 1 === o)
        }
        break
      }
      case IPOPT_LSR:
      case IPOPT_SSR: {
        if (len < 3) break
        const ptr = d[p + 2]
        add(n, hfOptPtr, p + 2, 1, ptr)
        for (let o = 3; o + 4 <= len; o += 4) {
          if (ptr - 1 > o) addRoute(n, d, p + o, hfRecRt, hfRecRtHost, false)
          else if (len - o > 4) addRoute(n, d, p + o, hfSrcRt, hfSrcRtHost, ptr - 1 === o)
          else if (p + o === finalDstOff) {
            const a = ipv4String(d, p + o)
            add(n, hfDst, p + o, 4, a)
            addHidden(n, hfAddr, p + o, 4, a)
            addHidden(n, hfDstHost, p + o, 4, a)
            addHidden(n, hfHost, p + o, 4, a)
          }
        }
        break
      }
      case IPOPT_TS: {
        if (len < 4) break
        const ptr = d[p + 2]
        add(n, hfOptPtr, p + 2, 1, ptr)
        const of = d[p + 3]
        add(n, hfOverflow, p + 3, 1, of >> 4)
        const flag = of & 0x0f
        add(n, hfFlag, p + 3, 1, flag)
        const withAddr = flag === 1 || flag === 3
        for (let o = 4; o + (withAddr ? 8 : 4) <= len; o += withAddr ? 8 : 4) {
          if (withAddr) {
            const a = p + o
            const zero = d[a] === 0 && d[a + 1] === 0 && d[a + 2] === 0 && d[a + 3] === 0
            const an = add(n, hfTsAddr, a, 4, ipv4String(d, a))
            if (zero) an.label = 'Address: -'
            add(n, hfTs, a + 4, 4, ctx.view.getUint32(a + 4))
          } else add(n, hfTs, p + o, 4, ctx.view.getUint32(p + o))
        }
        break
      }
      case IPOPT_SEC:
        if (len >= 3) add(n, hfSecCl, p + 2, 1, d[p + 2])
        if (len >= 4) add(n, hfSecProtAuth, p + 3, 1, d[p + 3])
        break
      case IPOPT_SID:
        if (len === 4) add(n, hfSid, p + 2, 2, ctx.view.getUint16(p + 2))
        break
      case IPOPT_CIPSO:
        cipso(ctx, n, p, len)
        break
      default:
        if (len > 2) n.children?.push({ name: '', off: p + 2, len: len - 2, label: `Data: ${hexString(d, p + 2, p + len)}` })
    }
    p += len
  }
  if (p < end && d[p - 1] === IPOPT_EOL) add(list, hfOptPayload, p, end - p, d.subarray(p, end))
  list.label = `Options: (${end - off} bytes)${names.length ? ', ' + names.join(', ') : ''}`
}
