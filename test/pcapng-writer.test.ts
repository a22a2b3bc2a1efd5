import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  CUSTOM_BLOCK_COPYABLE,
  CUSTOM_BLOCK_NOCOPY,
  MAX_OPTION_BYTES,
  MemorySink,
  PcapngWriter,
  PcapngWriterError,
  splitComment,
  type WriterSink
} from '../src/main/capfile/pcapng/writer'
import { hasTool, isRoot, parsePcapng, parsePcapngFile, readWithEngine, tsharkCheck, tsharkFields } from './capture-support'

const dir = mkdtempSync(join(tmpdir(), 'wirenote-writer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const CHINESE = '三次握手：客户端发送 SYN，服务器回复 SYN-ACK 🙂'

function frame(n: number, len: number): Buffer {
  const b = Buffer.alloc(len)
  for (let i = 0; i < len; i++) b[i] = (n * 31 + i) & 0xff
  return b
}

/** A file with one interface, packets of odd lengths, comments (ASCII, Chinese, several), custom blocks and an ISB. */
function writeSample(path: string): { times: bigint[]; lens: number[] } {
  const w = PcapngWriter.toFile(path, { section: { userappl: 'Wirenote test', os: 'Linux', hardware: 'x86_64', comments: ['节注释'] } })
  const id = w.addInterface({ linktype: 1, snaplen: 65535, name: 'lo', description: 'Loopback 回环', filter: 'tcp port 80' })
  const times = [1_700_000_000_123_456_789n, 1_700_000_000_123_456_790n, 1_700_000_001_000_000_000n, 1_700_000_002_999_999_999n]
  const lens = [60, 61, 1514, 33]
  w.writePacket({ interfaceId: id, timestamp: times[0]!, data: frame(0, lens[0]!), comments: ['first'] })
  w.writePacket({ interfaceId: id, timestamp: times[1]!, data: frame(1, lens[1]!), comments: [CHINESE, 'second comment'] })
  w.writePacket({ interfaceId: id, timestamp: { sec: 1_700_000_001, nsec: 0 }, data: frame(2, 2000), caplen: lens[2]!, origlen: 2000 })
  w.writePacket({ interfaceId: id, timestamp: times[3]!, data: frame(3, lens[3]!), flags: 1 })
  w.writeInterfaceStatistics({ interfaceId: id, timestamp: times[3]!, startTime: times[0]!, endTime: times[3]!, usrDeliv: 4n })
  // Custom blocks last: tshark 4.0 numbers them as frames.
  w.writeCustom(32473, Buffer.from('{"note":"注释"}'), { copyable: true })
  w.writeCustom(32473, Buffer.from([1, 2, 3]), { copyable: false })
  w.close()
  return { times, lens }
}

describe('PcapngWriter', () => {
  it('writes blocks our strict parser accepts, byte for byte', () => {
    const path = join(dir, 'sample.pcapng')
    const { times, lens } = writeSample(path)
    const f = parsePcapngFile(path)
    expect(f.error).toBeUndefined()
    expect(f.end).toBe(statSync(path).size)
    expect(f.shb).toEqual({ userappl: 'Wirenote test', comments: ['节注释'] })
    expect(f.interfaces).toEqual([{ linktype: 1, snaplen: 65535, name: 'lo', description: 'Loopback 回环', tsresol: 9, filter: 'tcp port 80' }])
    expect(f.packets.map((p) => p.tsNs)).toEqual(times)
    expect(f.packets.map((p) => p.caplen)).toEqual(lens)
    expect(f.packets.map((p) => p.origlen)).toEqual([60, 61, 2000, 33])
    expect(f.packets[1]!.data.equals(frame(1, 61))).toBe(true)
    expect(f.packets[2]!.data.equals(frame(2, 2000).subarray(0, 1514))).toBe(true)
    expect(f.packets.map((p) => p.comments)).toEqual([['first'], [CHINESE, 'second comment'], [], []])
    expect(f.customs).toEqual([
      { type: CUSTOM_BLOCK_COPYABLE, pen: 32473, data: Buffer.concat([Buffer.from('{"note":"注释"}'), Buffer.alloc(3)]) },
      { type: CUSTOM_BLOCK_NOCOPY, pen: 32473, data: Buffer.from([1, 2, 3, 0]) }
    ])
  })

  it.skipIf(!hasTool('tshark') || !hasTool('capinfos'))('round-trips through tshark and capinfos (comments, lengths, times)', () => {
    const path = join(dir, 'tshark.pcapng')
    writeSample(path)
    expect(tsharkCheck(path)).toEqual({ status: 0, stderr: '' })
    const rows = tsharkFields(path, ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.comment', 'frame.interface_name'], ['-Y', 'frame.number <= 4'])
    expect(rows).toEqual([
      ['1', '1700000000.123456789', '60', '60', 'first', 'lo'],
      ['2', '1700000000.123456790', '61', '61', `${CHINESE},second comment`, 'lo'],
      ['3', '1700000001.000000000', '2000', '1514', '', 'lo'],
      ['4', '1700000002.999999999', '33', '33', '', 'lo']
    ])
    const info = execFileSync('capinfos', ['-M', path], { encoding: 'utf8' })
    expect(info).toMatch(/File type:\s+pcapng/)
    expect(info).toMatch(/Number of packets:\s+4\n/)
    expect(info).toMatch(/Capture application:\s+Wirenote test/)
    expect(info).toMatch(/Capture comment:\s+节注释/)
    expect(info).toMatch(/Name = lo\n/)
    expect(info).toMatch(/Description = Loopback 回环/)
    expect(info).toMatch(/Time precision = nanoseconds \(9\)/)
    expect(info).toMatch(/Filter string = tcp port 80/)
    // The two custom blocks, after the packets, with their copy flag.
    const custom = execFileSync('tshark', ['-r', path, '-V', '-Y', 'frame.number >= 5'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    expect(custom).toMatch(/Custom Block 5: .*PEN .*\(32473\), copying allowed/)
    expect(custom).toMatch(/Custom Block 6: .*copying not allowed/)
  })

  it('reads back with the engine reader: times, lengths, UTF-8 comments', () => {
    const path = join(dir, 'engine.pcapng')
    const { times } = writeSample(path)
    const r = readWithEngine(path)
    expect(r.error).toBeNull()
    expect(r.packets.map((p) => BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec))).toEqual(times)
    expect(r.packets.map((p) => [p.caplen, p.origlen])).toEqual([[60, 60], [61, 61], [1514, 2000], [33, 33]])
    expect(r.packets.map((p) => p.comments)).toEqual([['first'], [CHINESE, 'second comment'], [], []])
    expect(r.packets[2]!.data.equals(frame(2, 2000).subarray(0, 1514))).toBe(true)
  })

  it('keeps microsecond interfaces exact and converts nanosecond input', () => {
    const sink = new MemorySink()
    const w = new PcapngWriter(sink)
    const us = w.addInterface({ linktype: 101, tsresol: 6 })
    w.writePacket({ interfaceId: us, timestamp: 1_600_000_000_000_001_999n, data: Buffer.alloc(20) })
    w.close()
    const f = parsePcapng(sink.bytes())
    expect(f.interfaces[0]!.tsresol).toBe(6)
    expect(f.packets[0]!.tsNs).toBe(1_600_000_000_000_001_000n)
  })

  it('writes only when flushed, in one write of whole blocks per flush', () => {
    const writes: number[] = []
    const sink = new MemorySink()
    const counting: WriterSink = {
      write: (b, n) => {
        writes.push(n)
        return sink.write(b, n)
      },
      truncate: (n) => sink.truncate(n),
      close: () => sink.close()
    }
    const w = new PcapngWriter(counting, { autoFlushBytes: 1 << 30 })
    w.addInterface({ linktype: 1 })
    for (let i = 0; i < 100; i++) w.writePacket({ interfaceId: 0, timestamp: BigInt(i), data: frame(i, 50 + i) })
    expect(writes).toEqual([])
    expect(w.packetsPending).toBe(100)
    w.flush()
    expect(writes.length).toBe(1)
    expect(w.packetsPending).toBe(0)
    w.flush()
    expect(writes.length).toBe(1)
    w.close()
    const f = parsePcapng(sink.bytes())
    expect(f.error).toBeUndefined()
    expect(f.packets.length).toBe(100)
  })

  it('flushes by itself past autoFlushBytes, still on block boundaries', () => {
    const sizes: number[] = []
    const sink = new MemorySink()
    const w = new PcapngWriter(
      { write: (b, n) => (sizes.push(n), sink.write(b, n)), close: () => {} },
      { autoFlushBytes: 4096 }
    )
    w.addInterface({ linktype: 1 })
    for (let i = 0; i < 1000; i++) w.writePacket({ interfaceId: 0, timestamp: BigInt(i), data: frame(i, 100) })
    expect(sizes.length).toBeGreaterThan(10)
    let total = 0
    for (const n of sizes) {
      total += n
      expect(parsePcapng(sink.bytes().subarray(0, total)).error).toBeUndefined()
    }
    w.close()
    expect(parsePcapng(sink.bytes()).packets.length).toBe(1000)
  })

  it('on ENOSPC after a short write, cuts back to the last whole block and reports disk-full', () => {
    const mem = new MemorySink()
    let budget = 1000 // bytes the "disk" still takes
    const sink: WriterSink = {
      write(b, n) {
        if (budget === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
        const k = Math.min(n, budget)
        budget -= k
        return mem.write(b, k)
      },
      truncate: (n) => mem.truncate(n),
      close: () => {}
    }
    const w = new PcapngWriter(sink, { autoFlushBytes: 1 << 30 })
    w.addInterface({ linktype: 1 })
    for (let i = 0; i < 20; i++) w.writePacket({ interfaceId: 0, timestamp: BigInt(i), data: frame(i, 100) })
    let err: unknown
    try {
      w.flush()
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(PcapngWriterError)
    const e = err as PcapngWriterError
    expect(e.code).toBe('disk-full')
    expect(e.errno).toBe('ENOSPC')
    expect(e.message).toMatch(/No space left to write the capture file.*Kept \d+ bytes of whole blocks/)
    const bytes = mem.bytes()
    expect(bytes.length).toBe(e.committedBytes)
    expect(bytes.length).toBeLessThanOrEqual(1000)
    const f = parsePcapng(bytes)
    expect(f.error).toBeUndefined()
    expect(f.packets.length).toBeGreaterThan(0)
    expect(w.packetsPending).toBe(20 - f.packets.length)
    // Space comes back: the pending blocks are retried and nothing is lost.
    budget = 1 << 20
    w.close()
    const all = parsePcapng(mem.bytes())
    expect(all.error).toBeUndefined()
    expect(all.packets.map((p) => p.tsNs)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)))
  })

  it.skipIf(!isRoot)('on a real full filesystem (tmpfs), keeps a valid file of whole blocks', () => {
    const mnt = join(dir, 'full')
    mkdirSync(mnt)
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' })
    if (m.status !== 0) {
      console.log(`skipped: cannot mount a tmpfs here (${m.stderr.trim()})`)
      return
    }
    try {
      const path = join(mnt, 'spool.pcapng')
      const w = PcapngWriter.toFile(path, { autoFlushBytes: 1 << 30 })
      w.addInterface({ linktype: 1 })
      let err: unknown
      let written = 0
      try {
        for (let i = 0; i < 100; i++) {
          for (let j = 0; j < 10; j++) w.writePacket({ interfaceId: 0, timestamp: BigInt(written), data: frame(written++, 1000) })
          w.flush()
        }
      } catch (e) {
        err = e
      }
      expect((err as PcapngWriterError).code).toBe('disk-full')
      try {
        w.close()
      } catch {
        // still full: close() closes the fd anyway
      }
      const bytes = readFileSync(path)
      const f = parsePcapng(bytes)
      expect(f.error).toBeUndefined()
      expect(bytes.length).toBe((err as PcapngWriterError).committedBytes)
      expect(f.packets.length).toBeGreaterThan(40)
      expect(f.packets.map((p) => p.tsNs)).toEqual(Array.from({ length: f.packets.length }, (_, i) => BigInt(i)))
      if (hasTool('tshark')) expect(tsharkCheck(path).status).toBe(0)
    } finally {
      spawnSync('umount', [mnt])
    }
  })

  it('rejects bad arguments with clear messages', () => {
    const w = new PcapngWriter(new MemorySink())
    expect(() => w.writePacket({ interfaceId: 0, timestamp: 0n, data: Buffer.alloc(1) })).toThrow(/no interface 0 \(0 defined\)/)
    w.addInterface({ linktype: 1 })
    expect(() => w.addInterface({ linktype: 1, tsresol: 12 })).toThrow(/if_tsresol must be a decimal exponent 0..9/)
    expect(() => w.writePacket({ interfaceId: 0, timestamp: 0n, data: Buffer.alloc(4), caplen: 5 })).toThrow(/caplen 5 outside the 4 bytes/)
    expect(() => w.writePacket({ interfaceId: 0, timestamp: -1n, data: Buffer.alloc(4) })).toThrow(/before the epoch/)
    const long = '长'.repeat(30000) // 90000 bytes of UTF-8
    expect(() => w.writePacket({ interfaceId: 0, timestamp: 0n, data: Buffer.alloc(4), comments: [long] })).toThrow(/at most 65535.*splitComment/)
    w.close()
    expect(() => w.addInterface({ linktype: 1 })).toThrow(/closed/)
  })

  it('splitComment keeps every code point and fits each piece in one option', () => {
    const long = `${'长'.repeat(30000)}🙂end`
    const parts = splitComment(long)
    expect(parts.join('')).toBe(long)
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_OPTION_BYTES)
    const sink = new MemorySink()
    const w = new PcapngWriter(sink)
    w.addInterface({ linktype: 1 })
    w.writePacket({ interfaceId: 0, timestamp: 0n, data: Buffer.alloc(4), comments: parts })
    w.close()
    expect(parsePcapng(sink.bytes()).packets[0]!.comments.join('')).toBe(long)
    expect(splitComment('')).toEqual([''])
  })
})
