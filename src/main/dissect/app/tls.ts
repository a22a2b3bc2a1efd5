// TLS (RFC 8446 / 5246) records over TCP: record layer, handshake messages (ClientHello and
// ServerHello in full: versions, cipher suites, extensions incl. SNI, ALPN, supported_versions;
// certificates through x509.ts), alerts, change cipher spec and application data. Records cut
// by a segment boundary are asked for again from TCP reassembly, as tshark does.
import { addLayer, type PacketContext } from '../context'
import { defineField, defineProtocol, node, type FieldNode } from '../fields'
import { askMore, byTcpPort, desegment, ONE_MORE_SEGMENT, onPorts, STREAM_TLS13, tcpHeuristics } from '../transport/ports'
import {
  ALERT_DESCRIPTIONS,
  ALERT_LEVELS,
  CIPHER_SUITES,
  CONTENT_TYPES,
  EXTENSION_TYPES,
  HANDSHAKE_TYPES,
  isGrease,
  TLS_COLUMN,
  TLS_VERSIONS
} from './tls-values'
import { dissectCertificate, dissectDistinguishedName } from './x509'
import { collect } from './collect'

const versionStrings: Record<number, string> = { ...TLS_VERSIONS }
const F = {
  tls: defineProtocol('tls', 'Transport Layer Security'),
  record: defineField('tls.record', 'Record Layer', 'none'),
  contentType: defineField('tls.record.content_type', 'Content Type', 'uint8', { strings: CONTENT_TYPES }),
  opaqueType: defineField('tls.record.opaque_type', 'Opaque Type', 'uint8', { strings: CONTENT_TYPES }),
  recordVersion: defineField('tls.record.version', 'Version', 'uint16', { base: 'hex', strings: versionStrings }),
  recordLength: defineField('tls.record.length', 'Length', 'uint16'),
  appData: defineField('tls.app_data', 'Encrypted Application Data', 'bytes'),
  ccs: defineField('tls.change_cipher_spec', 'Change Cipher Spec Message', 'none'),
  alert: defineField('tls.alert_message', 'Alert Message', 'none'),
  alertLevel: defineField('tls.alert_message.level', 'Level', 'uint8', { strings: ALERT_LEVELS }),
  alertDesc: defineField('tls.alert_message.desc', 'Description', 'uint8', { strings: ALERT_DESCRIPTIONS }),
  handshake: defineField('tls.handshake', 'Handshake Protocol', 'none'),
  hsType: defineField('tls.handshake.type', 'Handshake Type', 'uint8', { strings: HANDSHAKE_TYPES }),
  hsLength: defineField('tls.handshake.length', 'Length', 'uint24'),
  hsVersion: defineField('tls.handshake.version', 'Version', 'uint16', { base: 'hex', strings: versionStrings }),
  random: defineField('tls.handshake.random', 'Random', 'bytes'),
  sessionIdLength: defineField('tls.handshake.session_id_length', 'Session ID Length', 'uint16'),
  sessionId: defineField('tls.handshake.session_id', 'Session ID', 'bytes'),
  cipherSuitesLength: defineField('tls.handshake.cipher_suites_length', 'Cipher Suites Length', 'uint16'),
  cipherSuites: defineField('tls.handshake.ciphersuites', 'Cipher Suites', 'none'),
  cipherSuite: defineField('tls.handshake.ciphersuite', 'Cipher Suite', 'uint16', { base: 'hex', strings: CIPHER_SUITES }),
  compLength: defineField('tls.handshake.comp_methods_length', 'Compression Methods Length', 'uint8'),
  compMethods: defineField('tls.handshake.comp_methods', 'Compression Methods', 'none'),
  compMethod: defineField('tls.handshake.comp_method', 'Compression Method', 'uint8', { strings: { 0: 'null', 1: 'DEFLATE' } }),
  extensionsLength: defineField('tls.handshake.extensions_length', 'Extensions Length', 'uint16'),
  extType: defineField('tls.handshake.extension.type', 'Type', 'uint16', { strings: EXTENSION_TYPES }),
  extLen: defineField('tls.handshake.extension.len', 'Length', 'uint16'),
  extData: defineField('tls.handshake.extension.data', 'Data', 'bytes'),
  sniListLen: defineField('tls.handshake.extensions_server_name_list_len', 'Server Name list length', 'uint16'),
  sniType: defineField('tls.handshake.extensions_server_name_type', 'Server Name Type', 'uint8', { strings: { 0: 'host_name' } }),
  sniLen: defineField('tls.handshake.extensions_server_name_len', 'Server Name length', 'uint16'),
  sni: defineField('tls.handshake.extensions_server_name', 'Server Name', 'string'),
  alpnLen: defineField('tls.handshake.extensions_alpn_len', 'ALPN Extension Length', 'uint16'),
  alpnList: defineField('tls.handshake.extensions_alpn_list', 'ALPN Protocol', 'none'),
  alpnStrLen: defineField('tls.handshake.extensions_alpn_str_len', 'ALPN string length', 'uint8'),
  alpnStr: defineField('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol', 'string'),
  svLen: defineField('tls.handshake.extensions.supported_versions_len', 'Supported Versions length', 'uint8'),
  sv: defineField('tls.handshake.extensions.supported_version', 'Supported Version', 'uint16', { base: 'hex', strings: versionStrings }),
  groupsLen: defineField('tls.handshake.extensions_supported_groups_length', 'Supported Groups List Length', 'uint16'),
  group: defineField('tls.handshake.extensions_supported_group', 'Supported Group', 'uint16', { base: 'hex' }),
  certsLength: defineField('tls.handshake.certificates_length', 'Certificates Length', 'uint24'),
  certs: defineField('tls.handshake.certificates', 'Certificates', 'none'),
  certLength: defineField('tls.handshake.certificate_length', 'Certificate Length', 'uint24'),
  cert: defineField('tls.handshake.certificate', 'Certificate', 'bytes')
}

/** ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c'

function hex(d: Uint8Array, s: number, e: number): string {
  let out = ''
  for (let i = s; i < e; i++) out += d[i]!.toString(16).padStart(2, '0')
  return out
}
function u16(d: Uint8Array, p: number): number {
  return (d[p]! << 8) | d[p + 1]!
}
function u24(d: Uint8Array, p: number): number {
  return (d[p]! << 16) | (d[p + 1]! << 8) | d[p + 2]!
}

/** Does a TLS record header start at p? (content type 20..24, version 3.x) */
export function isRecordHeader(d: Uint8Array, p: number, end: number): boolean {
  if (end - p < 3) return false
  const ct = d[p]!
  return ct >= 20 && ct <= 24 && d[p + 1] === 3 && d[p + 2]! <= 4
}

interface TlsState {
  infos: string[]
  /** A ChangeCipherSpec went by in this call: later handshake records are encrypted. */
  encrypted: boolean
  maxVersion: number
  recordVersion: number
  /** TLS 1.3 was negotiated (earlier in the stream or by a ServerHello here). */
  tls13: boolean
  /** Version chosen by a ServerHello in this call (0 if none). */
  serverVersion: number
}

/** Decodes TLS records from `off` (one TCP stream direction); always claims the bytes. */
export function dissectTls(ctx: PacketContext, off: number, end: number): boolean {
  const d = ctx.data
  const top = addLayer(ctx, F.tls, off, end - off)
  const st: TlsState = { infos: [], encrypted: false, maxVersion: 0, recordVersion: 0, tls13: (desegment.streamState & STREAM_TLS13) !== 0, serverVersion: 0 }
  let p = off
  // Handshake messages may be fragmented over several records: collect them here.
  let hs: { buf: Uint8Array; records: FieldNode | undefined } | null = null
  while (p < end) {
    if (!isRecordHeader(d, p, end)) {
      st.infos.push(p === off ? 'Continuation Data' : 'Ignored Unknown Record')
      if (top) top.children!.push({ name: '', off: p, len: end - p, label: `${p === off ? 'Continuation Data' : 'Ignored Unknown Record'} (${end - p} bytes)` })
      break
    }
    if (end - p < 5) {
      if (desegment.canDesegment) {
        askMore(p, ONE_MORE_SEGMENT)
        break
      }
      ctx.malformed = true
      break
    }
    const ct = d[p]!
    const version = u16(d, p + 1)
    const len = u16(d, p + 3)
    if (p + 5 + len > end) {
      if (desegment.canDesegment) {
        askMore(p, p + 5 + len - end)
        break
      }
    }
    const recEnd = Math.min(end, p + 5 + len)
    if (!st.recordVersion) st.recordVersion = version
    const rec = top ? node(F.record, p, recEnd - p, undefined, []) : undefined
    if (rec) {
      // Under TLS 1.3 the outer type of protected records is opaque (always 23).
      const typeDef = st.tls13 && ct === 23 ? F.opaqueType : F.contentType
      rec.children!.push(node(typeDef, p, 1, ct), node(F.recordVersion, p + 1, 2, version), node(F.recordLength, p + 3, 2, len))
      top!.children!.push(rec)
    }
    const body = p + 5
    let what = CONTENT_TYPES[ct] ?? 'Unknown'
    switch (ct) {
      case 20:
        st.infos.push('Change Cipher Spec')
        st.encrypted = true
        rec?.children!.push(node(F.ccs, body, recEnd - body))
        break
      case 21:
        if (!st.encrypted && len === 2 && recEnd - body === 2) {
          const level = ALERT_LEVELS[d[body]!] ?? `Unknown (${d[body]})`
          const desc = ALERT_DESCRIPTIONS[d[body + 1]!] ?? `Unknown (${d[body + 1]})`
          st.infos.push(`Alert (Level: ${level}, Description: ${desc})`)
          rec?.children!.push(node(F.alert, body, 2, undefined, [node(F.alertLevel, body, 1, d[body]!), node(F.alertDesc, body + 1, 1, d[body + 1]!)]))
        } else {
          st.infos.push('Encrypted Alert')
          what = 'Encrypted Alert'
        }
        break
      case 22: {
        if (!hs && !plausibleHandshake(d, body, recEnd)) {
          st.infos.push('Encrypted Handshake Message')
          what = 'Encrypted Handshake Message'
          rec?.children!.push({ name: F.handshake.name, off: body, len: recEnd - body, label: 'Handshake Protocol: Encrypted Handshake Message' })
          break
        }
        // Append this record's fragment to any pending message bytes.
        const frag = d.subarray(body, recEnd)
        let buf: Uint8Array
        let base: number
        if (hs) {
          buf = new Uint8Array(hs.buf.length + frag.length)
          buf.set(hs.buf)
          buf.set(frag, hs.buf.length)
          base = -1
        } else {
          buf = d
          base = body
        }
        const names = handshakeMessages(ctx, st, buf, base < 0 ? 0 : base, base < 0 ? buf.length : recEnd, rec, base < 0)
        if (names.rest >= 0) {
          const restStart = names.rest
          const restEnd = base < 0 ? buf.length : recEnd
          hs = { buf: buf.slice(restStart, restEnd), records: rec }
        } else hs = null
        what = names.list.join(', ') || 'Handshake'
        break
      }
      case 23:
        st.infos.push('Application Data')
        rec?.children!.push(node(F.appData, body, recEnd - body, d.subarray(body, recEnd)))
        break
      case 24:
        st.infos.push(st.encrypted ? 'Encrypted Heartbeat' : 'Heartbeat')
        break
    }
    if (rec) rec.label = `${TLS_COLUMN[version] ?? 'TLS'} Record Layer: ${CONTENT_TYPES[ct] ?? 'Unknown'} Protocol: ${what}`
    p = recEnd
  }
  // Protocol column: the negotiated version once a ServerHello said it, else the record's.
  ctx.protocol = st.tls13 ? 'TLSv1.3' : (TLS_COLUMN[st.serverVersion] ?? TLS_COLUMN[st.recordVersion] ?? 'TLS')
  if (ctx.tree && st.infos.length) {
    // Several TLS passes in one frame (reassembled PDU + following records) add to one Info column.
    const again = ctx.protocols.filter((x) => x === 'tls').length > 1
    ctx.info = again && ctx.info && !ctx.info.includes('\u2192') ? `${ctx.info}, ${st.infos.join(', ')}` : st.infos.join(', ')
  }
  return true
}

/** Known handshake messages that exactly tile the record (or run into the next one). */
function plausibleHandshake(d: Uint8Array, s: number, e: number): boolean {
  if (e - s < 4) return false
  let q = s
  while (q + 4 <= e) {
    const type = d[q]!
    if (!(type in HANDSHAKE_TYPES)) return false
    const len = u24(d, q + 1)
    if (q + 4 + len > e) return q === s && len < 1 << 20 // a message fragmented over several records
    q += 4 + len
  }
  return q === e
}

/**
 * Handshake messages in buf[s..e]; `detached` means buf is not the frame (fragments of
 * several records joined): nodes then carry no byte range. Returns the names and where an
 * incomplete last message starts (-1 when none).
 */
function handshakeMessages(
  ctx: PacketContext,
  st: TlsState,
  buf: Uint8Array,
  s: number,
  e: number,
  rec: FieldNode | undefined,
  detached: boolean
): { list: string[]; rest: number } {
  const list: string[] = []
  let q = s
  while (q + 4 <= e) {
    const type = buf[q]!
    const len = u24(buf, q + 1)
    if (q + 4 + len > e) return { list, rest: q }
    const at = (o: number) => (detached ? -1 : o)
    const kids: FieldNode[] | undefined = rec ? [node(F.hsType, at(q), 1, type), node(F.hsLength, at(q + 1), 3, len)] : undefined
    let name = HANDSHAKE_TYPES[type] ?? `Unknown (${type})`
    const body = q + 4
    const bodyEnd = q + 4 + len
    let extra = ''
    if (type === 1 || type === 2) {
      const r = hello(st, buf, body, bodyEnd, type === 1, kids, at)
      if (type === 2 && r.hrr) name = 'Hello Retry Request'
      if (r.sni && type === 1) extra = ` (SNI=${r.sni})`
    } else if (type === 11) certificates(ctx, buf, body, bodyEnd, kids, at, st)
    else if (type === 13) certificateRequest(ctx, buf, body, bodyEnd)
    list.push(name)
    st.infos.push(name + extra)
    if (rec) {
      const hn = node(F.handshake, at(q), detached ? 0 : 4 + len, undefined, kids)
      hn.label = `Handshake Protocol: ${name}`
      rec.children!.push(hn)
    }
    q = bodyEnd
  }
  return { list, rest: q < e ? q : -1 }
}

function hello(
  st: TlsState,
  d: Uint8Array,
  s: number,
  e: number,
  client: boolean,
  kids: FieldNode[] | undefined,
  at: (o: number) => number
): { sni: string; hrr: boolean } {
  const out = { sni: '', hrr: false }
  let p = s
  if (p + 34 > e) return out
  const version = u16(d, p)
  kids?.push(node(F.hsVersion, at(p), 2, version))
  if (!st.maxVersion || version > st.maxVersion) st.maxVersion = Math.max(st.maxVersion, version)
  kids?.push(node(F.random, at(p + 2), 32, d.slice(p + 2, p + 34)))
  if (!client && hex(d, p + 2, p + 34) === HRR_RANDOM) out.hrr = true
  p += 34
  if (p >= e) return out
  const sidLen = d[p]!
  kids?.push(node(F.sessionIdLength, at(p), 1, sidLen))
  if (p + 1 + sidLen > e) return out
  if (sidLen) kids?.push(node(F.sessionId, at(p + 1), sidLen, d.slice(p + 1, p + 1 + sidLen)))
  p += 1 + sidLen
  if (client) {
    if (p + 2 > e) return out
    const csLen = u16(d, p)
    kids?.push(node(F.cipherSuitesLength, at(p), 2, csLen))
    if (p + 2 + csLen > e) return out
    if (kids) {
      const cs = node(F.cipherSuites, at(p + 2), csLen, undefined, [])
      for (let i = 0; i + 1 < csLen; i += 2) {
        const v = u16(d, p + 2 + i)
        const n = node(F.cipherSuite, at(p + 2 + i), 2, v)
        if (isGrease(v)) n.label = `Cipher Suite: Reserved (GREASE) (0x${v.toString(16).padStart(4, '0')})`
        cs.children!.push(n)
      }
      cs.label = `Cipher Suites (${csLen >> 1} suites)`
      kids.push(cs)
    }
    p += 2 + csLen
    if (p >= e) return out
    const cmLen = d[p]!
    kids?.push(node(F.compLength, at(p), 1, cmLen))
    if (p + 1 + cmLen > e) return out
    if (kids) {
      const cm = node(F.compMethods, at(p + 1), cmLen, undefined, [])
      for (let i = 0; i < cmLen; i++) cm.children!.push(node(F.compMethod, at(p + 1 + i), 1, d[p + 1 + i]!))
      cm.label = `Compression Methods (${cmLen} method${cmLen === 1 ? '' : 's'})`
      kids.push(cm)
    }
    p += 1 + cmLen
  } else {
    if (p + 3 > e) return out
    if (!st.serverVersion) st.serverVersion = version
    kids?.push(node(F.cipherSuite, at(p), 2, u16(d, p)), node(F.compMethod, at(p + 2), 1, d[p + 2]!))
    p += 3
  }
  if (p + 2 > e) return out
  const extLen = u16(d, p)
  kids?.push(node(F.extensionsLength, at(p), 2, extLen))
  p += 2
  const extEnd = Math.min(e, p + extLen)
  while (p + 4 <= extEnd) {
    const type = u16(d, p)
    const len = u16(d, p + 2)
    const xs = p + 4
    const xe = Math.min(extEnd, xs + len)
    const ek: FieldNode[] | undefined = kids ? [node(F.extType, at(p), 2, type), node(F.extLen, at(p + 2), 2, len)] : undefined
    switch (type) {
      case 0: {
        // server_name: list of (type, name); tshark shows each host_name.
        if (xe - xs >= 2) {
          ek?.push(node(F.sniListLen, at(xs), 2, u16(d, xs)))
          let q = xs + 2
          while (q + 3 <= xe) {
            const nt = d[q]!
            const nl = u16(d, q + 1)
            const ne = Math.min(xe, q + 3 + nl)
            let name = ''
            for (let i = q + 3; i < ne; i++) name += String.fromCharCode(d[i]!)
            if (!out.sni) out.sni = name
            if (!ek) collect('tls.handshake.extensions_server_name', name)
            ek?.push(node(F.sniType, at(q), 1, nt), node(F.sniLen, at(q + 1), 2, nl), node(F.sni, at(q + 3), ne - q - 3, name))
            q = ne
          }
        }
        break
      }
      case 16: {
        if (xe - xs >= 2) {
          ek?.push(node(F.alpnLen, at(xs), 2, u16(d, xs)))
          const list = ek ? node(F.alpnList, at(xs + 2), xe - xs - 2, undefined, []) : undefined
          let q = xs + 2
          while (q < xe) {
            const l = d[q]!
            const pe = Math.min(xe, q + 1 + l)
            let proto = ''
            for (let i = q + 1; i < pe; i++) proto += String.fromCharCode(d[i]!)
            list?.children!.push(node(F.alpnStrLen, at(q), 1, l), node(F.alpnStr, at(q + 1), pe - q - 1, proto))
            q = pe
          }
          if (list) ek!.push(list)
        }
        break
      }
      case 43: {
        if (client) {
          if (xe > xs) {
            const l = d[xs]!
            ek?.push(node(F.svLen, at(xs), 1, l))
            for (let q = xs + 1; q + 1 < Math.min(xe, xs + 1 + l); q += 2) {
              const v = u16(d, q)
              ek?.push(node(F.sv, at(q), 2, v))
            }
          }
        } else if (xe - xs >= 2) {
          const v = u16(d, xs)
          ek?.push(node(F.sv, at(xs), 2, v))
          if (v > st.maxVersion && v <= 0x0304) st.maxVersion = v
          st.serverVersion = v
          if (v === 0x0304) {
            st.tls13 = true
            desegment.streamState |= STREAM_TLS13
          }
        }
        break
      }
      case 10: {
        if (xe - xs >= 2) {
          ek?.push(node(F.groupsLen, at(xs), 2, u16(d, xs)))
          for (let q = xs + 2; q + 1 < xe; q += 2) ek?.push(node(F.group, at(q), 2, u16(d, q)))
        }
        break
      }
      default:
        if (len && ek) ek.push(node(F.extData, at(xs), xe - xs, d.subarray(xs, xe)))
    }
    if (kids) {
      const name = isGrease(type) ? 'Reserved (GREASE)' : (EXTENSION_TYPES[type] ?? 'Unknown type')
      kids.push({ name: '', off: at(p), len: xe - p, label: `Extension: ${name} (len=${len})${type === 0 && out.sni ? ` name=${out.sni}` : ''}`, children: ek })
    }
    p = xe
  }
  return out
}

function certificates(
  ctx: PacketContext,
  d: Uint8Array,
  s: number,
  e: number,
  kids: FieldNode[] | undefined,
  at: (o: number) => number,
  st: TlsState
): void {
  let p = s
  // TLS 1.3 carries a request context first; its certificates are encrypted anyway.
  if (st.maxVersion === 0x0304 && p < e) p += 1 + d[p]!
  if (p + 3 > e) return
  const total = u24(d, p)
  kids?.push(node(F.certsLength, at(p), 3, total))
  p += 3
  const listEnd = Math.min(e, p + total)
  const list = kids ? node(F.certs, at(p), listEnd - p, undefined, []) : undefined
  let count = 0
  while (p + 3 <= listEnd && count < 64) {
    const l = u24(d, p)
    const ce = Math.min(listEnd, p + 3 + l)
    list?.children!.push(node(F.certLength, at(p), 3, l))
    const c = dissectCertificate(ctx, d, p + 3, ce)
    if (list) {
      const cn = node(F.cert, at(p + 3), ce - p - 3, d.subarray(p + 3, ce))
      if (c) {
        cn.label = c.label
        // Detached (joined fragments): the subtree's offsets are not the frame's.
        if (at(0) >= 0) cn.children = c.children
      }
      list.children!.push(cn)
    }
    p = ce
    if (st.maxVersion === 0x0304 && p + 2 <= listEnd) p += 2 + u16(d, p)
    count++
  }
  if (list) kids!.push(list)
}

function certificateRequest(ctx: PacketContext, d: Uint8Array, s: number, e: number): void {
  // certificate_types<1..>, signature_algorithms<2..> (TLS 1.2), certificate_authorities<2..>
  let p = s
  if (p >= e) return
  p += 1 + d[p]!
  if (p + 2 > e) return
  p += 2 + u16(d, p)
  if (p + 2 > e) return
  const end = Math.min(e, p + 2 + u16(d, p))
  p += 2
  while (p + 2 <= end) {
    const l = u16(d, p)
    dissectDistinguishedName(ctx, d, p + 2, Math.min(end, p + 2 + l))
    p += 2 + l
  }
}

/**
 * Handshake messages outside a record layer (QUIC CRYPTO frames): a "tls" layer over bytes
 * that are not the frame's (decrypted), so its nodes carry no byte range.
 */
export function dissectHandshakeMessages(ctx: PacketContext, buf: Uint8Array): void {
  const top = addLayer(ctx, F.tls, -1, 0)
  const st: TlsState = { infos: [], encrypted: false, maxVersion: 0, recordVersion: 0, tls13: false, serverVersion: 0 }
  handshakeMessages(ctx, st, buf, 0, buf.length, top, true)
  if (top) top.label = `Transport Layer Security: ${st.infos.join(', ')}`
}

/** The tls heuristic: a handshake record of a plausible version at the start of the payload. */
function tlsHeuristic(ctx: PacketContext, off: number, end: number): boolean {
  const d = ctx.data
  if (end - off < 5 || !isRecordHeader(d, off, end) || d[off] !== 22) return false
  return dissectTls(ctx, off, end)
}

onPorts(
  byTcpPort,
  [443, 465, 636, 853, 993, 995, 324, 802, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017],
  dissectTls
)
tcpHeuristics.push(tlsHeuristic)
