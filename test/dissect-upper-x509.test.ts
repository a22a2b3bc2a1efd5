// X.509 certificates in a TLS 1.2 server flight, checked against tshark 4.0: the certificate
// walk must add the same OID-dispatched layers to frame.protocols (x509sat, x509ce,
// pkix1implicit, pkix1explicit, pkcs-1, ns_cert_exts, tls for CT lists) and the same fields.
// The certificates were made with `openssl req -x509` (EC P-256 with many extensions and
// attributes, RSA, RSA-PSS) and are embedded so the test needs no openssl.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { runFields } from '../src/main/cli/fields'
import { oidProtocol } from '../src/main/dissect/app/x509'
import { ACK, PSH, serverHello, tcpFrame, tlsHandshake, tlsRecord, writePcap } from './dissect-upper-support'

const CERTS = {
  ec:
    'MIIEYDCCBAagAwIBAgIUXuSXd9zMf+e5B90NVCQeTk3j5OQwCgYIKoZIzj0EAwIwgcQxCzAJBgNVBAYTAlVTMRMwEQYDVQQIDApD' +
    'YWxpZm9ybmlhMRYwFAYDVQQHDA1Nb3VudGFpbiBWaWV3MRQwEgYDVQQKDAtFeGFtcGxlIE9yZzENMAsGA1UECwwEVW5pdDEYMBYG' +
    'A1UEAwwPd3d3LmV4YW1wbGUuY29tMSAwHgYJKoZIhvcNAQkBFhFhZG1pbkBleGFtcGxlLmNvbTEXMBUGCgmSJomT8ixkARkWB2V4' +
    'YW1wbGUxDjAMBgNVBAUTBTEyMzQ1MB4XDTI2MTEyNTA4MzM0NFoXDTI2MTIwNTA4MzM0NFowgcQxCzAJBgNVBAYTAlVTMRMwEQYD' +
    'VQQIDApDYWxpZm9ybmlhMRYwFAYDVQQHDA1Nb3VudGFpbiBWaWV3MRQwEgYDVQQKDAtFeGFtcGxlIE9yZzENMAsGA1UECwwEVW5p' +
    'dDEYMBYGA1UEAwwPd3d3LmV4YW1wbGUuY29tMSAwHgYJKoZIhvcNAQkBFhFhZG1pbkBleGFtcGxlLmNvbTEXMBUGCgmSJomT8ixk' +
    'ARkWB2V4YW1wbGUxDjAMBgNVBAUTBTEyMzQ1MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETjHKShhrac20jDafDwd85MSOlwaU' +
    '+gvIak6IVtm8zhmCexXmxV1Ik38XQjX6sotD9yeTraMzkMxxlxFcxdO21qOCAdIwggHOMAwGA1UdEwEB/wQCMAAwCwYDVR0PBAQD' +
    'AgWgMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjA8BgNVHREENTAzgg93d3cuZXhhbXBsZS5jb22CC2V4YW1wbGUuY29t' +
    'hwQKAAABgQ1hQGV4YW1wbGUuY29tMB0GA1UdDgQWBBR/WCGJeyfP8jaQP0eINvj7s9CtbDAuBgNVHR8EJzAlMCOgIaAfhh1odHRw' +
    'Oi8vY3JsLmV4YW1wbGUuY29tL2NhLmNybDBbBgNVHSAEVDBSMAgGBmeBDAECATBGBgkrBgEEAYaNHwEwOTAiBggrBgEFBQcCARYW' +
    'aHR0cDovL2Nwcy5leGFtcGxlLmNvbTATBggrBgEFBQcCAjAHGgVoZWxsbzBdBggrBgEFBQcBAQRRME8wIwYIKwYBBQUHMAGGF2h0' +
    'dHA6Ly9vY3NwLmV4YW1wbGUuY29tMCgGCCsGAQUFBzAChhxodHRwOi8vY2EuZXhhbXBsZS5jb20vY2EuY3J0MCEGCWCGSAGG+EIB' +
    'DQQUFhJhIG5ldHNjYXBlIGNvbW1lbnQwEwYKKwYBBAHWeQIEAgQFBAMBAgMwEQYIKwYBBQUHARgEBTADAgEFMAoGCCqGSM49BAMC' +
    'A0gAMEUCIDbKXFDvEIH5G3JyAp7O8POrZC1ZxH+7iulDESlt7TKQAiEAgWNuj0rRR9EVkpVazaAdXSpsciWdtKvyI3UugfSzEZo=',
  rsa:
    'MIICJDCCAY2gAwIBAgIUHoffIDGPvjUl1nwNOwaKBrBZgk0wDQYJKoZIhvcNAQELBQAwJDEQMA4GA1UEAwwHUm9vdCBDQTEQMA4G' +
    'A1UECgwHRXhhbXBsZTAeFw0yNjExMjUwODMzNDRaFw0yNjEyMDUwODMzNDRaMCQxEDAOBgNVBAMMB1Jvb3QgQ0ExEDAOBgNVBAoM' +
    'B0V4YW1wbGUwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBANkik5geNdxpX6qNpU5xTJQop67w0OPqvVv1w9APNMi5E01Su+Ub' +
    'JTkfW+1lMNDjG+S0megLSYvpnwydUYJt4s7zrCjZdqbfGEP7BsVtaVpsZYaI118Gbh9aynT8hZHh4lJnBKFjMQdrTX9qKzL+ZGwE' +
    'lSfqgPqIOibiZeguWuQZAgMBAAGjUzBRMB0GA1UdDgQWBBSlHWs17KSbE3TGvEeVR/OX0qm+MDAfBgNVHSMEGDAWgBSlHWs17KSb' +
    'E3TGvEeVR/OX0qm+MDAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4GBAAO8x7lJRxEJe8ksuS46sEra0dIRY4asAQ7r' +
    'zvIj2OX16I9SsF5/fy8ShI3GDakdeEsLPjuPzbsYUYpdEQWX3r+P6xYfZ7SsP4IrAG1bc7h6KK7yYo44ekpG6WzQHd7G9ONbWndZ' +
    'WvXeSt0fB3xq7dhlqgFImzRswzTo2aeRj0KW',
  pss:
    'MIICiDCCAb2gAwIBAgIUDuUKSH9Y+SpZbyhkRyS4HllLO74wQQYJKoZIhvcNAQEKMDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqG' +
    'SIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgFeMCMxDDAKBgNVBAMMA1BTUzETMBEGCysGAQQBgjc8AgEDEwJERTAeFw0yNjExMjUw' +
    'ODMzNDRaFw0yNjEyMDUwODMzNDRaMCMxDDAKBgNVBAMMA1BTUzETMBEGCysGAQQBgjc8AgEDEwJERTCBnTALBgkqhkiG9w0BAQoD' +
    'gY0AMIGJAoGBAOaE+XZMA0MSLo4djxf5kQ3vZOlVXPFaxv0tFkZU5Mc3IyL2c+uC61v6kppK3NLrBwe+/sgTR3bE3c0+UD2Hvfro' +
    'rFNmcNnVLSzd0qo9lR7tMoLo+s2czp9eYsApaVxopJdTJl8FtKqKfl7QR6SdCzZskcykL9CCjPvKBbvaYY43AgMBAAGjUzBRMB0G' +
    'A1UdDgQWBBRU+z9QLnq5gte+/XshHyWhdD5zazAfBgNVHSMEGDAWgBRU+z9QLnq5gte+/XshHyWhdD5zazAPBgNVHRMBAf8EBTAD' +
    'AQH/MEEGCSqGSIb3DQEBCjA0oA8wDQYJYIZIAWUDBAIBBQChHDAaBgkqhkiG9w0BAQgwDQYJYIZIAWUDBAIBBQCiAwIBXgOBgQBh' +
    'P42m9N5kFCKEoYe1zll1L5+s4d5jhiuRQcGyYqYrKrzLakeZ7Nh1cT7hIP/ZlWQ+9BVua3soHw7pjzNY7p3eikESkZvfxD0H/uvf' +
    'QTQnkMs+UOccawm79V9oPijV08TPEmi87+yQCxGQxXuLGW1bKTkNCkkLS38/+leI5Wjqgg==',
}

const dir = mkdtempSync(join(tmpdir(), 'wn-x509-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const u24 = (n: number) => [(n >> 16) & 255, (n >> 8) & 255, n & 255]

function flight(): number[] {
  const list = Object.values(CERTS).flatMap((b) => {
    const der = [...Buffer.from(b, 'base64')]
    return [...u24(der.length), ...der]
  })
  const body = [...serverHello(null, 0xc02f), ...tlsHandshake(11, [...u24(list.length), ...list]), ...tlsHandshake(14, [])]
  return tlsRecord(22, 0x0303, body)
}

const FIELDS = [
  'frame.protocols', 'tls.handshake.type', 'tls.handshake.certificates_length', 'tls.handshake.certificate_length',
  'x509af.algorithm.id', 'x509af.extension.id', 'x509if.oid', 'x509ce.dNSName', 'x509sat.printableString',
  'x509sat.uTF8String', 'x509sat.IA5String', 'x509sat.CountryName'
]

it('certificate chains give the same layers and fields as tshark, whole or reassembled', () => {
  const rec = flight()
  const frames = [tcpFrame({ sport: 443, dport: 5000, seq: 1, ack: 1, flags: PSH | ACK, payload: new Uint8Array(rec) })]
  for (const [a, b] of [[0, 700], [700, 1500], [1500, rec.length]] as const) {
    frames.push(tcpFrame({ sport: 443, dport: 5001, seq: 1 + a, ack: 1, flags: b === rec.length ? PSH | ACK : ACK, payload: new Uint8Array(rec.slice(a, b)) }))
  }
  const file = join(dir, 'x509.pcap')
  writePcap(file, frames)
  const want = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', ...FIELDS.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore']
  })
  for (const mode of ['tree', 'auto'] as const) {
    let out = ''
    expect(runFields({ file, fields: FIELDS, header: false, separator: '\t', mode }, { out: (s) => (out += s), err: () => {} })).toBe(0)
    expect(out).toBe(want)
  }
})

it('maps OIDs to the protocols whose dissectors Wireshark registers for them', () => {
  expect(oidProtocol('2.5.4.3')).toBe('x509sat')
  expect(oidProtocol('1.2.840.113549.1.9.1')).toBe('x509sat')
  expect(oidProtocol('2.5.29.17')).toBe('x509ce')
  expect(oidProtocol('1.3.6.1.5.5.7.1.1')).toBe('pkix1implicit')
  expect(oidProtocol('1.3.6.1.5.5.7.2.1')).toBe('pkix1explicit')
  expect(oidProtocol('1.3.6.1.4.1.11129.2.4.2')).toBe('tls')
  expect(oidProtocol('1.2.3.4')).toBeUndefined()
})
