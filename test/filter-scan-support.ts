// Captures the filter-scan tests run over: every corpus capture, the bundled sample, and two
// synthetic ones made here (bulk HTTP, and odd packets the corpus lacks: tunnels, ICMP errors
// quoting TCP/UDP, IPv4 options, TCP options twice, bad headers).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PcapngWriter } from '../src/main/capfile/pcapng/writer'
import { OpenCapture } from '../src/main/session/open-capture'
import { writeBulkHttp } from '../src/main/synth/bulk'

export const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))
export const SAMPLE = fileURLToPath(new URL('../resources/sample/web-visit.pcapng', import.meta.url))

/** Corpus captures by file name. */
export function corpusCaptures(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => /\.(pcap|pcapng|ntar)$/.test(f))
    .sort()
}

/** Opens and indexes a capture to its end; null when the file cannot be opened at all. */
export function openIndexed(path: string): OpenCapture | null {
  let cap: OpenCapture
  try {
    cap = new OpenCapture(path)
  } catch {
    return null
  }
  while (!cap.done) cap.pump(1 << 20)
  return cap
}

const hex = (s: string): number[] => s.match(/../g)!.map((h) => parseInt(h, 16))

function sum16(b: number[], from: number, to: number): number {
  let s = 0
  for (let i = from; i < to; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0)
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16)
  return ~s & 0xffff
}

function ipv4(proto: number, src: number[], dst: number[], payload: number[], opts: number[] = [], extra: { id?: number; flags?: number } = {}): number[] {
  const hl = 20 + opts.length
  const len = hl + payload.length
  const h = [0x40 | (hl / 4), 0, len >> 8, len & 0xff, (extra.id ?? 1) >> 8, (extra.id ?? 1) & 0xff, extra.flags ?? 0x40, 0, 64, proto, 0, 0, ...src, ...dst, ...opts]
  const c = sum16(h, 0, hl)
  h[10] = c >> 8
  h[11] = c & 0xff
  return [...h, ...payload]
}

function tcpSeg(sport: number, dport: number, seq: number, ack: number, flags: number, payload: number[] = [], opts: number[] = [], window = 0xffff): number[] {
  const hl = 20 + opts.length
  const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, ...be32(seq), ...be32(ack), (hl / 4) << 4, flags, window >> 8, window & 0xff, 0, 0, 0, 0, ...opts, ...payload]
}

/** A conversation that earns most tcp.analysis flags (lost, out-of-order, dup ACKs, fast retransmission, keep-alive, zero window, ACKed unseen, reused ports). */
function analysisFrames(): number[][] {
  const c = (seq: number, ack: number, flags: number, len = 0): number[] => eth(0x0800, ipv4(6, A, B, tcpSeg(40010, 80, seq, ack, flags, new Array(len).fill(0x61))))
  const s = (seq: number, ack: number, flags: number, window = 0xffff): number[] => eth(0x0800, ipv4(6, B, A, tcpSeg(80, 40010, seq, ack, flags, [], [], window)))
  return [
    c(100, 0, 0x02),
    s(900, 101, 0x12),
    c(101, 901, 0x10),
    c(101, 901, 0x18, 10),
    c(121, 901, 0x18, 10),
    c(111, 901, 0x18, 10),
    s(901, 111, 0x10),
    s(901, 111, 0x10),
    s(901, 111, 0x10),
    c(111, 901, 0x18, 10),
    c(130, 901, 0x10),
    s(901, 131, 0x10, 0),
    s(901, 5000, 0x10),
    c(77777, 0, 0x02)
  ]
}

function udpDgram(sport: number, dport: number, payload: number[]): number[] {
  const len = 8 + payload.length
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...payload]
}

const eth = (type: number, payload: number[]): number[] => [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, type >> 8, type & 0xff, ...payload]

const A = [10, 0, 0, 1]
const B = [10, 0, 0, 2]
const C = [192, 168, 7, 9]
const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')]

/** Packets that make summary readers decline or that test their edges. */
function oddFrames(): number[][] {
  const get = ascii('GET /x?y=1 HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n')
  const ok = ascii('HTTP/1.1 200 OK\r\nHost: weird\r\nContent-Length: 0\r\n\r\n')
  const mssTwice = [2, 4, 0x05, 0xb4, 2, 4, 0x02, 0x18, 3, 3, 7, 1]
  const syn = tcpSeg(40000, 80, 1000, 0, 0x02, [], mssTwice)
  const frames: number[][] = [
    // a connection with a GET that has two Host headers, and a response with one
    eth(0x0800, ipv4(6, A, B, syn)),
    eth(0x0800, ipv4(6, B, A, tcpSeg(80, 40000, 5000, 1001, 0x12, [], [2, 4, 0x05, 0xb4, 1, 3, 3, 2]))),
    eth(0x0800, ipv4(6, A, B, tcpSeg(40000, 80, 1001, 5001, 0x10))),
    eth(0x0800, ipv4(6, A, B, tcpSeg(40000, 80, 1001, 5001, 0x18, get))),
    eth(0x0800, ipv4(6, B, A, tcpSeg(80, 40000, 5001, 1001 + get.length, 0x18, ok))),
    // the same segment again: a retransmission
    eth(0x0800, ipv4(6, B, A, tcpSeg(80, 40000, 5001, 1001 + get.length, 0x18, ok))),
    // RST with data (tcp.reset_cause, no tcp.payload)
    eth(0x0800, ipv4(6, A, B, tcpSeg(40000, 80, 1001 + get.length, 0, 0x04, ascii('reset because')))),
    // IPv4 with a record-route option (more ip.addr occurrences)
    eth(0x0800, ipv4(17, A, C, udpDgram(5000, 53, ascii('xxxxxxxxxxxxxxxx')), [7, 7, 4, 0, 0, 0, 0, 0])),
    // IP in IP carrying TCP (two ip layers)
    eth(0x0800, ipv4(4, A, B, ipv4(6, C, A, tcpSeg(1234, 443, 1, 0, 0x02)))),
    // ICMP destination unreachable quoting a TCP segment and a UDP datagram
    eth(0x0800, ipv4(1, B, A, [3, 3, 0, 0, 0, 0, 0, 0, ...ipv4(6, A, C, tcpSeg(40001, 80, 7, 0, 0x02)).slice(0, 48)])),
    eth(0x0800, ipv4(1, B, A, [3, 3, 0, 0, 0, 0, 0, 0, ...ipv4(17, A, C, udpDgram(5353, 53, ascii('qqqqqqqq')))])),
    // a bogus TCP header length, and a TCP header cut short
    eth(0x0800, ipv4(6, A, B, tcpSeg(40002, 80, 9, 0, 0x02).map((b, i) => (i === 12 ? 0x30 : b)))),
    eth(0x0800, ipv4(6, A, B, tcpSeg(40003, 80, 9, 0, 0x02).slice(0, 12))),
    // a fragment (no transport dissected) and a VLAN-tagged UDP datagram
    eth(0x0800, ipv4(6, A, B, tcpSeg(40004, 80, 9, 0, 0x02), [], { flags: 0x20, id: 77 })),
    eth(0x8100, [0, 5, 0x08, 0x00, ...ipv4(17, A, B, udpDgram(1, 2, [1, 2, 3]))]),
    // IPv6 in an IPv4 ethertype ("ip:ipv6"), and plain IPv6 TCP
    eth(0x0800, [0x60, 0, 0, 0, 0, 20, 6, 64, ...new Array(15).fill(0), 1, ...new Array(15).fill(0), 2, ...tcpSeg(1, 2, 3, 0, 0x02)]),
    eth(0x86dd, [0x60, 0, 0, 0, 0, 20, 6, 64, ...new Array(15).fill(0), 1, ...new Array(15).fill(0), 2, ...tcpSeg(1, 2, 3, 0, 0x02)]),
    // an 802.3 length frame and a runt
    [...hex('ffffffffffff020000000001'), 0, 3, 0x42, 0x42, 0x03],
    [1, 2, 3, 4, 5],
    ...analysisFrames()
  ]
  return frames
}

/** Writes the synthetic captures into a fresh directory; returns their paths and a cleanup. */
export function syntheticCaptures(): { paths: string[]; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'wirenote-filter-scan-'))
  const bulk = join(dir, 'bulk.pcapng')
  writeBulkHttp(bulk, { connections: 300 })
  const odd = join(dir, 'odd.pcapng')
  const w = PcapngWriter.toFile(odd, { mode: 0o644 })
  const iface = w.addInterface({ linktype: 1, snaplen: 262144, name: 'eth0', tsresol: 9 })
  let t = 1_700_000_000_000_000_000n
  for (const data of oddFrames()) {
    t += 1_000_000n
    w.writePacket({ interfaceId: iface, timestamp: t, data: Uint8Array.from(data) })
  }
  w.close()
  return { paths: [bulk, odd], dispose: () => rmSync(dir, { recursive: true, force: true }) }
}
