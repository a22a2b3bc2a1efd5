// The bundled sample capture: one visit of http://example.com/ as a browser makes it (DNS
// lookup, TCP handshake, GET, 200 OK, FIN teardown) plus the start of an HTTPS connection to
// the same host, so a first-time user without capture rights sees a handshake at once. The
// client's ISN is the one in the Wirenote walkthrough (0x4ce45750).
import { dnsMessage, TCP, tcpFrame, tlsClientHello, udpFrame, type L2L3, type TcpSegment } from './frames'

export interface SynthPacket {
  /** Nanoseconds since the epoch. */
  tsNs: bigint
  data: Uint8Array
  comment?: string
}

const CLIENT = { mac: '3c:22:fb:5a:10:07', ip: '192.168.1.23' }
const ROUTER = { mac: 'a0:63:91:2e:4b:c1', ip: '192.168.1.1' }
const SERVER_IP = '93.184.215.14'

const enc = new TextEncoder()

const PAGE = `<!doctype html>
<html>
<head>
    <title>Example Domain</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
</head>
<body>
<div>
    <h1>Example Domain</h1>
    <p>This domain is for use in illustrative examples in documents. You may use this
    domain in literature without prior coordination or asking for permission.</p>
</div>
</body>
</html>
`

export function webVisit(startNs = 1_763_633_730_000_000_000n): SynthPacket[] {
  const out: SynthPacket[] = []
  let t = startNs
  const at = (us: number, data: Uint8Array): void => {
    t += BigInt(us) * 1000n
    out.push({ tsNs: t, data })
  }
  const up = (id: number): L2L3 => ({ srcMac: CLIENT.mac, dstMac: ROUTER.mac, src: CLIENT.ip, dst: SERVER_IP, ttl: 64, id })
  const down = (id: number): L2L3 => ({ srcMac: ROUTER.mac, dstMac: CLIENT.mac, src: SERVER_IP, dst: CLIENT.ip, ttl: 52, id })

  // DNS: the browser resolves example.com through the home router.
  at(0, udpFrame({ srcMac: CLIENT.mac, dstMac: ROUTER.mac, src: CLIENT.ip, dst: ROUTER.ip, id: 0x1c46, sport: 53011, dport: 53, payload: dnsMessage(0x5a3e, 'example.com') }))
  at(18_412, udpFrame({ srcMac: ROUTER.mac, dstMac: CLIENT.mac, src: ROUTER.ip, dst: CLIENT.ip, id: 0x7d01, sport: 53, dport: 53011, payload: dnsMessage(0x5a3e, 'example.com', { addr: SERVER_IP, ttl: 1800 }) }))

  // HTTP over TCP: handshake, request, response, teardown.
  const c = { sport: 51234, dport: 80 }
  const s = { sport: 80, dport: 51234 }
  const cisn = 0x4ce45750
  const sisn = 0x9a3f1c22
  const tsc = 2_861_417_003
  const tss = 1_907_228_764
  const seg = (h: L2L3, p: Omit<TcpSegment, keyof L2L3>): Uint8Array => tcpFrame({ ...h, ...p })
  at(1_204, seg(up(0xa1f0), { ...c, seq: cisn, ack: 0, flags: TCP.SYN, window: 64240, options: [{ kind: 'mss', value: 1460 }, { kind: 'sackPerm' }, { kind: 'ts', val: tsc, ecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] }))
  at(23_871, seg(down(0), { ...s, seq: sisn, ack: cisn + 1, flags: TCP.SYN | TCP.ACK, window: 65160, options: [{ kind: 'mss', value: 1460 }, { kind: 'sackPerm' }, { kind: 'ts', val: tss, ecr: tsc }, { kind: 'nop' }, { kind: 'wscale', shift: 9 }] }))
  const ts = (val: number, ecr: number): TcpSegment['options'] => [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val, ecr }]
  at(96, seg(up(0xa1f1), { ...c, seq: cisn + 1, ack: sisn + 1, flags: TCP.ACK, window: 502, options: ts(tsc + 24, tss) }))
  const request = enc.encode(
    'GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n' +
      'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n' +
      'Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n'
  )
  at(212, seg(up(0xa1f2), { ...c, seq: cisn + 1, ack: sisn + 1, flags: TCP.PSH | TCP.ACK, window: 502, options: ts(tsc + 24, tss), payload: request }))
  at(24_310, seg(down(0x3b90), { ...s, seq: sisn + 1, ack: cisn + 1 + request.length, flags: TCP.ACK, window: 128, options: ts(tss + 24, tsc + 24) }))
  const body = enc.encode(PAGE)
  const response = enc.encode(
    'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nDate: Thu, 20 Nov 2025 10:15:30 GMT\r\nCache-Control: max-age=3600\r\n' +
      `Content-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${PAGE}`
  )
  at(1_022, seg(down(0x3b91), { ...s, seq: sisn + 1, ack: cisn + 1 + request.length, flags: TCP.PSH | TCP.ACK, window: 128, options: ts(tss + 25, tsc + 24), payload: response }))
  at(61, seg(up(0xa1f3), { ...c, seq: cisn + 1 + request.length, ack: sisn + 1 + response.length, flags: TCP.ACK, window: 501, options: ts(tsc + 49, tss + 25) }))

  // The browser also opens https://example.com/ (TLS ClientHello with SNI) while the page renders.
  const h = { sport: 51236, dport: 443 }
  const hs = { sport: 443, dport: 51236 }
  const hisn = 0x1b7e0d93
  const hsisn = 0xe05a4417
  at(4_870, seg(up(0x5c20), { ...h, seq: hisn, ack: 0, flags: TCP.SYN, window: 64240, options: [{ kind: 'mss', value: 1460 }, { kind: 'sackPerm' }, { kind: 'ts', val: tsc + 54, ecr: 0 }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] }))
  at(23_544, seg(down(0), { ...hs, seq: hsisn, ack: hisn + 1, flags: TCP.SYN | TCP.ACK, window: 65160, options: [{ kind: 'mss', value: 1460 }, { kind: 'sackPerm' }, { kind: 'ts', val: tss + 49, ecr: tsc + 54 }, { kind: 'nop' }, { kind: 'wscale', shift: 9 }] }))
  at(88, seg(up(0x5c21), { ...h, seq: hisn + 1, ack: hsisn + 1, flags: TCP.ACK, window: 502, options: ts(tsc + 78, tss + 49) }))
  const random = Uint8Array.from({ length: 32 }, (_, i) => (i * 73 + 41) & 0xff)
  const hello = tlsClientHello('example.com', random)
  at(1_310, seg(up(0x5c22), { ...h, seq: hisn + 1, ack: hsisn + 1, flags: TCP.PSH | TCP.ACK, window: 502, options: ts(tsc + 79, tss + 49), payload: hello }))
  at(23_907, seg(down(0x8e40), { ...hs, seq: hsisn + 1, ack: hisn + 1 + hello.length, flags: TCP.ACK, window: 128, options: ts(tss + 73, tsc + 79) }))

  // The HTTP connection closes: client FIN, server FIN, last ACK.
  const cfin = cisn + 1 + request.length
  const sfin = sisn + 1 + response.length
  at(5_123, seg(up(0xa1f4), { ...c, seq: cfin, ack: sfin, flags: TCP.FIN | TCP.ACK, window: 501, options: ts(tsc + 104, tss + 25) }))
  at(23_698, seg(down(0x3b92), { ...s, seq: sfin, ack: cfin + 1, flags: TCP.FIN | TCP.ACK, window: 128, options: ts(tss + 98, tsc + 104) }))
  at(71, seg(up(0xa1f5), { ...c, seq: cfin + 1, ack: sfin + 1, flags: TCP.ACK, window: 501, options: ts(tsc + 128, tss + 98) }))
  return out
}
