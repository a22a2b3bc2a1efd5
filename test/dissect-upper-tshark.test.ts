// Crafted captures for the transport and application dissectors, decoded by `wirenote fields`
// (both the summary fast path and trees) and by tshark 4.0 in the same run: every field listed
// must print the same text. Covers TCP options and analysis flags, DNS record types and name
// compression, HTTP (segmented, chunked, pipelined, heuristic) and TLS hellos.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runFields } from '../src/main/cli/fields'
import {
  ACK, clientHello, dnsMessage, dnsName, FIN, PSH, RST, serverHello, SYN, tcpFrame, tlsRecord, udpFrame, writePcap, type TcpSpec
} from './dissect-upper-support'

const dir = mkdtempSync(join(tmpdir(), 'wn-upper-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Both ends of a TCP connection, tracking sequence numbers. */
class Conn {
  c = 0
  s = 0
  constructor(
    readonly cport: number,
    readonly sport: number,
    readonly cisn: number,
    readonly sisn: number,
    readonly cip = '10.0.0.1',
    readonly sip = '10.0.0.2'
  ) {}
  private spec(fromClient: boolean, flags: number, payload: Uint8Array | string = '', extra: Partial<TcpSpec> = {}): TcpSpec {
    const len = typeof payload === 'string' ? new TextEncoder().encode(payload).length : payload.length
    const seq = fromClient ? this.cisn + this.c : this.sisn + this.s
    const ack = fromClient ? this.sisn + this.s : this.cisn + this.c
    const s: TcpSpec = {
      src: fromClient ? this.cip : this.sip,
      dst: fromClient ? this.sip : this.cip,
      sport: fromClient ? this.cport : this.sport,
      dport: fromClient ? this.sport : this.cport,
      seq,
      ack: flags & ACK ? ack : 0,
      flags,
      payload,
      ...extra
    }
    const adv = len + (flags & (SYN | FIN) ? 1 : 0)
    if (fromClient) this.c += adv
    else this.s += adv
    return s
  }
  client(flags: number, payload?: Uint8Array | string, extra?: Partial<TcpSpec>): Uint8Array {
    return tcpFrame(this.spec(true, flags, payload, extra))
  }
  server(flags: number, payload?: Uint8Array | string, extra?: Partial<TcpSpec>): Uint8Array {
    return tcpFrame(this.spec(false, flags, payload, extra))
  }
  handshake(): Uint8Array[] {
    return [
      this.client(SYN, '', { options: [2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2] }),
      this.server(SYN | ACK, '', { options: [2, 4, 5, 0xb4, 4, 2, 1, 3, 3, 2] }),
      this.client(ACK)
    ]
  }
}

function compare(name: string, frames: Uint8Array[], fields: string[]): string[] {
  const file = join(dir, name + '.pcap')
  writePcap(file, frames)
  const tshark = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore']
  })
  const diffs: string[] = []
  for (const mode of ['auto', 'tree'] as const) {
    let out = ''
    const status = runFields({ file, fields, header: false, separator: '\t', mode }, { out: (s) => (out += s), err: () => {} })
    expect(status).toBe(0)
    const want = tshark.split('\n')
    const got = out.split('\n')
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      const w = (want[i] ?? '').split('\t')
      const g = (got[i] ?? '').split('\t')
      fields.forEach((f, c) => {
        if ((w[c] ?? '') !== (g[c] ?? '')) diffs.push(`${mode} frame ${i + 1} ${f}: tshark "${w[c] ?? ''}" wirenote "${g[c] ?? ''}"`)
      })
    }
  }
  return diffs
}

const TCP_FIELDS = [
  'frame.protocols', 'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.stream', 'tcp.len', 'tcp.seq', 'tcp.seq_raw', 'tcp.nxtseq',
  'tcp.ack', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.flags.fin', 'tcp.flags.reset',
  'tcp.flags.push', 'tcp.flags.str', 'tcp.window_size_value', 'tcp.window_size', 'tcp.window_size_scalefactor',
  'tcp.checksum', 'tcp.urgent_pointer', 'tcp.options.mss_val', 'tcp.options.wscale.shift', 'tcp.options.wscale.multiplier',
  'tcp.options.sack_le', 'tcp.options.sack_re', 'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr',
  'tcp.option_kind', 'tcp.option_len', 'tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.analysis.duplicate_ack',
  'tcp.analysis.lost_segment', 'tcp.analysis.window_update', 'tcp.analysis.keep_alive', 'tcp.analysis.out_of_order',
  'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission', 'tcp.analysis.ack_lost_segment',
  'tcp.analysis.reused_ports', 'tcp.analysis.zero_window', '_ws.col.Info'
]

describe('TCP header, options and conversation analysis match tshark', () => {
  it('handshake, data, retransmissions, duplicate ACKs, window updates, teardown, port reuse', () => {
    const a = new Conn(40000, 8000, 1000, 900000)
    const f: Uint8Array[] = [...a.handshake()]
    f.push(a.client(PSH | ACK, 'hello there'))
    f.push(a.server(ACK))
    // retransmission of the client's data
    a.c -= 11
    f.push(a.client(PSH | ACK, 'hello there'))
    // three duplicate ACKs from the server, then a window update
    f.push(a.server(ACK), a.server(ACK), a.server(ACK))
    f.push(a.server(ACK, '', { window: 1000 }))
    // a lost segment: skip 100 bytes
    a.s += 100
    f.push(a.server(PSH | ACK, 'after the gap'))
    // keep-alive: seq one below next
    a.c -= 1
    f.push(a.client(ACK, '', {}))
    a.c += 1
    // SACK and timestamps
    f.push(a.client(ACK, '', { options: [1, 1, 5, 10, ...[0, 0x0d, 0xbb, 0xa0], ...[0, 0x0d, 0xbb, 0xb0], 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6] }))
    f.push(a.client(FIN | ACK), a.server(FIN | ACK), a.client(ACK))
    // the same ports again with a new ISN: a new stream (tshark flags the reused ports)
    const b = new Conn(40000, 8000, 777777, 555555)
    f.push(...b.handshake(), b.client(RST | ACK))
    // a second conversation interleaved, without handshake (mid-stream start)
    const c = new Conn(40001, 8000, 3000, 4000)
    f.push(c.client(PSH | ACK, 'mid'), c.server(ACK))
    expect(compare('tcp', f, TCP_FIELDS)).toEqual([])
  })

  it('short, bogus and option-cut headers', () => {
    const f: Uint8Array[] = []
    f.push(tcpFrame({ sport: 1, dport: 2, seq: 5, flags: ACK, hdrLen: 16 }))
    f.push(tcpFrame({ sport: 1, dport: 2, seq: 5, flags: ACK, options: [2, 4, 5, 0xb4, 30, 4, 1, 2, 0, 0, 0, 0], urgent: 0 } as TcpSpec))
    // options claiming a length past the header
    f.push(tcpFrame({ sport: 3, dport: 4, seq: 5, flags: SYN, options: [2, 12, 5, 0xb4] }))
    expect(compare('tcp-bad', f, TCP_FIELDS)).toEqual([])
  })
})

const DNS_FIELDS = [
  'frame.protocols', 'udp.srcport', 'udp.dstport', 'udp.length', 'dns.id', 'dns.flags', 'dns.flags.response', 'dns.flags.rcode',
  'dns.count.queries', 'dns.count.answers', 'dns.count.auth_rr', 'dns.count.add_rr', 'dns.qry.name', 'dns.qry.name.len',
  'dns.count.labels', 'dns.qry.type', 'dns.qry.class', 'dns.resp.name', 'dns.resp.type', 'dns.resp.class', 'dns.resp.ttl',
  'dns.resp.len', 'dns.a', 'dns.aaaa', 'dns.cname', 'dns.ns', 'dns.mx.preference', 'dns.mx.mail_exchange', 'dns.txt',
  'dns.srv.priority', 'dns.srv.weight', 'dns.srv.port', 'dns.srv.target', 'dns.ptr.domain_name', 'dns.soa.mname',
  'dns.soa.rname', 'dns.soa.serial_number', 'dns.rr.udp_payload_size', '_ws.col.Info'
]

describe('DNS matches tshark', () => {
  it('queries and answers of the common types, with compression', () => {
    const ptr = (o: number) => [0xc0, o]
    const q = dnsMessage({ id: 0x1234, flags: 0x0100, questions: [[dnsName('www.example.com'), 1]], additional: [{ name: [0], type: 41, cls: 1232, ttl: 0, rdata: [] }] })
    const r = dnsMessage({
      id: 0x1234,
      flags: 0x8180,
      questions: [[dnsName('www.example.com'), 1]],
      answers: [
        { name: ptr(12), type: 5, rdata: dnsName('web.example.com') },
        { name: ptr(12), type: 1, rdata: [93, 184, 216, 34] },
        { name: ptr(12), type: 28, rdata: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
        { name: ptr(16), type: 15, rdata: [0, 10, ...dnsName('mail.example.com')] },
        { name: ptr(16), type: 16, rdata: [5, ...new TextEncoder().encode('hello'), 3, ...new TextEncoder().encode('abc')] },
        { name: dnsName('_sip._tcp.example.com'), type: 33, rdata: [0, 1, 0, 2, 0x13, 0xc4, ...dnsName('sip.example.com')] },
        { name: dnsName('34.216.184.93.in-addr.arpa'), type: 12, rdata: dnsName('host.example.com') }
      ],
      authority: [
        { name: ptr(16), type: 2, rdata: dnsName('ns1.example.com') },
        { name: ptr(16), type: 6, rdata: [...dnsName('ns1.example.com'), ...dnsName('admin.example.com'), 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5] }
      ]
    })
    const nx = dnsMessage({ id: 7, flags: 0x8183, questions: [[dnsName('nope.example'), 28]] })
    const f = [udpFrame(53000, 53, q), udpFrame(53, 53000, r, '10.0.0.2', '10.0.0.1'), udpFrame(53, 53001, nx, '10.0.0.2', '10.0.0.1')]
    expect(compare('dns', f, DNS_FIELDS)).toEqual([])
  })

  it('a compression pointer loop ends without hanging', () => {
    // question name is a pointer to itself
    const loop = new Uint8Array([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1])
    let out = ''
    const file = join(dir, 'dns-loop.pcap')
    writePcap(file, [udpFrame(53, 5353, loop), udpFrame(5000, 53, loop)])
    const status = runFields({ file, fields: ['frame.protocols', 'dns.qry.name'], header: false, separator: '\t', mode: 'tree' }, { out: (s) => (out += s), err: () => {} })
    expect(status).toBe(0)
    expect(out.split('\n')[0]).toMatch(/^eth:ethertype:ip:udp:(dns|mdns)\t/)
  })
})

const HTTP_FIELDS = [
  'frame.protocols', 'tcp.stream', 'tcp.len', 'http.request.method', 'http.request.uri', 'http.request.version', 'http.host',
  'http.user_agent', 'http.accept', 'http.response.code', 'http.response.phrase', 'http.response.version', 'http.content_type',
  'http.content_length_header', 'http.connection', 'http.server', 'http.request.full_uri', 'http.request.line',
  'http.response.line', 'http.transfer_encoding'
]

describe('HTTP matches tshark (with TCP reassembly)', () => {
  it('requests and responses in one or several segments, chunked, pipelined, 304, heuristic port', () => {
    const a = new Conn(50000, 80, 100, 5000)
    const f: Uint8Array[] = [...a.handshake()]
    const req = 'GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test/1.0\r\nAccept: */*\r\n\r\n'
    f.push(a.client(PSH | ACK, req))
    const body = '<html>' + 'x'.repeat(2000) + '</html>\n'
    const res = `HTTP/1.1 200 OK\r\nServer: unit\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    for (let i = 0; i < res.length; i += 900) f.push(a.server(ACK, res.slice(i, i + 900)))
    // a request split in two segments
    const req2 = 'GET /two HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n'
    f.push(a.client(PSH | ACK, req2.slice(0, 20)), a.client(PSH | ACK, req2.slice(20)))
    // chunked response
    const chunked = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'
    f.push(a.server(PSH | ACK, chunked.slice(0, 70)), a.server(PSH | ACK, chunked.slice(70)))
    // two pipelined requests in one segment, then a 304
    f.push(a.client(PSH | ACK, 'GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n'))
    f.push(a.server(PSH | ACK, 'HTTP/1.1 304 Not Modified\r\nServer: unit\r\n\r\n'))
    // HTTP on a port without a registered dissector: found by heuristic
    const b = new Conn(50001, 18080, 1, 2)
    f.push(...b.handshake(), b.client(PSH | ACK, 'POST /form HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc'))
    f.push(b.server(PSH | ACK, 'HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'))
    expect(compare('http', f, HTTP_FIELDS)).toEqual([])
  })
})

describe('HTTP bodies by media type match tshark', () => {
  it('no type, image, octet-stream, JSON, XML, text', () => {
    const bodies: [string, string][] = [
      ['', 'abc'],
      ['image/gif', 'GIF89a'],
      ['application/octet-stream', 'abc'],
      ['application/json', '{"a":1}'],
      ['text/xml', '<?xml version="1.0" encoding="UTF-8"?><a>b</a>'],
      ['text/plain; charset=utf-8', 'line one\nline two\n']
    ]
    const f = bodies.map(([type, body], i) =>
      tcpFrame({
        sport: 80,
        dport: 41000 + i,
        seq: 1,
        ack: 1,
        flags: PSH | ACK,
        payload: `HTTP/1.1 200 OK\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${body.length}\r\n\r\n${body}`
      })
    )
    expect(compare('http-media', f, ['frame.protocols', 'http.content_type', '_ws.col.Info', '_ws.col.Protocol'])).toEqual([])
  })
})

const TLS_FIELDS = [
  'frame.protocols', 'tcp.len', 'tls.record.content_type', 'tls.record.version', 'tls.record.length', 'tls.handshake.type',
  'tls.handshake.length', 'tls.handshake.version', 'tls.handshake.session_id_length', 'tls.handshake.cipher_suites_length',
  'tls.handshake.ciphersuite', 'tls.handshake.comp_method', 'tls.handshake.extensions_length', 'tls.handshake.extension.type',
  'tls.handshake.extension.len', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_server_name_len',
  'tls.handshake.extensions_alpn_str', 'tls.handshake.extensions.supported_version', 'tls.handshake.extensions_supported_group'
]

describe('TLS matches tshark (with TCP reassembly)', () => {
  it('ClientHello and ServerHello, whole and split over segments', () => {
    const a = new Conn(51000, 443, 10, 20)
    const f: Uint8Array[] = [...a.handshake()]
    const ch = tlsRecord(22, 0x0301, clientHello('example.com', ['h2', 'http/1.1'], [0x0304, 0x0303]))
    f.push(a.client(PSH | ACK, new Uint8Array(ch)))
    const sh = [...tlsRecord(22, 0x0303, serverHello(0x0304)), ...tlsRecord(20, 0x0303, [1]), ...tlsRecord(23, 0x0303, new Array(60).fill(3))]
    f.push(a.server(PSH | ACK, new Uint8Array(sh)))
    const b = new Conn(51001, 443, 30, 40)
    f.push(...b.handshake())
    const ch2 = tlsRecord(22, 0x0301, clientHello('split.example.org', ['http/1.1'], [0x0303]))
    f.push(b.client(ACK, new Uint8Array(ch2.slice(0, 50))), b.client(PSH | ACK, new Uint8Array(ch2.slice(50))))
    f.push(b.server(PSH | ACK, new Uint8Array(tlsRecord(22, 0x0303, serverHello(null, 0xc02f)))))
    expect(compare('tls', f, TLS_FIELDS)).toEqual([])
  })
})
