// ICMP (RFC 792), IP protocol 1: type, code, checksum (verified, as Wireshark does by default),
// then the body the type defines: identifier/sequence (echo, timestamp, ...), or the quoted
// IP packet of an error message, dissected inside the ICMP subtree.
import { addLayer, markShort, type PacketContext } from '../context'
import { byEthertype, byIpProto, dissectData } from '../dispatch'
import { add, addExpert, addGenerated, defineField, defineProtocol, type FieldNode } from '../fields'
import { hexPad, ipv4String } from '../format'
import { expectedChecksum } from './checksum'
import { dissectQuoted } from './quoted'

/** Byte ranges of the ICMP header and the 4-byte "rest of header" that each type defines. */
const field = { TYPE: 0, CODE: 1, CHECKSUM: 2, IDENT: 4, SEQ: 6, REST: 4 } as const
const HEADER_LEN = 8

const ECHO_REPLY = 0
const UNREACH = 3
const SOURCE_QUENCH = 4
const REDIRECT = 5
const ECHO = 8
const TIME_EXCEEDED = 11
const PARAM_PROBLEM = 12
const TSTAMP = 13
const TSTAMP_REPLY = 14
const IREQ = 15
const IREQ_REPLY = 16
const MASK_REQ = 17
const MASK_REPLY = 18

/** Wireshark's icmp_type_str. */
const TYPE_STR: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable', 4: 'Source quench (flow control)',
  5: 'Redirect', 6: 'Alternate host address', 8: 'Echo (ping) request', 9: 'Router advertisement', 10: 'Router solicitation',
  11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request', 14: 'Timestamp reply',
  15: 'Information request', 16: 'Information reply', 17: 'Address mask request', 18: 'Address mask reply',
  19: 'Reserved (for security)', 30: 'Traceroute', 31: 'Datagram Conversion Error', 32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request', 36: 'Mobile Registration Reply',
  37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris', 41: 'Experimental mobility protocols',
  42: 'Extended Echo request', 43: 'Extended Echo reply'
}
const UNREACH_CODES: Readonly<Record<number, string>> = {
  0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable', 4: 'Fragmentation needed',
  5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown', 8: 'Source host isolated',
  9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS', 13: 'Communication administratively filtered', 14: 'Host precedence violation',
  15: 'Precedence cutoff in effect'
}
const REDIRECT_CODES: Readonly<Record<number, string>> = {
  0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host'
}
const TTL_CODES: Readonly<Record<number, string>> = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' }
const PARAM_CODES: Readonly<Record<number, string>> = { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' }
const RTRADV_CODES: Readonly<Record<number, string>> = { 0: 'Normal router advertisement', 16: 'Does not route common traffic' }

function codeTable(type: number): Readonly<Record<number, string>> | undefined {
  switch (type) {
    case UNREACH:
      return UNREACH_CODES
    case REDIRECT:
      return REDIRECT_CODES
    case TIME_EXCEEDED:
      return TTL_CODES
    case PARAM_PROBLEM:
      return PARAM_CODES
    case 9:
      return RTRADV_CODES
    default:
      return undefined
  }
}

const hfIcmp = defineProtocol('icmp', 'Internet Control Message Protocol')
const hfType = defineField('icmp.type', 'Type', 'uint8', { base: 'dec' })
const hfCode = defineField('icmp.code', 'Code', 'uint8', { base: 'dec' })
const hfChecksum = defineField('icmp.checksum', 'Checksum', 'uint16', { base: 'hex' })
const hfChecksumStatus = defineField('icmp.checksum.status', 'Checksum Status', 'uint8', { strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } })
const hfUnused = defineField('icmp.unused', 'Unused', 'bytes')
const hfIdent = defineField('icmp.ident', 'Identifier (BE)', 'uint16', { base: 'dec_hex' })
const hfIdentLe = defineField('icmp.ident_le', 'Identifier (LE)', 'uint16', { base: 'dec_hex' })
const hfSeq = defineField('icmp.seq', 'Sequence Number (BE)', 'uint16', { base: 'dec_hex' })
const hfSeqLe = defineField('icmp.seq_le', 'Sequence Number (LE)', 'uint16', { base: 'dec_hex' })
const hfMtu = defineField('icmp.mtu', 'MTU of next hop', 'uint16', { base: 'dec' })
const hfPointer = defineField('icmp.pointer', 'Pointer', 'uint32', { base: 'dec' })
const hfRedirGw = defineField('icmp.redir_gw', 'Gateway Address', 'ipv4')
const hfOrigTs = defineField('icmp.originate_timestamp', 'Originate Timestamp', 'uint32', { base: 'dec' })
const hfRecvTs = defineField('icmp.receive_timestamp', 'Receive Timestamp', 'uint32', { base: 'dec' })
const hfXmitTs = defineField('icmp.transmit_timestamp', 'Transmit Timestamp', 'uint32', { base: 'dec' })
const hfMask = defineField('icmp.address_mask', 'Address Mask', 'ipv4')
const hfDataTime = defineField('icmp.data_time', 'Timestamp from icmp data', 'abstime')
const hfDataTimeRel = defineField('icmp.data_time_relative', 'Timestamp from icmp data (relative)', 'reltime')

const SECONDS_PER_DAY = 86400

/** Milliseconds since midnight UTC as "hh:mm:ss.mmm" (timestamp messages). */
function msText(v: number): string {
  const h = Math.floor(v / 3600000)
  const m = Math.floor((v % 3600000) / 60000)
  const s = Math.floor((v % 60000) / 1000)
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(v % 1000).padStart(3, '0')}`
}

/**
 * ping(8) puts a struct timeval at the start of the echo data. Wireshark shows it when either
 * byte order gives a time within a day of the frame's (its get_best_guess_timestamp()).
 */
function echoTimestamp(ctx: PacketContext, at: number, end: number): { sec: number; nsec: number } | null {
  if (at + 8 > end || ctx.time === 0) return null
  const v = ctx.view
  const now = Math.floor(ctx.time)
  for (const le of [false, true]) {
    const sec = v.getUint32(at, le)
    const usec = v.getUint32(at + 4, le)
    if (Math.abs(sec - now) < SECONDS_PER_DAY && usec < 1e6) return { sec, nsec: usec * 1000 }
  }
  return null
}

function dissectIcmp(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfIcmp, off, end - off)
  if (!ctx.inErrorPkt) ctx.protocol = 'ICMP'
  if (end - off < 4) {
    markShort(ctx, root, off, HEADER_LEN, end, 'ICMP')
    return
  }
  const d = ctx.data
  const v = ctx.view
  const type = d[off + field.TYPE]
  const code = d[off + field.CODE]
  const typeStr = TYPE_STR[type] ?? 'Unknown ICMP (obsolete or malformed?)'
  const codes = codeTable(type)
  const codeStr = codes ? codes[code] ?? 'Unknown code' : ''
  if (root) {
    root.label = 'Internet Control Message Protocol'
    add(root, hfType, off, 1, type).label = `Type: ${type} (${typeStr})`
    add(root, hfCode, off + 1, 1, code).label = codes ? `Code: ${code} (${codeStr})` : `Code: ${code}`
    const sum = v.getUint16(off + field.CHECKSUM)
    const c = add(root, hfChecksum, off + field.CHECKSUM, 2, sum)
    const net = ctx.net
    // verifiable only when the whole message was captured
    if (net && net.payloadOff === off && off + net.payloadLen <= end && !net.fragment) {
      const want = expectedChecksum(d, off, off + net.payloadLen, off + field.CHECKSUM)
      if (want === sum) {
        c.label = `Checksum: ${hexPad(sum, 4)} [correct]`
        addGenerated(root, hfChecksumStatus, off + field.CHECKSUM, 0, 1).label = 'Checksum Status: Good'
      } else {
        c.label = `Checksum: ${hexPad(sum, 4)} [incorrect, should be ${hexPad(want, 4)}]`
        addExpert(c, 'error', 'checksum', `Bad checksum [should be ${hexPad(want, 4)}]`)
        addGenerated(root, hfChecksumStatus, off + field.CHECKSUM, 0, 0).label = 'Checksum Status: Bad'
      }
    } else {
      c.label = `Checksum: ${hexPad(sum, 4)} [unverified]`
      addGenerated(root, hfChecksumStatus, off + field.CHECKSUM, 0, 2).label = 'Checksum Status: Unverified'
    }
  }
  if (ctx.tree && !ctx.inErrorPkt) ctx.info = typeStr.padEnd(20) + (codes ? ` (${codeStr})` : '')
  if (end - off < HEADER_LEN) {
    markShort(ctx, root, off, HEADER_LEN, end, 'ICMP')
    return
  }
  const body = off + HEADER_LEN
  switch (type) {
    case ECHO_REPLY:
    case ECHO:
    case TSTAMP:
    case TSTAMP_REPLY:
    case IREQ:
    case IREQ_REPLY:
    case MASK_REQ:
    case MASK_REPLY: {
      const id = v.getUint16(off + field.IDENT)
      const seq = v.getUint16(off + field.SEQ)
      if (root) {
        add(root, hfIdent, off + field.IDENT, 2, id)
        add(root, hfIdentLe, off + field.IDENT, 2, v.getUint16(off + field.IDENT, true))
        add(root, hfSeq, off + field.SEQ, 2, seq)
        add(root, hfSeqLe, off + field.SEQ, 2, v.getUint16(off + field.SEQ, true))
      }
      if (ctx.tree && !ctx.inErrorPkt) {
        const seqLe = ((seq & 0xff) << 8) | (seq >> 8)
        ctx.info += ` id=${hexPad(id, 4)}, seq=${seq}/${seqLe}, ttl=${ctx.net?.ttl ?? 0}`
      }
      let p = body
      if (type === TSTAMP || type === TSTAMP_REPLY) {
        if (root && p + 12 <= end) {
          const hf = [hfOrigTs, hfRecvTs, hfXmitTs]
          for (let i = 0; i < 3; i++) {
            const t = v.getUint32(p + 4 * i)
            add(root, hf[i], p + 4 * i, 4, t).label = `${hf[i].title}: ${msText(t)} after midnight UTC`
          }
        }
        p += 12
      } else if (type === MASK_REQ || type === MASK_REPLY) {
        if (root && p + 4 <= end) add(root, hfMask, p, 4, ipv4String(d, p))
        p += 4
      } else if (type === ECHO || type === ECHO_REPLY) {
        const ts = echoTimestamp(ctx, p, end)
        if (ts) {
          if (root) {
            add(root, hfDataTime, p, 8, ts)
            // exact nanoseconds: the frame time minus the one in the data
            const ns = (ctx.tsSec - ts.sec) * 1e9 + (ctx.tsNsec - ts.nsec)
            const abs = Math.abs(ns)
            const sign = ns < 0 ? -1 : 1
            add(root, hfDataTimeRel, p, 8, { sec: sign * Math.floor(abs / 1e9), nsec: sign * (abs % 1e9) })
          }
          p += 8
        }
      }
      dataInside(ctx, root, p, end)
      break
    }
    case UNREACH:
    case SOURCE_QUENCH:
    case REDIRECT:
    case TIME_EXCEEDED:
    case PARAM_PROBLEM: {
      if (root) {
        if (type === REDIRECT) add(root, hfRedirGw, off + field.REST, 4, ipv4String(d, off + field.REST))
        else if (type === UNREACH && code === 4) {
          add(root, hfUnused, off + field.REST, 2, d.subarray(off + 4, off + 6))
          add(root, hfMtu, off + 6, 2, v.getUint16(off + 6))
        } else if (type === PARAM_PROBLEM) {
          add(root, hfPointer, off + field.REST, 1, d[off + field.REST])
          add(root, hfUnused, off + 5, 3, d.subarray(off + 5, off + 8))
        } else add(root, hfUnused, off + field.REST, 4, d.subarray(off + 4, off + 8))
      }
      const ip = byEthertype.get(0x0800)
      if (ip) dissectQuoted(ctx, root, body, end, ip)
      break
    }
    default:
      dataInside(ctx, root, off + field.REST, end)
  }
}

/** `data` drawn inside the ICMP subtree, as Wireshark nests it. */
function dataInside(ctx: PacketContext, root: FieldNode | undefined, off: number, end: number): void {
  if (off >= end) return
  const layers = ctx.layers
  if (root) ctx.layers = root.children ?? (root.children = [])
  dissectData(ctx, off, end)
  ctx.layers = layers
}

byIpProto.set(1, dissectIcmp)
