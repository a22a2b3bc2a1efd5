// TCP conversation analysis: tcp.stream numbering, relative numbers, window scaling and the
// analysis flags against tshark 4.0 (run here) on every corpus capture, plus the compact
// per-packet record, the stream table and its memory bound.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { TcpStreamTable } from '../src/main/analysis/tcp-streams'
import { runFields } from '../src/main/cli/fields'
import { SequentialDecoder, TCP_FLAGS } from '../src/main/engine/decoder'
import { ACK, FIN, input, PSH, SYN, tcpFrame, writePcap } from './dissect-upper-support'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'wn-tcp-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const FIELDS = [
  'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', 'tcp.window_size_scalefactor',
  'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order', 'tcp.analysis.duplicate_ack', 'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.lost_segment', 'tcp.analysis.ack_lost_segment',
  'tcp.analysis.window_update', 'tcp.analysis.keep_alive', 'tcp.analysis.zero_window', 'tcp.analysis.reused_ports',
  // the TCP summary line ("Transmission Control Protocol, Src Port: ..., Seq: 1, Ack: 1, Len: 517")
  'tcp'
]

function tshark(file: string): string {
  try {
    return execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', ...FIELDS.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    })
  } catch (err) {
    // cut files: tshark prints what it read, then exits 2
    return (err as { stdout: string }).stdout
  }
}

function ours(file: string): string {
  let out = ''
  runFields({ file, fields: FIELDS, header: false, separator: '\t', mode: 'tree' }, { out: (s) => (out += s), err: () => {} })
  return out
}

// Custom blocks are frames for tshark 4.0 only (see corpus.test.ts): rows would not line up.
const SKIP = new Set(['pcapng-gen-le-test102.pcapng', 'pcapng-gen-le-test202.pcapng', 'ntar-http.bigendian.ntar'])

describe('TCP analysis matches tshark on the corpus', () => {
  for (const f of readdirSync(CORPUS).filter((n) => /\.(pcap|pcapng|ntar)$/.test(n) && !SKIP.has(n))) {
    it(f, () => {
      expect(ours(CORPUS + f)).toBe(tshark(CORPUS + f))
    })
  }
})

describe('stream numbering', () => {
  it('a SYN with a new ISN on a finished conversation opens a new stream; a retransmitted SYN does not', () => {
    const frames = [
      tcpFrame({ sport: 1000, dport: 80, seq: 10, flags: SYN }),
      tcpFrame({ sport: 1000, dport: 80, seq: 10, flags: SYN }), // retransmitted SYN: same stream
      tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 1000, seq: 50, ack: 11, flags: SYN | ACK }),
      tcpFrame({ sport: 1000, dport: 80, seq: 11, ack: 51, flags: ACK }),
      tcpFrame({ sport: 1000, dport: 80, seq: 11, ack: 51, flags: FIN | ACK }),
      tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 1000, seq: 51, ack: 12, flags: FIN | ACK }),
      tcpFrame({ sport: 1000, dport: 80, seq: 12, ack: 52, flags: ACK }),
      tcpFrame({ sport: 1000, dport: 80, seq: 99999, flags: SYN }), // port reuse
      tcpFrame({ sport: 1001, dport: 80, seq: 5, ack: 6, flags: PSH | ACK, payload: 'x' }) // mid-stream start
    ]
    const dec = new SequentialDecoder({ tree: false })
    const recs = frames.map((f, i) => dec.decode(input(f, i + 1)).tcp)
    expect(recs.map((r) => r.stream)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 2])
    expect(recs.map((r) => r.flags & TCP_FLAGS.HANDSHAKE_MASK)).toEqual([1, 1, 2, 3, 0, 0, 0, 1, 0])
    expect(recs[1]!.flags & TCP_FLAGS.RETRANS_MASK).toBe(TCP_FLAGS.RETRANSMISSION)
    expect(recs[7]!.flags & TCP_FLAGS.REUSED_PORTS).toBeTruthy()
    expect(recs[4]!.flags & TCP_FLAGS.FIN).toBeTruthy()
    expect(recs[2]!.flags & TCP_FLAGS.FROM_CLIENT).toBe(0)
    expect(recs[3]!.flags & TCP_FLAGS.FROM_CLIENT).toBeTruthy()
    const T = dec.streams
    expect(T.count).toBe(3)
    expect(T.endpoints(0)).toEqual({ client: { addr: '10.0.0.1', port: 1000 }, server: { addr: '10.0.0.2', port: 80 } })
    expect(T.handshakeState(0)).toBe('complete')
    expect(T.handshakeState(1)).toBe('partial')
    expect(T.handshakeState(2)).toBe('none')
    expect(T.stateText(0)).toBe('closed')
    expect(T.firstFrame[1]).toBe(8)
    // and tshark agrees on the numbering
    const file = join(dir, 'reuse.pcap')
    writePcap(file, frames)
    const want = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    expect(want.trim().split('\n').map(Number)).toEqual(recs.map((r) => r.stream))
  })

  it('keeps 500 000 streams in bounded memory', () => {
    const T = new TcpStreamTable()
    const d = new Uint8Array(8)
    const tuple = (i: number) => {
      d[0] = 10
      d[1] = (i >> 16) & 0xff
      d[2] = (i >> 8) & 0xff
      d[3] = i & 0xff
      d.set([10, 9, 9, 9], 4)
      return 1024 + (i % 50000)
    }
    for (let i = 0; i < 500_000; i++) T.create(d, 0, 4, 4, tuple(i), 443, i + 1, false)
    expect(T.count).toBe(500_000)
    // Rows beyond 64 resident chunks are in the spill file; the tuple hash keeps at most 2^17
    // tuples (the least recently seen open ones go once nothing closed is left to drop).
    expect(T.byteSize).toBeLessThan(18 * 1024 * 1024)
    expect(T.tupleCount).toBeLessThanOrEqual(1 << 17)
    expect(T.storage.spilledChunks).toBeGreaterThan(0)
    let p = tuple(499_999)
    expect(T.find(d, 0, 4, 4, p, 443)).toBe(499_999)
    expect(T.find(d, 4, 0, 4, 443, p)).toBe(499_999)
    p = tuple(12345)
    expect(T.find(d, 0, 4, 4, p, 443)).toBe(-1)
    // A forgotten tuple's stream keeps its row: read back from the spill file.
    expect(T.endpoints(12345)).toEqual({ client: { addr: '10.0.48.57', port: p }, server: { addr: '10.9.9.9', port: 443 } })
    expect(T.firstFrame[12345]).toBe(12346)
    T.close()
  })
})
