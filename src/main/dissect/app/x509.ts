// X.509 certificates (RFC 5280) in TLS handshakes: a bounded DER walk that shows subject,
// issuer, validity, key and extensions, and records the protocol layers tshark adds for
// them: Wireshark decodes attribute values, extension values and algorithm parameters by
// OID through dissectors registered by x509sat, x509ce, pkix1implicit, pkix1explicit and
// pkcs-1, each of which appears in frame.protocols.
import type { PacketContext } from '../context'
import { defineField, node, type FieldNode } from '../fields'

const F = {
  certificate: defineField('x509af.signedCertificate_element', 'signedCertificate', 'none'),
  serial: defineField('x509af.serialNumber', 'serialNumber', 'bytes'),
  algorithm: defineField('x509af.algorithm.id', 'Algorithm Id', 'string'),
  extensionId: defineField('x509af.extension.id', 'Extension Id', 'string'),
  rdn: defineField('x509if.oid', 'Object Id', 'string'),
  printable: defineField('x509sat.printableString', 'printableString', 'string'),
  utf8: defineField('x509sat.uTF8String', 'uTF8String', 'string'),
  ia5: defineField('x509sat.IA5String', 'IA5String', 'string'),
  bmp: defineField('x509sat.bmpString', 'bmpString', 'string'),
  teletex: defineField('x509sat.teletexString', 'teletexString', 'string'),
  universal: defineField('x509sat.universalString', 'universalString', 'string'),
  country: defineField('x509sat.CountryName', 'CountryName', 'string'),
  dnsName: defineField('x509ce.dNSName', 'dNSName', 'string'),
  notBefore: defineField('x509af.notBefore', 'notBefore', 'string'),
  notAfter: defineField('x509af.notAfter', 'notAfter', 'string')
}

const MAX_DEPTH = 24
const MAX_NODES = 4096

interface Tlv {
  tag: number
  /** Content start and end (exclusive). */
  s: number
  e: number
}

/** Reads one DER TLV at p, within limit; null when it does not fit (indefinite lengths are not DER). */
export function readTlv(d: Uint8Array, p: number, limit: number): Tlv | null {
  if (p + 2 > limit) return null
  let tag = d[p]!
  let q = p + 1
  if ((tag & 0x1f) === 0x1f) {
    // High tag numbers: skip the continuation bytes, keep the first byte as the tag class/form.
    let n = 0
    while (q < limit && d[q]! & 0x80 && n < 4) {
      q++
      n++
    }
    q++
    tag = 0x1f | (tag & 0xe0)
  }
  if (q >= limit) return null
  let len = d[q++]!
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || q + n > limit) return null
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + d[q++]!
  }
  if (q + len > limit) return null
  return { tag, s: q, e: q + len }
}

/** Dotted text of an OBJECT IDENTIFIER's content bytes. */
export function oidText(d: Uint8Array, s: number, e: number): string {
  if (s >= e) return ''
  const parts: number[] = []
  let v = 0
  let first = true
  for (let i = s; i < e; i++) {
    const b = d[i]!
    v = v * 128 + (b & 0x7f)
    if (!(b & 0x80)) {
      if (first) {
        const a = v < 40 ? 0 : v < 80 ? 1 : 2
        parts.push(a, v - a * 40)
        first = false
      } else parts.push(v)
      v = 0
    }
  }
  return parts.join('.')
}

const PKIX_IMPLICIT = new Set(['1.3.6.1.5.5.7.1.1', '1.3.6.1.5.5.7.1.11', '1.3.6.1.5.5.7.2.2'])
const PKIX_EXPLICIT = new Set(['1.3.6.1.5.5.7.2.1', '1.3.6.1.5.5.7.1.7', '1.3.6.1.5.5.7.1.8', '1.3.6.1.5.5.7.1.24', '1.2.840.10046.2.1'])
const PKIX_QUALIFIED = new Set(['1.3.6.1.5.5.7.1.2', '1.3.6.1.5.5.7.1.3'])
/** Certificate Transparency SCT lists are decoded by the TLS dissector. */
const TLS_OIDS = new Set(['1.3.6.1.4.1.11129.2.4.2', '1.3.6.1.4.1.11129.2.4.5'])
const RSASSA_PSS = '1.2.840.113549.1.1.10'
const MGF1 = '1.2.840.113549.1.1.8'
const PKCS1_PARAMS = new Set(['1.2.840.10045.2.1', '1.3.132.1.12', '1.2.840.10045.2.13', '1.2.840.113549.1.1.10', '1.2.840.113549.1.1.7'])
const X509SAT_EXTRA = new Set([
  '1.2.840.113549.1.9.1', '1.2.840.113549.1.9.7', '1.2.840.113549.1.9.8', '1.2.840.113549.1.9.13', '1.2.840.113549.1.9.20',
  '1.2.840.113549.1.9.21', '1.2.840.113549.1.9.25.3', '1.2.840.113549.1.9.25.4', '1.3.6.1.5.5.7.9.1', '1.3.6.1.5.5.7.9.2',
  '1.3.6.1.5.5.7.9.3', '1.3.6.1.5.5.7.9.4', '1.3.6.1.5.5.7.9.5', '0.9.2342.19200300.100.1.25', '2.16.840.1.113730.3.1.1',
  '2.16.840.1.113730.3.1.2', '2.16.840.1.113730.3.1.3', '2.16.840.1.113730.3.1.4', '2.16.840.1.113730.3.1.39',
  '2.16.840.1.113730.3.1.241', '1.3.6.1.4.1.311.20.2', '1.3.6.1.4.1.311.20.2.3', '1.3.6.1.4.1.311.17.1',
  '1.3.6.1.4.1.311.21.1', '1.3.6.1.4.1.311.21.2', '1.3.6.1.4.1.311.21.3', '1.3.6.1.4.1.311.21.4', '1.3.6.1.1.16.4',
  '1.3.6.1.4.1.311.60.2.1.1', '1.3.6.1.4.1.311.60.2.1.2', '1.3.6.1.4.1.311.60.2.1.3'
])

/** The protocol whose OID-registered dissector decodes a value of this type, if any. */
export function oidProtocol(oid: string): string | undefined {
  if (oid.startsWith('2.5.4.') || oid.startsWith('2.16.840.1.101.2.2.1.') || X509SAT_EXTRA.has(oid)) return 'x509sat'
  if (oid.startsWith('2.5.29.')) return 'x509ce'
  if (PKIX_IMPLICIT.has(oid)) return 'pkix1implicit'
  if (PKIX_EXPLICIT.has(oid)) return 'pkix1explicit'
  if (PKIX_QUALIFIED.has(oid)) return 'pkixqualified'
  if (TLS_OIDS.has(oid)) return 'tls'
  if (/^2\.16\.840\.1\.113730\.1\.(1|2|3|4|7|8|12|13)$/.test(oid)) return 'ns_cert_exts'
  return undefined
}

const SHORT: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber', '1.2.840.113549.1.9.1': 'emailAddress', '0.9.2342.19200300.100.1.25': 'DC'
}

const COUNTRY_OIDS = new Set(['2.5.4.6', '1.3.6.1.4.1.311.60.2.1.3'])

/** The x509sat field an attribute value is shown as, by its ASN.1 string type (as tshark). */
function valueField(oid: string, tag: number): typeof F.printable | undefined {
  if (COUNTRY_OIDS.has(oid)) return F.country
  switch (tag) {
    case 0x0c:
      return F.utf8
    case 0x13:
      return oid === '2.5.4.5' ? undefined : F.printable
    case 0x16:
      return F.ia5
    case 0x1e:
      return F.bmp
    case 0x14:
      return F.teletex
    case 0x1c:
      return F.universal
    default:
      return undefined
  }
}

class Walk {
  nodes = 0
  constructor(readonly ctx: PacketContext, readonly d: Uint8Array, readonly tree: boolean) {}

  layer(proto: string): void {
    this.ctx.protocols.push(proto)
  }

  text(s: number, e: number): string {
    let out = ''
    for (let i = s; i < e && i < s + 256; i++) out += String.fromCharCode(this.d[i]!)
    return out
  }

  children(t: Tlv): Tlv[] {
    const out: Tlv[] = []
    let p = t.s
    while (p < t.e && out.length < 1024) {
      const c = readTlv(this.d, p, t.e)
      if (!c) break
      out.push(c)
      p = c.e
    }
    return out
  }

  /** AlgorithmIdentifier: parameters other than NULL are decoded by pkcs-1 for some key types. */
  algorithm(t: Tlv, out: FieldNode[] | undefined): string {
    const [o, params] = this.children(t)
    if (!o || o.tag !== 0x06) return ''
    const oid = oidText(this.d, o.s, o.e)
    out?.push(node(F.algorithm, o.s, o.e - o.s, oid))
    if (params && params.tag !== 0x05 && PKCS1_PARAMS.has(oid)) {
      this.layer('pkcs-1')
      // RSASSA-PSS parameters: a hash and a mask generation function, AlgorithmIdentifiers
      // themselves; pkcs-1 decodes MGF1's parameters as well.
      if (oid === RSASSA_PSS && params.tag === 0x30) {
        for (const f of this.children(params)) {
          if (f.tag !== 0xa0 && f.tag !== 0xa1) continue
          const alg = readTlv(this.d, f.s, f.e)
          const [ao, ap] = alg && alg.tag === 0x30 ? this.children(alg) : []
          if (ao?.tag !== 0x06) continue
          const aoid = oidText(this.d, ao.s, ao.e)
          out?.push(node(F.algorithm, ao.s, ao.e - ao.s, aoid))
          if (aoid === MGF1 && ap && ap.tag === 0x30) {
            this.layer('pkcs-1')
            const [ho] = this.children(ap)
            if (ho?.tag === 0x06) out?.push(node(F.algorithm, ho.s, ho.e - ho.s, oidText(this.d, ho.s, ho.e)))
          }
        }
      }
    }
    return oid
  }

  /** Name ::= SEQUENCE OF RelativeDistinguishedName; returns "CN=..., O=...". */
  name(t: Tlv, out: FieldNode[] | undefined): string {
    const parts: string[] = []
    for (const set of this.children(t)) {
      for (const atv of this.children(set)) {
        const [o, v] = this.children(atv)
        if (!o || o.tag !== 0x06) continue
        const oid = oidText(this.d, o.s, o.e)
        const proto = oidProtocol(oid)
        if (proto && v) this.layer(proto)
        const value = v ? this.text(v.s, v.e) : ''
        parts.push(`${SHORT[oid] ?? oid}=${value}`)
        if (out && this.nodes++ < MAX_NODES) {
          out.push(node(F.rdn, o.s, o.e - o.s, oid))
          const def = v ? valueField(oid, v.tag) : undefined
          if (v && def) out.push(node(def, v.s, v.e - v.s, value))
        }
      }
    }
    return parts.join(', ')
  }

  extension(t: Tlv, out: FieldNode[] | undefined): void {
    const parts = this.children(t)
    const o = parts[0]
    const value = parts[parts.length - 1]
    if (!o || o.tag !== 0x06 || !value || value.tag !== 0x04) return
    const oid = oidText(this.d, o.s, o.e)
    out?.push(node(F.extensionId, o.s, o.e - o.s, oid))
    const proto = oidProtocol(oid)
    if (!proto) return
    this.layer(proto)
    // Values decoded inside the extension that are themselves dispatched by OID.
    const inner = readTlv(this.d, value.s, value.e)
    if (!inner) return
    if (oid === '2.5.29.32') {
      for (const info of this.children(inner)) {
        const [, qualifiers] = this.children(info)
        if (!qualifiers) continue
        for (const q of this.children(qualifiers)) {
          const [qid, qv] = this.children(q)
          if (!qid || qid.tag !== 0x06 || !qv) continue
          const p = oidProtocol(oidText(this.d, qid.s, qid.e))
          if (p) this.layer(p)
        }
      }
    } else if (oid === '2.5.29.17' && out) {
      for (const gn of this.children(inner)) if (gn.tag === 0x82) out.push(node(F.dnsName, gn.s, gn.e - gn.s, this.text(gn.s, gn.e)))
    }
  }
}

/**
 * One DER certificate at `off..end` of `d` (ctx.data, or reassembled bytes). Adds its layers to
 * ctx.protocols in Wireshark's order and returns a subtree in tree mode.
 */
export function dissectCertificate(ctx: PacketContext, d: Uint8Array, off: number, end: number): FieldNode | undefined {
  const w = new Walk(ctx, d, ctx.tree)
  const cert = readTlv(d, off, end)
  const kids: FieldNode[] | undefined = ctx.tree ? [] : undefined
  const top: FieldNode | undefined = kids ? { name: F.certificate.name, off, len: end - off, children: kids, label: 'Certificate' } : undefined
  if (!cert || cert.tag !== 0x30) {
    if (top) top.expert = { severity: 'error', group: 'malformed', message: 'Certificate is not a DER SEQUENCE' }
    return top
  }
  const [tbs, sigAlg] = w.children(cert)
  if (!tbs || tbs.tag !== 0x30) return top
  const f = w.children(tbs)
  let i = 0
  if (f[i]?.tag === 0xa0) i++
  const serial = f[i++]
  if (serial && kids) kids.push(node(F.serial, serial.s, serial.e - serial.s, d.slice(serial.s, serial.e)))
  const alg = f[i++]
  if (alg?.tag === 0x30) w.algorithm(alg, kids)
  const issuer = f[i++]
  const issuerText = issuer?.tag === 0x30 ? w.name(issuer, kids) : ''
  const validity = f[i++]
  if (validity?.tag === 0x30 && kids) {
    const [nb, na] = w.children(validity)
    if (nb) kids.push(node(F.notBefore, nb.s, nb.e - nb.s, w.text(nb.s, nb.e)))
    if (na) kids.push(node(F.notAfter, na.s, na.e - na.s, w.text(na.s, na.e)))
  }
  const subject = f[i++]
  const subjectText = subject?.tag === 0x30 ? w.name(subject, kids) : ''
  const spki = f[i++]
  if (spki?.tag === 0x30) {
    const [a] = w.children(spki)
    if (a?.tag === 0x30) w.algorithm(a, kids)
  }
  for (; i < f.length; i++) {
    if (f[i]!.tag !== 0xa3) continue
    const exts = readTlv(d, f[i]!.s, f[i]!.e)
    if (!exts) continue
    let depth = 0
    for (const ext of w.children(exts)) {
      if (++depth > MAX_DEPTH * 64) break
      w.extension(ext, kids)
    }
  }
  if (sigAlg?.tag === 0x30) w.algorithm(sigAlg, kids)
  if (top) top.label = `Certificate: ${subjectText || '(no subject)'} (issuer ${issuerText || '?'})`
  return top
}

/** A DistinguishedName in a CertificateRequest's certificate_authorities list. */
export function dissectDistinguishedName(ctx: PacketContext, d: Uint8Array, off: number, end: number): string {
  const w = new Walk(ctx, d, ctx.tree)
  const t = readTlv(d, off, end)
  return t && t.tag === 0x30 ? w.name(t, undefined) : ''
}
