// DNS (RFC 1035) over UDP and TCP, also mDNS and LLMNR: header, questions and resource
// records of the common types. Every read is bounded by the message end; names go through
// readDnsName (pointer-loop and length budget).
import { ipv4String, ipv6String } from '../format'
import type { PacketContext } from '../context'
import type { FieldDef, FieldNode } from '../fields'
import { defineField, node } from '../fields'
import { askMore, byTcpPort, byUdpPort, desegment, ONE_MORE_SEGMENT, onPorts } from '../transport/ports'
import { readDnsName } from './dns-name'
import { collect } from './collect'

export const DNS_TYPES: Readonly<Record<number, string>> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 12: 'PTR',
  13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 24: 'SIG', 25: 'KEY', 28: 'AAAA', 29: 'LOC',
  33: 'SRV', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 39: 'DNAME', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY',
  46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP',
  59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF',
  249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA'
}
const TYPE_TITLES: Readonly<Record<number, string>> = {
  1: 'A (Host Address)', 2: 'NS (authoritative Name Server)', 5: 'CNAME (Canonical NAME for an alias)',
  6: 'SOA (Start Of a zone of Authority)', 12: 'PTR (domain name PoinTeR)', 13: 'HINFO (host information)',
  15: 'MX (Mail eXchange)', 16: 'TXT (Text strings)', 28: 'AAAA (IPv6 Address)', 33: 'SRV (Server Selection)',
  41: 'OPT', 255: 'ANY (Request for all records)', 65: 'HTTPS (HTTPS Specific Service Endpoints)', 64: 'SVCB (General Purpose Service Endpoints)'
}
const typeTitles: Record<number, string> = {}
for (const [k, v] of Object.entries(DNS_TYPES)) typeTitles[Number(k)] = TYPE_TITLES[Number(k)] ?? v
const CLASSES: Readonly<Record<number, string>> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' }
const OPCODES: Readonly<Record<number, string>> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update'
}
const RCODES: Readonly<Record<number, string>> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused',
  6: 'Name exists', 7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone'
}

const F = {
  dns: defineField('dns', 'Domain Name System', 'protocol'),
  mdns: defineField('mdns', 'Multicast Domain Name System', 'protocol'),
  llmnr: defineField('llmnr', 'Link-local Multicast Name Resolution', 'protocol'),
  length: defineField('dns.length', 'Length', 'uint16'),
  id: defineField('dns.id', 'Transaction ID', 'uint16', { base: 'hex' }),
  flags: defineField('dns.flags', 'Flags', 'uint16', { base: 'hex' }),
  response: defineField('dns.flags.response', 'Response', 'bool', { mask: 0x8000, maskBits: 16 }),
  opcode: defineField('dns.flags.opcode', 'Opcode', 'uint16', { mask: 0x7800, maskBits: 16, strings: OPCODES }),
  authoritative: defineField('dns.flags.authoritative', 'Authoritative', 'bool', { mask: 0x0400, maskBits: 16 }),
  truncated: defineField('dns.flags.truncated', 'Truncated', 'bool', { mask: 0x0200, maskBits: 16 }),
  recdesired: defineField('dns.flags.recdesired', 'Recursion desired', 'bool', { mask: 0x0100, maskBits: 16 }),
  recavail: defineField('dns.flags.recavail', 'Recursion available', 'bool', { mask: 0x0080, maskBits: 16 }),
  z: defineField('dns.flags.z', 'Z', 'bool', { mask: 0x0040, maskBits: 16 }),
  authenticated: defineField('dns.flags.authenticated', 'Answer authenticated', 'bool', { mask: 0x0020, maskBits: 16 }),
  checkdisable: defineField('dns.flags.checkdisable', 'Non-authenticated data', 'bool', { mask: 0x0010, maskBits: 16 }),
  rcode: defineField('dns.flags.rcode', 'Reply code', 'uint16', { mask: 0x000f, maskBits: 16, strings: RCODES }),
  qdcount: defineField('dns.count.queries', 'Questions', 'uint16'),
  ancount: defineField('dns.count.answers', 'Answer RRs', 'uint16'),
  nscount: defineField('dns.count.auth_rr', 'Authority RRs', 'uint16'),
  arcount: defineField('dns.count.add_rr', 'Additional RRs', 'uint16'),
  qryName: defineField('dns.qry.name', 'Name', 'string'),
  qryNameLen: defineField('dns.qry.name.len', 'Name Length', 'uint16'),
  labels: defineField('dns.count.labels', 'Label Count', 'uint16'),
  qryType: defineField('dns.qry.type', 'Type', 'uint16', { strings: typeTitles }),
  qryClass: defineField('dns.qry.class', 'Class', 'uint16', { base: 'hex', strings: CLASSES }),
  respName: defineField('dns.resp.name', 'Name', 'string'),
  respType: defineField('dns.resp.type', 'Type', 'uint16', { strings: typeTitles }),
  respClass: defineField('dns.resp.class', 'Class', 'uint16', { base: 'hex', strings: CLASSES }),
  ttl: defineField('dns.resp.ttl', 'Time to live', 'uint32'),
  rdlen: defineField('dns.resp.len', 'Data length', 'uint16'),
  a: defineField('dns.a', 'Address', 'ipv4'),
  aaaa: defineField('dns.aaaa', 'AAAA Address', 'ipv6'),
  ns: defineField('dns.ns', 'Name Server', 'string'),
  cname: defineField('dns.cname', 'CNAME', 'string'),
  ptr: defineField('dns.ptr.domain_name', 'Domain Name', 'string'),
  mxPref: defineField('dns.mx.preference', 'Preference', 'uint16'),
  mx: defineField('dns.mx.mail_exchange', 'Mail Exchange', 'string'),
  txtLen: defineField('dns.txt.length', 'TXT Length', 'uint8'),
  txt: defineField('dns.txt', 'TXT', 'string'),
  soaMname: defineField('dns.soa.mname', 'Primary name server', 'string'),
  soaRname: defineField('dns.soa.rname', "Responsible authority's mailbox", 'string'),
  soaSerial: defineField('dns.soa.serial_number', 'Serial Number', 'uint32'),
  soaRefresh: defineField('dns.soa.refresh_interval', 'Refresh Interval', 'uint32'),
  soaRetry: defineField('dns.soa.retry_interval', 'Retry Interval', 'uint32'),
  soaExpire: defineField('dns.soa.expire_limit', 'Expire limit', 'uint32'),
  soaMin: defineField('dns.soa.minimum_ttl', 'Minimum TTL', 'uint32'),
  srvPriority: defineField('dns.srv.priority', 'Priority', 'uint16'),
  srvWeight: defineField('dns.srv.weight', 'Weight', 'uint16'),
  srvPort: defineField('dns.srv.port', 'Port', 'uint16'),
  srvTarget: defineField('dns.srv.target', 'Target', 'string'),
  srvService: defineField('dns.srv.service', 'Service', 'string'),
  srvProto: defineField('dns.srv.proto', 'Protocol', 'string'),
  srvName: defineField('dns.srv.name', 'Name', 'string'),
  udpPayload: defineField('dns.rr.udp_payload_size', 'UDP payload size', 'uint16'),
  extRcode: defineField('dns.resp.ext_rcode', 'Higher bits in extended RCODE', 'uint8', { base: 'hex' }),
  ednsVersion: defineField('dns.resp.edns0_version', 'EDNS0 version', 'uint8'),
  z16: defineField('dns.resp.z', 'Z', 'uint16', { base: 'hex' }),
  data: defineField('dns.data', 'Data', 'bytes'),
  caaFlags: defineField('dns.caa.flags', 'CAA Flags', 'uint8', { base: 'hex' }),
  caaTag: defineField('dns.caa.tag', 'Tag', 'string'),
  caaValue: defineField('dns.caa.value', 'Value', 'string'),
  responseIn: defineField('dns.response_in', 'Response In', 'framenum')
}

type Kind = 'dns' | 'mdns' | 'llmnr'

/** Decodes one DNS message in `off..end`. Returns false when it cannot be DNS (shorter than the header). */
export function dissectDnsMessage(ctx: PacketContext, off: number, end: number, kind: Kind, top: FieldNode | undefined): boolean {
  const v = ctx.view
  const d = ctx.data
  if (end - off < 12) {
    if (top) top.expert = { severity: 'error', group: 'malformed', message: 'DNS header cut short' }
    ctx.malformed = true
    return true
  }
  const id = v.getUint16(off)
  const flags = v.getUint16(off + 2)
  const counts = [v.getUint16(off + 4), v.getUint16(off + 6), v.getUint16(off + 8), v.getUint16(off + 10)] as const
  const isResponse = (flags & 0x8000) !== 0
  const opcode = (flags >>> 11) & 0xf
  const rcode = flags & 0xf
  const kids = top?.children
  if (kids) {
    kids.push(node(F.id, off, 2, id))
    const fl = node(F.flags, off + 2, 2, flags, [
      node(F.response, off + 2, 2, isResponse),
      node(F.opcode, off + 2, 2, opcode),
      ...(isResponse ? [node(F.authoritative, off + 2, 2, (flags & 0x400) !== 0)] : []),
      node(F.truncated, off + 2, 2, (flags & 0x200) !== 0),
      node(F.recdesired, off + 2, 2, (flags & 0x100) !== 0),
      ...(isResponse ? [node(F.recavail, off + 2, 2, (flags & 0x80) !== 0)] : []),
      node(F.z, off + 2, 2, (flags & 0x40) !== 0),
      ...(isResponse ? [node(F.authenticated, off + 2, 2, (flags & 0x20) !== 0)] : []),
      node(F.checkdisable, off + 2, 2, (flags & 0x10) !== 0),
      ...(isResponse ? [node(F.rcode, off + 2, 2, rcode)] : [])
    ])
    fl.label = `Flags: 0x${flags.toString(16).padStart(4, '0')} ${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''}${isResponse ? ', ' + (RCODES[rcode] ?? `Unknown error (${rcode})`) : ''}`
    kids.push(fl)
    kids.push(node(F.qdcount, off + 4, 2, counts[0]), node(F.ancount, off + 6, 2, counts[1]))
    kids.push(node(F.nscount, off + 8, 2, counts[2]), node(F.arcount, off + 10, 2, counts[3]))
    top!.label = `${top!.label ?? ''}${isResponse ? ' (response)' : ' (query)'}`
  }
  let info = `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''} 0x${id.toString(16).padStart(4, '0')}`
  if (isResponse && rcode !== 0) info += ' ' + (RCODES[rcode] ?? `Unknown error (${rcode})`)
  let p = off + 12
  // Questions
  const qKids: FieldNode[] | undefined = kids ? [] : undefined
  const qStart = p
  for (let i = 0; i < counts[0] && p < end; i++) {
    const n = readDnsName(d, off, end, p)
    const start = p
    p += n.len
    if (n.error || p + 4 > end) {
      ctx.malformed = true
      if (qKids) qKids.push(errorNode(start, end, n.error ?? 'question cut short'))
      p = end
      break
    }
    const type = v.getUint16(p)
    const cls = v.getUint16(p + 2)
    info += ` ${typeName(type)} ${n.name}`
    if (!qKids) collect('dns.qry.name', n.name)
    if (qKids) {
      const nameNode = node(F.qryName, start, n.len, n.name)
      const q: FieldNode = {
        name: '',
        off: start,
        len: p + 4 - start,
        label: `${n.name}: type ${typeName(type)}, class ${className(cls & 0x7fff)}`,
        children: [
          nameNode,
          node(F.qryNameLen, start, n.len, n.nameLen),
          node(F.labels, start, n.len, n.labels),
          node(F.qryType, p, 2, type),
          node(F.qryClass, p + 2, 2, kind === 'mdns' ? cls & 0x7fff : cls)
        ]
      }
      qKids.push(q)
    }
    p += 4
  }
  if (kids && qKids!.length) kids.push({ name: '', off: qStart, len: p - qStart, label: 'Queries', children: qKids })
  const sections = ['Answers', 'Authoritative nameservers', 'Additional records']
  for (let s = 0; s < 3; s++) {
    const rKids: FieldNode[] | undefined = kids ? [] : undefined
    const sStart = p
    for (let i = 0; i < counts[s + 1]! && p < end; i++) {
      const r = dissectRr(ctx, off, end, p, rKids, kind)
      if (r.next < 0) {
        ctx.malformed = true
        p = end
        break
      }
      info += r.info
      p = r.next
    }
    if (kids && rKids!.length) kids.push({ name: '', off: sStart, len: p - sStart, label: sections[s], children: rKids })
  }
  if (ctx.tree) ctx.info = info
  return true
}

function typeName(t: number): string {
  return DNS_TYPES[t] ?? `Unknown (${t})`
}
function className(c: number): string {
  return CLASSES[c] ?? `Unknown (0x${c.toString(16).padStart(4, '0')})`
}
function errorNode(off: number, end: number, message: string): FieldNode {
  return { name: '', off, len: Math.max(0, end - off), label: message, expert: { severity: 'error', group: 'malformed', message } }
}

const fieldForName: Readonly<Record<number, FieldDef>> = { 2: F.ns, 5: F.cname, 12: F.ptr }

function dissectRr(
  ctx: PacketContext,
  msg: number,
  end: number,
  p: number,
  out: FieldNode[] | undefined,
  kind: Kind
): { next: number; info: string } {
  const v = ctx.view
  const d = ctx.data
  const n = readDnsName(d, msg, end, p)
  const start = p
  if (n.error || p + n.len + 10 > end) {
    if (out) out.push(errorNode(start, end, n.error ?? 'resource record cut short'))
    return { next: -1, info: '' }
  }
  p += n.len
  const type = v.getUint16(p)
  const cls = v.getUint16(p + 2)
  const ttl = v.getUint32(p + 4)
  const rdlen = v.getUint16(p + 8)
  const rd = p + 10
  const rdEnd = rd + rdlen
  if (rdEnd > end) {
    if (out) out.push(errorNode(start, end, `resource record data (${rdlen} bytes) runs past the end of the message`))
    return { next: -1, info: '' }
  }
  let info = ` ${typeName(type)}`
  const kids: FieldNode[] | undefined = out ? [] : undefined
  if (kids) {
    if (type === 33 && n.labels > 0) {
      // SRV owner names are _service._proto.name: tshark splits them instead of dns.resp.name.
      const parts = n.name.split('.')
      kids.push(node(F.srvService, start, n.len, parts[0]!))
      if (parts.length > 1) kids.push(node(F.srvProto, start, n.len, parts[1]!))
      if (parts.length > 2) kids.push(node(F.srvName, start, n.len, parts.slice(2).join('.')))
    } else kids.push(node(F.respName, start, n.len, n.name))
    kids.push(node(F.respType, p, 2, type))
  }
  let summary = ''
  if (type === 41) {
    // OPT pseudo-RR: class is the UDP payload size, TTL holds the extended flags.
    if (kids) {
      kids.push(node(F.udpPayload, p + 2, 2, cls), node(F.extRcode, p + 4, 1, ttl >>> 24), node(F.ednsVersion, p + 5, 1, (ttl >>> 16) & 0xff))
      kids.push(node(F.z16, p + 6, 2, ttl & 0xffff), node(F.rdlen, p + 8, 2, rdlen))
      if (rdlen) kids.push(node(F.data, rd, rdlen, d.slice(rd, rdEnd)))
    }
  } else {
    if (kids) {
      kids.push(node(F.respClass, p + 2, 2, kind === 'mdns' ? cls & 0x7fff : cls), node(F.ttl, p + 4, 4, ttl), node(F.rdlen, p + 8, 2, rdlen))
    }
    switch (type) {
      case 1:
        if (rdlen === 4) {
          const a = ipv4String(d, rd)
          info += ' ' + a
          summary = `, addr ${a}`
          kids?.push(node(F.a, rd, 4, a))
        }
        break
      case 28:
        if (rdlen === 16) {
          const a = ipv6String(d, rd)
          info += ' ' + a
          summary = `, addr ${a}`
          kids?.push(node(F.aaaa, rd, 16, a))
        }
        break
      case 2:
      case 5:
      case 12: {
        const t = readDnsName(d, msg, end, rd)
        info += ' ' + t.name
        summary = `, ${type === 2 ? 'ns' : type === 5 ? 'cname' : 'domain name'} ${t.name}`
        kids?.push(node(fieldForName[type]!, rd, Math.min(t.len, rdlen), t.name))
        break
      }
      case 15:
        if (rdlen >= 3) {
          const pref = v.getUint16(rd)
          const t = readDnsName(d, msg, end, rd + 2)
          info += ` ${pref} ${t.name}`
          summary = `, preference ${pref}, mx ${t.name}`
          kids?.push(node(F.mxPref, rd, 2, pref), node(F.mx, rd + 2, Math.min(t.len, rdlen - 2), t.name))
        }
        break
      case 6: {
        const m = readDnsName(d, msg, end, rd)
        const r = readDnsName(d, msg, end, rd + m.len)
        const q = rd + m.len + r.len
        info += ' ' + m.name
        summary = `, mname ${m.name}`
        if (kids) {
          kids.push(node(F.soaMname, rd, m.len, m.name), node(F.soaRname, rd + m.len, r.len, r.name))
          if (q + 20 <= rdEnd) {
            kids.push(node(F.soaSerial, q, 4, v.getUint32(q)), node(F.soaRefresh, q + 4, 4, v.getUint32(q + 4)))
            kids.push(node(F.soaRetry, q + 8, 4, v.getUint32(q + 8)), node(F.soaExpire, q + 12, 4, v.getUint32(q + 12)))
            kids.push(node(F.soaMin, q + 16, 4, v.getUint32(q + 16)))
          }
        }
        break
      }
      case 16:
      case 99: {
        let q = rd
        while (q < rdEnd) {
          const l = d[q]!
          const e = Math.min(q + 1 + l, rdEnd)
          const text = latin1(d, q + 1, e)
          kids?.push(node(F.txtLen, q, 1, l), node(F.txt, q + 1, e - q - 1, text))
          q = e
        }
        break
      }
      case 33:
        if (rdlen >= 7) {
          const prio = v.getUint16(rd)
          const weight = v.getUint16(rd + 2)
          const port = v.getUint16(rd + 4)
          const t = readDnsName(d, msg, end, rd + 6)
          info += ` ${prio} ${weight} ${port} ${t.name}`
          summary = `, priority ${prio}, weight ${weight}, port ${port}, target ${t.name}`
          kids?.push(node(F.srvPriority, rd, 2, prio), node(F.srvWeight, rd + 2, 2, weight), node(F.srvPort, rd + 4, 2, port))
          kids?.push(node(F.srvTarget, rd + 6, Math.min(t.len, rdlen - 6), t.name))
        }
        break
      case 257:
        if (rdlen >= 2) {
          const tagLen = d[rd + 1]!
          const tagEnd = Math.min(rd + 2 + tagLen, rdEnd)
          kids?.push(node(F.caaFlags, rd, 1, d[rd]!), node(F.caaTag, rd + 2, tagEnd - rd - 2, latin1(d, rd + 2, tagEnd)))
          kids?.push(node(F.caaValue, tagEnd, rdEnd - tagEnd, latin1(d, tagEnd, rdEnd)))
        }
        break
      default:
        if (rdlen && kids) kids.push(node(F.data, rd, rdlen, d.slice(rd, rdEnd)))
    }
  }
  if (out) {
    const label =
      type === 41
        ? `${n.name}: type OPT`
        : `${n.name}: type ${typeName(type)}, class ${className(kind === 'mdns' ? cls & 0x7fff : cls)}${summary}`
    out.push({ name: '', off: start, len: rdEnd - start, label, children: kids })
  }
  return { next: rdEnd, info }
}

function latin1(d: Uint8Array, a: number, b: number): string {
  let s = ''
  for (let i = a; i < b; i++) s += String.fromCharCode(d[i]!)
  return s
}

function topNode(ctx: PacketContext, kind: Kind, off: number, end: number): FieldNode | undefined {
  ctx.protocols.push(kind)
  ctx.protocol = kind === 'dns' ? 'DNS' : kind === 'mdns' ? 'MDNS' : 'LLMNR'
  if (!ctx.tree) return undefined
  const def = kind === 'dns' ? F.dns : kind === 'mdns' ? F.mdns : F.llmnr
  const t = node(def, off, end - off, undefined, [])
  t.label = def.title
  ctx.layers.push(t)
  return t
}

const udpDns = (kind: Kind) => (ctx: PacketContext, off: number, end: number): boolean => {
  const top = topNode(ctx, kind, off, end)
  return dissectDnsMessage(ctx, off, end, kind, top)
}

/** DNS over TCP: each message has a 2-byte length prefix; several may share a segment. */
export function dissectDnsTcp(ctx: PacketContext, off: number, end: number): boolean {
  let p = off
  while (p < end) {
    if (end - p < 2) {
      if (desegment.canDesegment) {
        askMore(p, ONE_MORE_SEGMENT)
        return true
      }
      break
    }
    const len = ctx.view.getUint16(p)
    if (p + 2 + len > end && desegment.canDesegment) {
      askMore(p, p + 2 + len - end)
      return true
    }
    const e = Math.min(end, p + 2 + len)
    const top = topNode(ctx, 'dns', p, e)
    top?.children!.push(node(F.length, p, 2, len))
    dissectDnsMessage(ctx, p + 2, e, 'dns', top)
    p = e
  }
  return true
}

onPorts(byUdpPort, [53], udpDns('dns'))
onPorts(byUdpPort, [5353], udpDns('mdns'))
onPorts(byUdpPort, [5355], udpDns('llmnr'))
onPorts(byTcpPort, [53], dissectDnsTcp)
