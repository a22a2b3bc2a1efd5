// The one chunk/spill mechanism (store/chunked-table.ts) and the tables built on it: rows read
// back exactly after any number of spills, resident bytes bounded by the chunk budget, nothing
// lost when the spill file cannot be written; the TCP stream table's rows and its tuple hash
// (what is forgotten, and when); the sparse per-frame records; the bounded QUIC map.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ChunkedTable } from '../src/main/store/chunked-table'
import { STREAM_ROW_MASK, TcpStreamTable } from '../src/main/analysis/tcp-streams'
import { DupAckRecords, PduRecords } from '../src/main/analysis/frame-records'
import { LruMap } from '../src/main/analysis/lru-map'
import { SequentialDecoder, TCP_FLAGS } from '../src/main/engine/decoder'
import { ACK, input, RST, SYN, tcpFrame } from './dissect-upper-support'

const dir = mkdtempSync(join(tmpdir(), 'wn-memory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const LAYOUT = {
  f64: { type: Float64Array },
  u32: { type: Uint32Array, per: 2 },
  i8: { type: Int8Array },
  bytes: { type: Uint8Array, per: 5 }
} as const

/** Deterministic row content. */
const val = (i: number) => ({ f64: i * 1.5 - 7, a: (i * 2654435761) >>> 0, b: i ^ 0x5a5a, i8: (i % 255) - 127, byte: (k: number) => (i + k * 31) & 0xff })

function fill(t: ChunkedTable<typeof LAYOUT>, i: number): void {
  const c = t.rows(i)
  const j = i & t.mask
  const v = val(i)
  c.f64[j] = v.f64
  c.u32[2 * j] = v.a
  c.u32[2 * j + 1] = v.b
  c.i8[j] = v.i8
  for (let k = 0; k < 5; k++) c.bytes[5 * j + k] = v.byte(k)
}

function check(t: ChunkedTable<typeof LAYOUT>, i: number): void {
  const c = t.rows(i, false)
  const j = i & t.mask
  const v = val(i)
  const got = [c.f64[j], c.u32[2 * j], c.u32[2 * j + 1], c.i8[j], ...Array.from({ length: 5 }, (_, k) => c.bytes[5 * j + k])]
  expect(got, `row ${i}`).toEqual([v.f64, v.a, v.b, v.i8, ...Array.from({ length: 5 }, (_, k) => v.byte(k))])
}

describe('ChunkedTable', () => {
  it('reads every row back exactly after spills, in any order, with resident bytes bounded', () => {
    const spillDir = mkdtempSync(join(dir, 'spill-'))
    const t = new ChunkedTable(LAYOUT, { chunkShift: 8, residentChunks: 3, spillDir, name: 'test' })
    const n = 256 * 20 + 17
    t.grow(n)
    for (let i = 0; i < n; i++) fill(t, i)
    expect(t.residentChunks).toBe(3)
    expect(t.residentBytes).toBe(3 * t.chunkBytes)
    expect(t.chunkBytes).toBe(256 * (8 + 8 + 1 + 5))
    expect(t.spilledChunks).toBe(21 - 3)
    // The spill file is unlinked as soon as it is open: a crash leaves nothing in the temp dir.
    expect(readdirSync(spillDir)).toEqual([])
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n)
    for (const i of order) check(t, i)
    expect(t.residentBytes).toBe(3 * t.chunkBytes)
    // A change to a row whose chunk then goes back to disk survives the round trip.
    t.rows(5).f64[5] = 42.25
    for (const i of [1000, 2000, 3000, 4000]) check(t, i)
    expect(t.rows(5, false).f64[5]).toBe(42.25)
    // A clean chunk is not written again; a never-touched one reads as zeros.
    const stores = t.stores
    for (const i of [4096, 4352, 4608, 4864]) t.rows(i, false)
    expect(t.stores).toBe(stores + 0)
    t.grow(n + 1000)
    expect(t.rows(n + 999, false).f64[(n + 999) & t.mask]).toBe(0)
    expect(() => t.rows(n + 1000)).toThrow(/out of range/)
    t.close()
  })

  it('keeps rows in memory rather than lose them when the spill file cannot be written', () => {
    const t = new ChunkedTable(LAYOUT, { chunkShift: 4, residentChunks: 2, spillDir: join(dir, 'no-such-dir') })
    t.grow(100)
    for (let i = 0; i < 100; i++) fill(t, i)
    expect(t.spillError).toBeInstanceOf(Error)
    expect(t.residentChunks).toBe(7)
    for (let i = 0; i < 100; i++) check(t, i)
    t.close()
  })
})

/** IPv4 4-tuple i: 10.(i>>16).(i>>8).(i) : port → 10.9.9.9:443. */
function tuple(d: Uint8Array, i: number): number {
  d.set([10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, 10, 9, 9, 9])
  return 1024 + (i % 50000)
}

describe('TcpStreamTable', () => {
  it('keeps a bounded number of row chunks in memory and reads spilled streams back exactly', () => {
    const T = new TcpStreamTable({ residentChunks: 2 })
    const d = new Uint8Array(8)
    const n = 5 * 1024 + 3
    for (let i = 0; i < n; i++) {
      const s = T.create(d, 0, 4, 4, tuple(d, i), 443, 10 * i + 1, false)
      const R = T.rows(s)
      const j = s & STREAM_ROW_MASK
      R.base[2 * j] = i * 3
      R.base[2 * j + 1] = i * 5
      R.packets[2 * j] = i % 1000
      R.state[j] = i & 0x3f
    }
    expect(T.storage.residentChunks).toBe(2)
    expect(T.storage.spilledChunks).toBe(4)
    for (const i of [0, 1, 1023, 1024, 3000, n - 1, 7, 2048]) {
      const p = tuple(d, i)
      expect(T.endpoints(i).client).toEqual({ addr: `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`, port: p })
      expect(T.firstFrame[i]).toBe(10 * i + 1)
      expect(T.base[2 * i + 1]).toBe(i * 5)
      expect(T.packets[2 * i]).toBe(i % 1000)
      expect(T.state[i]).toBe(i & 0x3f)
      // find() reads a spilled row back to confirm the tuple, from either direction
      expect(T.find(d, 0, 4, 4, p, 443)).toBe(i)
      expect(T.find(d, 4, 0, 4, 443, p)).toBe(i)
      expect(T.lastDir).toBe(1)
    }
    expect(T.storage.residentChunks).toBe(2)
    // the flat-array views write through to the right row too
    T.base[2 * 9] = 77
    for (const i of [4000, 5000, 3000]) T.rows(i, false)
    expect(T.rows(9, false).base[2 * (9 & STREAM_ROW_MASK)]).toBe(77)
    T.close()
  })

  it('forgets a closed stream’s tuple after closedIdleSec of capture time, never an open one', () => {
    const T = new TcpStreamTable()
    const d = new Uint8Array(8)
    const t0 = 1_700_000_000
    for (let i = 0; i < 5000; i++) {
      const s = T.create(d, 0, 4, 4, tuple(d, i), 443, i + 1, false, t0 + i / 1000)
      // even streams end (FIN both ways or RST), odd ones stay open
      const st = i % 4 === 0 ? 0x0c : i % 4 === 2 ? 0x10 : 0x01
      T.rows(s).state[s & STREAM_ROW_MASK] = st
      T.touch(s, i + 1, t0 + i / 1000, st)
    }
    expect(T.tupleCount).toBe(5000)
    // 100 s later nothing is forgotten yet (under 2 × MSL)
    T.create(d, 0, 4, 4, tuple(d, 100_000), 443, 5001, false, t0 + 105)
    expect(T.tupleCount).toBe(5001)
    // 300 s later: the closed tuples go, the open ones (and the new one) stay
    T.create(d, 0, 4, 4, tuple(d, 100_001), 443, 5002, false, t0 + 300)
    expect(T.droppedTuples).toBe(2500)
    expect(T.tupleCount).toBe(2502)
    expect(T.find(d, 0, 4, 4, tuple(d, 4), 443)).toBe(-1)
    expect(T.find(d, 0, 4, 4, tuple(d, 6), 443)).toBe(-1)
    expect(T.find(d, 0, 4, 4, tuple(d, 5), 443)).toBe(5)
    expect(T.find(d, 0, 4, 4, tuple(d, 4999), 443)).toBe(4999)
    // the forgotten streams keep their rows
    expect(T.stateText(4)).toBe('closed')
    expect(T.stateText(6)).toBe('reset')
    T.close()
  })

  it('beyond maxTuples drops the least recently seen tuples, closed ones first', () => {
    const T = new TcpStreamTable({ maxTuples: 100 })
    const d = new Uint8Array(8)
    for (let i = 0; i < 100; i++) {
      const s = T.create(d, 0, 4, 4, tuple(d, i), 443, i + 1, false)
      T.touch(s, i + 1, 0, i % 2 ? 0 : 0x30)
    }
    // tuple 1 (open) is seen again, late
    expect(T.find(d, 0, 4, 4, tuple(d, 1), 443)).toBe(1)
    T.touch(1, 500, 0, 0)
    T.create(d, 0, 4, 4, tuple(d, 100), 443, 501, false)
    // down to 3/4 of the bound: the 25 oldest closed tuples went, no open one
    expect(T.tupleCount).toBe(76)
    for (let i = 0; i < 50; i += 2) expect(T.find(d, 0, 4, 4, tuple(d, i), 443)).toBe(-1)
    for (let i = 50; i < 100; i += 2) expect(T.find(d, 0, 4, 4, tuple(d, i), 443)).toBe(i)
    for (let i = 1; i < 100; i += 2) expect(T.find(d, 0, 4, 4, tuple(d, i), 443)).toBe(i)
    // then the closed ones left, then open ones least recently seen first (tuple 1 was seen late)
    for (let i = 101; i <= 160; i++) {
      const s = T.create(d, 0, 4, 4, tuple(d, i), 443, 500 + i, false)
      T.touch(s, 500 + i, 0, 0)
    }
    expect(T.tupleCount).toBeLessThanOrEqual(100)
    expect(T.find(d, 0, 4, 4, tuple(d, 3), 443)).toBe(-1)
    expect(T.find(d, 0, 4, 4, tuple(d, 1), 443)).toBe(1)
    for (let i = 50; i < 100; i += 2) expect(T.find(d, 0, 4, 4, tuple(d, i), 443)).toBe(-1)
    expect(T.find(d, 0, 4, 4, tuple(d, 53), 443)).toBe(53)
    expect(T.find(d, 0, 4, 4, tuple(d, 160), 443)).toBe(160)
    T.close()
  })
})

/** A little-endian µs pcap with explicit times (seconds). */
function writeTimedPcap(path: string, frames: [Uint8Array, number][]): void {
  const parts: Uint8Array[] = []
  const h = new DataView(new ArrayBuffer(24))
  h.setUint32(0, 0xa1b2c3d4, true)
  h.setUint16(4, 2, true)
  h.setUint16(6, 4, true)
  h.setUint32(16, 262144, true)
  h.setUint32(20, 1, true)
  parts.push(new Uint8Array(h.buffer))
  for (const [f, t] of frames) {
    const r = new DataView(new ArrayBuffer(16))
    r.setUint32(0, Math.floor(t), true)
    r.setUint32(4, Math.round((t % 1) * 1e6), true)
    r.setUint32(8, f.length, true)
    r.setUint32(12, f.length, true)
    parts.push(new Uint8Array(r.buffer), f)
  }
  writeFileSync(path, Buffer.concat(parts))
}

describe('forgotten tuples against tshark', () => {
  it('numbers streams as tshark does when a forgotten tuple carries a new connection', () => {
    const t0 = 1_700_000_000
    const frames: [Uint8Array, number][] = []
    const client = (i: number) => `10.1.${(i >> 8) & 0xff}.${i & 0xff}`
    // 5000 refused connections (SYN, RST-ACK), and one that stays open
    for (let i = 0; i < 5000; i++) {
      frames.push([tcpFrame({ src: client(i), sport: 40000, dport: 80, seq: 1000 + i, flags: SYN }), t0 + i / 1000])
      frames.push([tcpFrame({ src: '10.0.0.2', dst: client(i), sport: 80, dport: 40000, seq: 0, ack: 1001 + i, flags: RST | ACK }), t0 + i / 1000 + 0.0001])
    }
    frames.push([tcpFrame({ src: '10.2.0.1', sport: 5555, dport: 22, seq: 7, flags: SYN }), t0 + 6])
    frames.push([tcpFrame({ src: '10.0.0.2', dst: '10.2.0.1', sport: 22, dport: 5555, seq: 70, ack: 8, flags: SYN | ACK }), t0 + 6.001])
    frames.push([tcpFrame({ src: '10.2.0.1', sport: 5555, dport: 22, seq: 8, ack: 71, flags: ACK }), t0 + 6.002])
    // 400 s later (beyond 2 × MSL): a new connection (the table sweeps its tuples when it opens a
    // stream), then one on refused tuple 7, and the open one goes on
    frames.push([tcpFrame({ src: '10.1.9.9', sport: 40001, dport: 80, seq: 5, flags: SYN }), t0 + 400])
    frames.push([tcpFrame({ src: client(7), sport: 40000, dport: 80, seq: 99999, flags: SYN }), t0 + 400.001])
    frames.push([tcpFrame({ src: '10.2.0.1', sport: 5555, dport: 22, seq: 8, ack: 71, flags: ACK, payload: 'x' }), t0 + 400.002])
    const file = join(dir, 'forgotten.pcap')
    writeTimedPcap(file, frames)

    const dec = new SequentialDecoder({ tree: false })
    const recs = frames.map(([f, t], i) => dec.decode(input(f, i + 1, Math.floor(t), Math.round((t % 1) * 1e9))).tcp)
    expect(dec.streams.droppedTuples).toBe(5000)
    const out = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.analysis.reused_ports'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    const want = out.trim().split('\n').map((l) => l.split('\t'))
    expect(recs.map((r) => r.stream)).toEqual(want.map((w) => Number(w[0])))
    // The one difference: tshark still knows tuple 7 and flags the reuse; the table forgot it.
    const reuse = frames.length - 2
    expect(want[reuse]![1]).toBe('1')
    expect(recs[reuse]!.flags & TCP_FLAGS.REUSED_PORTS).toBe(0)
    expect(recs.filter((r, i) => i !== reuse && r.flags & TCP_FLAGS.REUSED_PORTS)).toEqual([])
    expect(want.filter((w, i) => i !== reuse && w[1] === '1')).toEqual([])
    dec.close()
  })
})

describe('sparse per-frame records', () => {
  it('duplicate ACKs read back exactly across spilled chunks', () => {
    const r = new DupAckRecords()
    const n = 50_000
    for (let k = 0; k < n; k++) r.set(3 * k + 10, [3 * k + 1, (k % 9) + 1])
    expect(r.size).toBe(n)
    expect(r.residentBytes).toBeLessThanOrEqual(4 * 4096 * 12)
    for (const k of [0, 1, 4095, 4096, 25_000, n - 1, 17]) expect(r.get(3 * k + 10)).toEqual([3 * k + 1, (k % 9) + 1])
    expect(r.get(11)).toBeUndefined()
    expect(r.get(9)).toBeUndefined()
    expect(r.get(3 * n + 10)).toBeUndefined()
    // out-of-order frames (never in a capture pass) still work
    r.set(5, [1, 1])
    expect(r.get(5)).toEqual([1, 1])
    r.close()
  })

  it('PDU records keep their frame lists across spilled chunks', () => {
    const r = new PduRecords()
    const n = 20_000
    const entry = (k: number) => ({
      startSeq: (k * 1_000_003) >>> 0,
      length: 100 + k,
      frames: Uint32Array.from({ length: 1 + (k % 7) }, (_, m) => 10 * k + m + 1),
      untilFin: k % 5 === 0
    })
    for (let k = 0; k < n; k++) r.set(10 * k + 8, entry(k))
    expect(r.size).toBe(n)
    expect(r.residentBytes).toBeLessThan(1 << 20)
    for (const k of [0, 1, 4095, 4096, 12_345, n - 1]) expect(r.get(10 * k + 8)).toEqual(entry(k))
    expect(r.get(10 * 3 + 9)).toBeUndefined()
    r.close()
  })
})

describe('LruMap', () => {
  it('keeps the most recently used entries up to its limit', () => {
    const m = new LruMap<string, number>(3)
    m.set('a', 1).set('b', 2).set('c', 3)
    expect(m.get('a')).toBe(1)
    m.set('d', 4)
    expect(m.size).toBe(3)
    expect(m.get('b')).toBeUndefined()
    expect([m.get('a'), m.get('c'), m.get('d')]).toEqual([1, 3, 4])
  })
})

describe('pending reassembly state', () => {
  it('gives up the oldest pending PDUs beyond the count bound (a capture that lost their rest)', () => {
    const dec = new SequentialDecoder({ tree: false })
    // 20 000 connections each send the head of a POST whose body never comes.
    const head = 'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc'
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const src = `10.3.${(i >> 8) & 0xff}.${i & 0xff}`
      dec.decode(input(tcpFrame({ src, sport: 40000, dport: 80, seq: 1, ack: 1, flags: ACK | 0x08, payload: head }), i + 1))
    }
    expect(dec.reassembler.pendingCount).toBeLessThanOrEqual(16384)
    expect(dec.reassembler.pendingCount).toBeGreaterThan(10_000)
    expect(dec.memory().pendingPdus).toBeLessThan(16384 * 512)
    dec.close()
  })
})
