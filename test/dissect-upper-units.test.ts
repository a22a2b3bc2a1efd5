// Unit checks of the transport/application dissectors on hand-built bytes: byte ranges of
// fields (what the UI highlights), summary vs tree mode, DNS name decoding limits, HTTP and
// TLS asking TCP for more bytes, expert notes instead of exceptions.
import { describe, expect, it } from 'vitest'
import { dissectFrame } from '../src/main/dissect'
import { readDnsName, MAX_JUMPS } from '../src/main/dissect/app/dns-name'
import { findAll } from '../src/main/dissect/fields'
import { dispatchTcpPayload } from '../src/main/dissect/transport/tcp-present'
import { desegment, ONE_MORE_SEGMENT } from '../src/main/dissect/transport/ports'
import { flagNames, flagsString } from '../src/main/dissect/transport/tcp'
import { ACK, clientHello, input, PSH, SYN, tcpFrame, tlsRecord, udpFrame, dnsMessage, dnsName } from './dissect-upper-support'

describe('TCP header', () => {
  it('gives every field its byte range and Wireshark name', () => {
    const f = tcpFrame({ sport: 51234, dport: 443, seq: 7, flags: SYN, window: 64240, options: [2, 4, 5, 0xb4, 4, 2, 1, 3, 3, 7] })
    const d = dissectFrame(input(f), { tree: true })
    const tcp = d.tree.find((n) => n.name === 'tcp')!
    const at = (name: string) => findAll([tcp], name)[0]!
    expect([at('tcp.srcport').off, at('tcp.srcport').len, at('tcp.srcport').value]).toEqual([34, 2, 51234])
    expect([at('tcp.seq_raw').off, at('tcp.seq_raw').len, at('tcp.seq_raw').value]).toEqual([38, 4, 7])
    expect([at('tcp.options.mss_val').off, at('tcp.options.mss_val').value]).toEqual([56, 1460])
    expect(at('tcp.options.wscale.multiplier').value).toBe(128)
    expect(findAll([tcp], 'tcp.port').every((n) => n.hidden)).toBe(true)
    expect(d.ctx.info).toBe('51234 \u2192 443 [SYN] Seq=7 Win=64240 Len=0 MSS=1460 SACK_PERM WS=128')
    expect(d.ctx.protocols.join(':')).toBe('eth:ethertype:ip:tcp')
  })

  it('summary mode: no nodes, no Info, but what the index needs', () => {
    const f = tcpFrame({ sport: 1, dport: 80, seq: 1, ack: 2, flags: PSH | ACK, payload: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' })
    const d = dissectFrame(input(f), { tree: false })
    expect(d.tree).toEqual([])
    expect(d.ctx.info).toBe('')
    expect(d.ctx.tcp).toMatchObject({ srcport: 1, dstport: 80, flags: 0x18, len: 27 })
    expect(d.ctx.protocols.join(':')).toBe('eth:ethertype:ip:tcp:http')
  })

  it('flag names and the flags string', () => {
    expect(flagNames(0x012)).toBe('SYN, ACK')
    expect(flagNames(0)).toBe('<None>')
    expect(flagsString(0x018)).toBe('\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7AP\u00b7\u00b7\u00b7')
  })

  it('a header cut inside its first 20 bytes is noted, not thrown', () => {
    const f = tcpFrame({ sport: 1, dport: 2, seq: 3, flags: ACK }).subarray(0, 14 + 20 + 10)
    const d = dissectFrame({ ...input(f), origlen: 74 }, { tree: true })
    const tcp = d.tree.find((n) => n.name === 'tcp')!
    expect(tcp.expert?.severity).toBe('error')
    expect(findAll([tcp], 'tcp.srcport')[0]!.value).toBe(1)
    expect(d.ctx.malformed).toBe(true)
  })
})

describe('DNS names', () => {
  const msg = (...b: number[]) => new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...b])

  it('follows compression pointers', () => {
    const d = msg(3, 0x77, 0x77, 0x77, 1, 0x61, 0, 0xc0, 16)
    expect(readDnsName(d, 0, d.length, 12)).toMatchObject({ name: 'www.a', len: 7, labels: 2 })
    expect(readDnsName(d, 0, d.length, 19)).toMatchObject({ name: 'a', len: 2 })
  })

  it('stops a pointer loop and an over-long name with an error', () => {
    const loop = msg(0xc0, 14, 0xc0, 12)
    const r = readDnsName(loop, 0, loop.length, 12)
    expect(r.error).toMatch(/loop/)
    expect(MAX_JUMPS).toBeLessThanOrEqual(64)
    const long: number[] = []
    for (let i = 0; i < 200; i++) long.push(1, 0x61)
    const l = msg(...long, 0)
    expect(readDnsName(l, 0, l.length, 12).error).toBe('name too long')
    const cut = msg(5, 0x61)
    expect(readDnsName(cut, 0, cut.length, 12).error).toMatch(/past the end/)
  })

  it('a query in the Info column', () => {
    const q = dnsMessage({ id: 0x1234, flags: 0x0100, questions: [[dnsName('example.com'), 1]] })
    expect(dissectFrame(input(udpFrame(5000, 53, q)), { tree: true }).ctx.info).toBe('Standard query 0x1234 A example.com')
  })
})

describe('asking TCP for more bytes', () => {
  function handOff(payload: string | Uint8Array, dport: number, canDesegment: boolean) {
    const f = tcpFrame({ sport: 40000, dport, seq: 1, ack: 1, flags: PSH | ACK, payload })
    const d = dissectFrame(input(f), { tree: true })
    const ctx = d.ctx
    const before = ctx.protocols.length
    dispatchTcpPayload(ctx, ctx.tcp!.payloadOff, ctx.tcp!.payloadEnd, canDesegment, -1)
    return { asked: { offset: desegment.offset - ctx.tcp!.payloadOff, len: desegment.len }, added: ctx.protocols.slice(before), info: ctx.info }
  }

  it('HTTP headers without their empty line: one more segment, nothing shown', () => {
    const r = handOff('GET /a HTTP/1.1\r\nHost: x\r\n', 80, true)
    expect(r.asked).toEqual({ offset: 0, len: ONE_MORE_SEGMENT })
    expect(r.added).toEqual([])
    expect(r.info).toBe('GET /a HTTP/1.1 ')
  })

  it('HTTP body shorter than Content-Length: the missing byte count', () => {
    const r = handOff('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 80, true)
    expect(r.asked).toEqual({ offset: 0, len: 7 })
  })

  it('without reassembly the same bytes are shown as they are', () => {
    const r = handOff('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 80, false)
    expect(r.added).toEqual(['http', 'data'])
  })

  it('a TLS record cut by the segment: from the record start, the missing bytes', () => {
    const rec = tlsRecord(22, 0x0301, clientHello('x.example', ['h2'], [0x0304]))
    const r = handOff(new Uint8Array(rec.slice(0, 40)), 443, true)
    expect(r.asked).toEqual({ offset: 0, len: rec.length - 40 })
    expect(r.added).toEqual(['tls'])
  })
})
