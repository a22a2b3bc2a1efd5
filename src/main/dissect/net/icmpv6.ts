// ICMPv6 (RFC 4443), next header 58: errors with the quoted packet, echo, Neighbor Discovery
// (RFC 4861: router/neighbor solicitation and advertisement, redirect, with their options) and
// MLD (RFC 2710, RFC 3810). The checksum covers the IPv6 pseudo-header and is verified.
import { addLayer, markShort, type PacketContext } from '../context'
import { byEthertype, byIpProto, dissectData } from '../dispatch'
import { add, addExpert, addGenerated, addHidden, defineField, defineProtocol, TFS_SET, type FieldNode } from '../fields'
import { etherString, hexPad, ipv6String } from '../format'
import { bitString } from '../label'
import { expectedChecksum, ipv6PseudoSum } from './checksum'
import { dissectQuoted } from './quoted'
import { ICMPV6_TYPE_VALS } from './values'

/** Byte ranges of the ICMPv6 header; the message body starts at 4. */
const field = { TYPE: 0, CODE: 1, CHECKSUM: 2, BODY: 4 } as const
const HEADER_LEN = 4
const ICMPV6 = 58

const UNREACH = 1
const TOO_BIG = 2
const TIME_EXCEEDED = 3
const PARAM_PROBLEM = 4
const ECHO_REQUEST = 128
const ECHO_REPLY = 129
const MLD_QUERY = 130
const MLD_REPORT = 131
const MLD_DONE = 132
const ND_RS = 133
const ND_RA = 134
const ND_NS = 135
const ND_NA = 136
const ND_REDIRECT = 137
const MLDV2_REPORT = 143

const CODE_VALS: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  1: {
    0: 'no route to destination',
    1: 'Administratively prohibited',
    2: 'Beyond scope of source address',
    3: 'Address unreachable',
    4: 'Port unreachable',
    5: 'Source address failed ingress/egress policy',
    6: 'Reject route to destination',
    7: 'Error in Source Routing Header'
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered' }
}

const OPT_NAMES: Readonly<Record<number, string>> = {
  1: 'Source link-layer address',
  2: 'Target link-layer address',
  3: 'Prefix information',
  4: 'Redirected header',
  5: 'MTU',
  25: 'Recursive DNS Server',
  31: 'DNS Search List'
}
const MAR_TYPES: Readonly<Record<number, string>> = {
  1: 'Include',
  2: 'Exclude',
  3: 'Changed to include',
  4: 'Changed to exclude',
  5: 'Allow new sources',
  6: 'Block old sources'
}

const hfIcmpv6 = defineProtocol('icmpv6', 'Internet Control Message Protocol v6')
const hfType = defineField('icmpv6.type', 'Type', 'uint8', { base: 'dec', strings: ICMPV6_TYPE_VALS })
const hfCode = defineField('icmpv6.code', 'Code', 'uint8', { base: 'dec' })
const hfChecksum = defineField('icmpv6.checksum', 'Checksum', 'uint16', { base: 'hex' })
const hfChecksumStatus = defineField('icmpv6.checksum.status', 'Checksum Status', 'uint8', { strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } })
const hfReserved = defineField('icmpv6.reserved', 'Reserved', 'bytes')
const hfMtu = defineField('icmpv6.mtu', 'MTU', 'uint32', { base: 'dec' })
const hfPointer = defineField('icmpv6.pointer', 'Pointer', 'uint32', { base: 'dec' })
const hfEchoId = defineField('icmpv6.echo.identifier', 'Identifier', 'uint16', { base: 'hex' })
const hfEchoSeq = defineField('icmpv6.echo.sequence_number', 'Sequence', 'uint16', { base: 'dec' })
const hfRaHop = defineField('icmpv6.nd.ra.cur_hop_limit', 'Cur hop limit', 'uint8', { base: 'dec' })
const hfRaFlag = defineField('icmpv6.nd.ra.flag', 'Flags', 'uint8', { base: 'hex' })
const hfRaFlagM = defineField('icmpv6.nd.ra.flag.m', 'Managed address configuration', 'bool', { mask: 0x80, maskBits: 8, tfs: TFS_SET })
const hfRaFlagO = defineField('icmpv6.nd.ra.flag.o', 'Other configuration', 'bool', { mask: 0x40, maskBits: 8, tfs: TFS_SET })
const hfRaLifetime = defineField('icmpv6.nd.ra.router_lifetime', 'Router lifetime (s)', 'uint16', { base: 'dec' })
const hfRaReachable = defineField('icmpv6.nd.ra.reachable_time', 'Reachable time (ms)', 'uint32', { base: 'dec' })
const hfRaRetrans = defineField('icmpv6.nd.ra.retrans_timer', 'Retrans timer (ms)', 'uint32', { base: 'dec' })
const hfNsTarget = defineField('icmpv6.nd.ns.target_address', 'Target Address', 'ipv6')
const hfNaFlag = defineField('icmpv6.nd.na.flag', 'Flags', 'uint32', { base: 'hex' })
const hfNaFlagR = defineField('icmpv6.nd.na.flag.r', 'Router', 'bool', { mask: 0x80000000, maskBits: 32, tfs: TFS_SET })
const hfNaFlagS = defineField('icmpv6.nd.na.flag.s', 'Solicited', 'bool', { mask: 0x40000000, maskBits: 32, tfs: TFS_SET })
const hfNaFlagO = defineField('icmpv6.nd.na.flag.o', 'Override', 'bool', { mask: 0x20000000, maskBits: 32, tfs: TFS_SET })
const hfNaTarget = defineField('icmpv6.nd.na.target_address', 'Target Address', 'ipv6')
const hfRdTarget = defineField('icmpv6.nd.rd.target_address', 'Target Address', 'ipv6')
const hfRdDest = defineField('icmpv6.rd.na.destination_address', 'Destination Address', 'ipv6')
const hfOpt = defineField('icmpv6.opt', 'ICMPv6 Option', 'none')
const hfOptType = defineField('icmpv6.opt.type', 'Type', 'uint8', { base: 'dec', strings: OPT_NAMES })
const hfOptLength = defineField('icmpv6.opt.length', 'Length', 'uint8', { base: 'dec' })
const hfOptLinkaddr = defineField('icmpv6.opt.linkaddr', 'Link-layer address', 'ether')
const hfOptSrcLinkaddr = defineField('icmpv6.opt.src_linkaddr', 'Source Link-layer address', 'ether')
const hfOptTargetLinkaddr = defineField('icmpv6.opt.target_linkaddr', 'Target Link-layer address', 'ether')
const hfOptPrefixLen = defineField('icmpv6.opt.prefix.length', 'Prefix Length', 'uint8', { base: 'dec' })
const hfOptPrefixFlag = defineField('icmpv6.opt.prefix.flag', 'Flag', 'uint8', { base: 'hex' })
const hfOptPrefixValid = defineField('icmpv6.opt.prefix.valid_lifetime', 'Valid Lifetime', 'uint32', { base: 'dec' })
const hfOptPrefixPreferred = defineField('icmpv6.opt.prefix.preferred_lifetime', 'Preferred Lifetime', 'uint32', { base: 'dec' })
const hfOptPrefix = defineField('icmpv6.opt.prefix', 'Prefix', 'ipv6')
const hfOptMtu = defineField('icmpv6.opt.mtu', 'MTU', 'uint32', { base: 'dec' })
const hfMldDelay = defineField('icmpv6.mld.maximum_response_delay', 'Maximum Response Delay [ms]', 'uint16', { base: 'dec' })
const hfMldAddr = defineField('icmpv6.mld.multicast_address', 'Multicast Address', 'ipv6')
const hfMldrCount = defineField('icmpv6.mldr.nb_mcast_records', 'Number of Multicast Address Records', 'uint16', { base: 'dec' })
const hfMar = defineField('icmpv6.mldr.mar', 'Multicast Address Record', 'none')
const hfMarType = defineField('icmpv6.mldr.mar.record_type', 'Record Type', 'uint8', { base: 'dec', strings: MAR_TYPES })
const hfMarAux = defineField('icmpv6.mldr.mar.aux_data_len', 'Aux Data Len', 'uint8', { base: 'dec' })
const hfMarNbSrc = defineField('icmpv6.mldr.mar.nb_sources', 'Number of Sources', 'uint16', { base: 'dec' })
const hfMarAddr = defineField('icmpv6.mldr.mar.multicast_address', 'Multicast Address', 'ipv6')
const hfMarSrc = defineField('icmpv6.mldr.mar.source_address', 'Source Address', 'ipv6')
const hfData = defineField('icmpv6.data', 'Data', 'bytes')

/** ND options from `p` to `end`; returns the link-layer address of the first one, for the Info column. */
function addNdOptions(ctx: PacketContext, root: FieldNode | undefined, p: number, end: number): string {
  const d = ctx.data
  let lladdr = ''
  while (p + 2 <= end) {
    const type = d[p]
    const units = d[p + 1]
    const len = units * 8
    if (len === 0 || p + len > end) {
      if (root) {
        const o = add(root, hfOpt, p, end - p)
        o.label = 'ICMPv6 Option (invalid length)'
        add(o, hfOptType, p, 1, type)
        add(o, hfOptLength, p + 1, 1, units).label = `Length: ${units} (${len} bytes)`
        addExpert(o, 'error', 'malformed', 'Invalid option length')
      }
      ctx.malformed = true
      return lladdr
    }
    if ((type === 1 || type === 2) && len === 8 && !lladdr) lladdr = etherString(d, p + 2)
    if (root) {
      const o = add(root, hfOpt, p, len)
      const name = OPT_NAMES[type] ?? 'Unknown'
      o.label = `ICMPv6 Option (${name})`
      add(o, hfOptType, p, 1, type)
      add(o, hfOptLength, p + 1, 1, units).label = `Length: ${units} (${len} bytes)`
      if ((type === 1 || type === 2) && len === 8) {
        const a = etherString(d, p + 2)
        o.label = `ICMPv6 Option (${name} : ${a})`
        add(o, hfOptLinkaddr, p + 2, 6, a)
        addHidden(o, type === 1 ? hfOptSrcLinkaddr : hfOptTargetLinkaddr, p + 2, 6, a)
      } else if (type === 3 && len === 32) {
        const prefix = ipv6String(d, p + 16)
        o.label = `ICMPv6 Option (${name} : ${prefix}/${d[p + 2]})`
        add(o, hfOptPrefixLen, p + 2, 1, d[p + 2])
        add(o, hfOptPrefixFlag, p + 3, 1, d[p + 3])
        add(o, hfOptPrefixValid, p + 4, 4, ctx.view.getUint32(p + 4))
        add(o, hfOptPrefixPreferred, p + 8, 4, ctx.view.getUint32(p + 8))
        add(o, hfOptPrefix, p + 16, 16, prefix)
      } else if (type === 5 && len === 8) {
        const mtu = ctx.view.getUint32(p + 4)
        o.label = `ICMPv6 Option (${name} : ${mtu})`
        add(o, hfOptMtu, p + 4, 4, mtu)
      }
    }
    p += len
  }
  return lladdr
}

function dissectIcmpv6(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfIcmpv6, off, end - off)
  if (!ctx.inErrorPkt) ctx.protocol = 'ICMPv6'
  if (end - off < HEADER_LEN) {
    markShort(ctx, root, off, HEADER_LEN, end, 'ICMPv6')
    return
  }
  const d = ctx.data
  const v = ctx.view
  const type = d[off + field.TYPE]
  const code = d[off + field.CODE]
  const typeStr = ICMPV6_TYPE_VALS[type] ?? 'Unknown'
  const codeStr = CODE_VALS[type]?.[code]
  if (root) {
    root.label = 'Internet Control Message Protocol v6'
    add(root, hfType, off, 1, type)
    add(root, hfCode, off + 1, 1, code).label = codeStr ? `Code: ${code} (${codeStr})` : `Code: ${code}`
    const sum = v.getUint16(off + field.CHECKSUM)
    const c = add(root, hfChecksum, off + 2, 2, sum)
    const net = ctx.net
    if (net && net.version === 6 && net.payloadOff === off && off + net.payloadLen <= end && !net.fragment) {
      const pseudo = ipv6PseudoSum(d, net.srcOff, net.pseudoDstOff ?? net.dstOff, net.payloadLen, ICMPV6)
      const want = expectedChecksum(d, off, off + net.payloadLen, off + field.CHECKSUM, pseudo)
      if (want === sum) {
        c.label = `Checksum: ${hexPad(sum, 4)} [correct]`
        addGenerated(root, hfChecksumStatus, off + 2, 0, 1).label = 'Checksum Status: Good'
      } else {
        c.label = `Checksum: ${hexPad(sum, 4)} [incorrect, should be ${hexPad(want, 4)}]`
        addExpert(c, 'error', 'checksum', `Bad checksum [should be ${hexPad(want, 4)}]`)
        addGenerated(root, hfChecksumStatus, off + 2, 0, 0).label = 'Checksum Status: Bad'
      }
    } else {
      c.label = `Checksum: ${hexPad(sum, 4)} [unverified]`
      addGenerated(root, hfChecksumStatus, off + 2, 0, 2).label = 'Checksum Status: Unverified'
    }
  }
  const info = !ctx.tree || ctx.inErrorPkt ? null : ctx
  if (info) info.info = codeStr ? `${typeStr} (${codeStr})` : typeStr
  const body = off + field.BODY
  const need = (n: number): boolean => {
    if (body + n <= end) return true
    markShort(ctx, root, off, HEADER_LEN + n, end, 'ICMPv6')
    return false
  }
  switch (type) {
    case UNREACH:
    case TOO_BIG:
    case TIME_EXCEEDED:
    case PARAM_PROBLEM: {
      if (!need(4)) return
      if (root) {
        if (type === TOO_BIG) add(root, hfMtu, body, 4, v.getUint32(body))
        else if (type === PARAM_PROBLEM) add(root, hfPointer, body, 4, v.getUint32(body))
        else add(root, hfReserved, body, 4, d.subarray(body, body + 4))
      }
      const ip6 = byEthertype.get(0x86dd)
      if (ip6) dissectQuoted(ctx, root, body + 4, end, ip6)
      return
    }
    case ECHO_REQUEST:
    case ECHO_REPLY: {
      if (!need(4)) return
      const id = v.getUint16(body)
      const seq = v.getUint16(body + 2)
      if (root) {
        add(root, hfEchoId, body, 2, id)
        add(root, hfEchoSeq, body + 2, 2, seq)
      }
      if (info) info.info = `${typeStr} id=${hexPad(id, 4)}, seq=${seq}, hop limit=${ctx.net?.ttl ?? 0}`
      if (body + 4 < end) {
        const layers = ctx.layers
        if (root) ctx.layers = root.children ?? (root.children = [])
        dissectData(ctx, body + 4, end)
        ctx.layers = layers
      }
      return
    }
    case MLD_QUERY:
    case MLD_REPORT:
    case MLD_DONE:
      if (!need(20)) return
      if (root) {
        add(root, hfMldDelay, body, 2, v.getUint16(body))
        add(root, hfReserved, body + 2, 2, d.subarray(body + 2, body + 4))
        add(root, hfMldAddr, body + 4, 16, ipv6String(d, body + 4))
      }
      if (info && type !== MLD_QUERY) info.info = `${typeStr} ${ipv6String(d, body + 4)}`
      return
    case MLDV2_REPORT: {
      if (!need(4)) return
      const n = v.getUint16(body + 2)
      if (root) {
        add(root, hfReserved, body, 2, d.subarray(body, body + 2))
        add(root, hfMldrCount, body + 2, 2, n)
      }
      let p = body + 4
      for (let i = 0; i < n && p + 20 <= end; i++) {
        const nsrc = v.getUint16(p + 2)
        const len = 20 + 16 * nsrc + 4 * d[p + 1]
        if (root) {
          const rt = d[p]
          const m = add(root, hfMar, p, Math.min(len, end - p))
          m.label = `Multicast Address Record ${MAR_TYPES[rt] ?? 'Unknown'}: ${ipv6String(d, p + 4)}`
          add(m, hfMarType, p, 1, rt)
          add(m, hfMarAux, p + 1, 1, d[p + 1])
          add(m, hfMarNbSrc, p + 2, 2, nsrc)
          add(m, hfMarAddr, p + 4, 16, ipv6String(d, p + 4))
          for (let s = 0; s < nsrc && p + 20 + 16 * s + 16 <= end; s++) add(m, hfMarSrc, p + 20 + 16 * s, 16, ipv6String(d, p + 20 + 16 * s))
        }
        p += len
      }
      return
    }
    case ND_RS: {
      if (!need(4)) return
      if (root) add(root, hfReserved, body, 4, d.subarray(body, body + 4))
      const ll = addNdOptions(ctx, root, body + 4, end)
      if (info && ll) info.info = `${typeStr} from ${ll}`
      return
    }
    case ND_RA: {
      if (!need(12)) return
      if (root) {
        add(root, hfRaHop, body, 1, d[body])
        const f = d[body + 1]
        const fl = add(root, hfRaFlag, body + 1, 1, f)
        add(fl, hfRaFlagM, body + 1, 1, (f & 0x80) !== 0)
        add(fl, hfRaFlagO, body + 1, 1, (f & 0x40) !== 0)
        add(root, hfRaLifetime, body + 2, 2, v.getUint16(body + 2))
        add(root, hfRaReachable, body + 4, 4, v.getUint32(body + 4))
        add(root, hfRaRetrans, body + 8, 4, v.getUint32(body + 8))
      }
      const ll = addNdOptions(ctx, root, body + 12, end)
      if (info && ll) info.info = `${typeStr} from ${ll}`
      return
    }
    case ND_NS: {
      if (!need(20)) return
      const target = ipv6String(d, body + 4)
      if (root) {
        add(root, hfReserved, body, 4, d.subarray(body, body + 4))
        add(root, hfNsTarget, body + 4, 16, target)
      }
      const ll = addNdOptions(ctx, root, body + 20, end)
      if (info) info.info = `${typeStr} for ${target}${ll ? ` from ${ll}` : ''}`
      return
    }
    case ND_NA: {
      if (!need(20)) return
      const flags = v.getUint32(body)
      const target = ipv6String(d, body + 4)
      const names: string[] = []
      if (flags & 0x80000000) names.push('Router')
      if (flags & 0x40000000) names.push('Solicited')
      if (flags & 0x20000000) names.push('Override')
      if (root) {
        const fl = add(root, hfNaFlag, body, 4, flags >>> 0)
        fl.label = `Flags: 0x${(flags >>> 0).toString(16).padStart(8, '0')}${names.length ? ', ' + names.join(', ') : ''}`
        add(fl, hfNaFlagR, body, 4, (flags & 0x80000000) !== 0)
        add(fl, hfNaFlagS, body, 4, (flags & 0x40000000) !== 0)
        add(fl, hfNaFlagO, body, 4, (flags & 0x20000000) !== 0)
        fl.children?.push({ name: '', off: body, len: 4, label: bitString(0x1fffffff, 32, flags >>> 0) + `Reserved: ${flags & 0x1fffffff}` })
        add(root, hfNaTarget, body + 4, 16, target)
      }
      const ll = addNdOptions(ctx, root, body + 20, end)
      if (info) {
        const short = [flags & 0x80000000 ? 'rtr' : '', flags & 0x40000000 ? 'sol' : '', flags & 0x20000000 ? 'ovr' : ''].filter(Boolean).join(', ')
        info.info = `${typeStr} ${target}${short ? ` (${short})` : ''}${ll ? ` is at ${ll}` : ''}`
      }
      return
    }
    case ND_REDIRECT:
      if (!need(36)) return
      if (root) {
        add(root, hfReserved, body, 4, d.subarray(body, body + 4))
        add(root, hfRdTarget, body + 4, 16, ipv6String(d, body + 4))
        add(root, hfRdDest, body + 20, 16, ipv6String(d, body + 20))
      }
      addNdOptions(ctx, root, body + 36, end)
      return
    default:
      if (root && body < end) add(root, hfData, body, end - body, d.subarray(body, end))
  }
}

byIpProto.set(ICMPV6, dissectIcmpv6)
