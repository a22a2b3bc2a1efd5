// One test per way a capture file can be broken: the exact error text, its offset, and every
// whole packet before the fault.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import { CaptureFileError, type CaptureFileErrorCode } from '../src/main/capfile/types'
import { Bytes, block, concat, epb, fill, idb, pcapHeader, pcapRecord, shb, spb, TempDir } from './capfile-build'

const tmp = new TempDir()
afterAll(() => tmp.remove())

interface Outcome {
  packets: number
  caplens: number[]
  error: { code: CaptureFileErrorCode; offset: number; message: string } | null
}

function readAll(bytes: Uint8Array): Outcome {
  const r = openCaptureFile(tmp.file(bytes))
  const caplens: number[] = []
  for (const rec of r) caplens.push(rec.caplen)
  const e = r.error
  r.close()
  return { packets: caplens.length, caplens, error: e && { code: e.code, offset: e.offset, message: e.message } }
}

function openError(path: string): { code: string; offset: number; message: string } {
  try {
    openCaptureFile(path).close()
  } catch (err) {
    expect(err).toBeInstanceOf(CaptureFileError)
    const e = err as CaptureFileError
    return { code: e.code, offset: e.offset, message: e.message }
  }
  throw new Error('openCaptureFile did not throw')
}

const P = fill(60)
const rec60 = pcapRecord({ data: P }) // 76 bytes
// pcapng prefix: SHB (28) + IDB (20) + one EPB of 60 bytes (92): the next block starts at 140.
const ngPrefix = concat(shb(), idb(), epb(true, P))

describe('opening', () => {
  it('empty file', () => {
    const p = tmp.file(new Uint8Array(0), 'empty.pcap')
    expect(openError(p)).toEqual({ code: 'empty-file', offset: 0, message: `Empty file: "${p}" has 0 bytes, so it holds no capture` })
  })

  it('unknown magic', () => {
    const p = tmp.file(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), 'zip.pcap')
    expect(openError(p)).toEqual({
      code: 'unknown-format',
      offset: 0,
      message: `Not a pcap or pcapng file: "${p}" starts with the bytes 50 4b 03 04, expected a pcap magic number (d4 c3 b2 a1, 4d 3c b2 a1, 34 cd b2 a1 or their big-endian forms) or a pcapng Section Header Block (0a 0d 0d 0a)`
    })
  })

  it('file shorter than a magic number', () => {
    const p = tmp.file(Uint8Array.from([0xd4, 0xc3, 0xb2]), 'short.pcap')
    expect(openError(p)).toEqual({
      code: 'truncated-header',
      offset: 0,
      message: `File cut short before its magic number: "${p}" has only 3 bytes, a capture file starts with 4`
    })
  })

  it('missing file: io error with the OS reason', () => {
    const p = join(tmp.path, 'no-such-file.pcap')
    expect(openError(p)).toEqual({ code: 'io', offset: 0, message: `Cannot open "${p}": no such file or directory (ENOENT)` })
  })

  it('a directory: io error', () => {
    const p = join(tmp.path, 'a-directory.pcap')
    mkdirSync(p)
    expect(openError(p)).toEqual({ code: 'io', offset: 0, message: `Cannot read "${p}": is a directory (EISDIR)` })
  })
})

describe('classic pcap', () => {
  it('truncated file header', () => {
    expect(readAll(pcapHeader().subarray(0, 20))).toEqual({
      packets: 0,
      caplens: [],
      error: { code: 'truncated-header', offset: 0, message: 'File cut short in the file header: a pcap file header needs 24 bytes, only 20 remain' }
    })
  })

  it('unsupported major version', () => {
    expect(readAll(concat(pcapHeader({ major: 1, minor: 0 }), rec60)).error).toEqual({
      code: 'bad-header',
      offset: 4,
      message: 'Unsupported pcap file: major version 1 unsupported (version 1.0 in the file header; only 2.x exists)'
    })
  })

  it('truncated record header', () => {
    expect(readAll(concat(pcapHeader(), rec60, rec60.subarray(0, 7)))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'truncated-record',
        offset: 100,
        message: 'File cut short in the middle of a record header: record 2 at byte 100 needs 16 bytes of header, only 7 remain'
      }
    })
  })

  it('record data cut short', () => {
    expect(readAll(concat(pcapHeader(), rec60, rec60.subarray(0, 16 + 20)))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'truncated-record',
        offset: 100,
        message: 'File cut short in the middle of a packet: record 2 at byte 100 needs 60 bytes of packet data, only 20 remain'
      }
    })
  })

  it('absurd captured length (tshark: "File has 300000-byte packet, bigger than maximum of 262144")', () => {
    const huge = new Bytes().u32(1).u32(0).u32(300000).u32(300000).raw(fill(100)).bytes()
    expect(readAll(concat(pcapHeader(), rec60, rec60, rec60, huge))).toEqual({
      packets: 3,
      caplens: [60, 60, 60],
      error: {
        code: 'bad-record',
        offset: 252,
        message: 'Corrupt record header: record 4 at byte 252 has a 300000-byte packet, bigger than the maximum of 262144 for link type 1'
      }
    })
  })

  it('a captured length of 0xffffffff is refused before any allocation', () => {
    const huge = new Bytes().u32(1).u32(0).u32(0xffffffff).u32(100).bytes()
    expect(readAll(concat(pcapHeader(), huge)).error?.message).toBe(
      'Corrupt record header: record 1 at byte 24 has a 4294967295-byte packet, bigger than the maximum of 262144 for link type 1'
    )
  })

  it('accepts exactly the maximum, and larger packets where tshark does (D-Bus, USB)', () => {
    const max = pcapRecord({ data: fill(262144) })
    expect(readAll(concat(pcapHeader(), max))).toEqual({ packets: 1, caplens: [262144], error: null })
    const big = pcapRecord({ data: fill(300000) })
    for (const linktype of [231, 249, 189, 220, 266, 186, 279]) {
      expect(readAll(concat(pcapHeader({ linktype }), big))).toEqual({ packets: 1, caplens: [300000], error: null })
    }
  })

  it('accepts caplen > origlen and caplen > snaplen', () => {
    const odd = pcapRecord({ data: fill(34), origlen: 32 })
    expect(readAll(concat(pcapHeader({ snaplen: 31 }), odd))).toEqual({ packets: 1, caplens: [34], error: null })
  })
})

describe('pcapng', () => {
  it('bad SHB version (tshark: "unknown SHB version 2.0")', () => {
    expect(readAll(concat(shb(true, 2, 0), idb(), epb(true, P)))).toEqual({
      packets: 0,
      caplens: [],
      error: {
        code: 'bad-section',
        offset: 0,
        message: 'Unsupported Section Header Block at byte 0: unknown SHB version 2.0 (versions 1.0 and 1.2 are readable)'
      }
    })
  })

  it('bad SHB version in a later section, after its packets', () => {
    expect(readAll(concat(ngPrefix, shb(false, 1, 1), idb(false), epb(false, P)))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'bad-section',
        offset: 140,
        message: 'Unsupported Section Header Block at byte 140: unknown SHB version 1.1 (versions 1.0 and 1.2 are readable)'
      }
    })
  })

  it('bad byte-order magic', () => {
    const bad = shb()
    bad.set([0x78, 0x56, 0x34, 0x12], 8)
    expect(readAll(concat(bad, idb(), epb(true, P))).error).toEqual({
      code: 'bad-section',
      offset: 0,
      message: 'Bad Section Header Block at byte 0: byte-order magic is 0x12345678, expected 1a2b3c4d in either byte order'
    })
  })

  it('block length below 12', () => {
    const short = new Bytes().u32(6).u32(8).raw(fill(40, 0)).bytes()
    expect(readAll(concat(ngPrefix, short))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'bad-block-length',
        offset: 140,
        message: 'Bad block length: Enhanced Packet Block (packet 2) at byte 140 gives its total length as 8, less than the 12 bytes every block needs'
      }
    })
  })

  it('block length 0 is an error, not a loop', () => {
    const zero = new Bytes().u32(0x77).u32(0).raw(fill(40, 0)).bytes()
    expect(readAll(concat(ngPrefix, zero)).error).toEqual({
      code: 'bad-block-length',
      offset: 140,
      message: 'Bad block length: block of type 0x00000077 at byte 140 gives its total length as 0, less than the 12 bytes every block needs'
    })
  })

  it('block length below the minimum of its type', () => {
    const short = new Bytes().u32(6).u32(24).raw(fill(40, 0)).bytes()
    expect(readAll(concat(ngPrefix, short)).error).toEqual({
      code: 'bad-block-length',
      offset: 140,
      message: 'Bad block length: Enhanced Packet Block (packet 2) at byte 140 gives its total length as 24, less than the minimum of 32 for this block type'
    })
  })

  it('block length not a multiple of 4 (only NTAR Packet Blocks may do that)', () => {
    const body = new Bytes().u32(0).u32(0).u32(1000000).u32(61).u32(61).raw(fill(61)).bytes()
    const odd = block(true, 6, body, { unpadded: true }) // total length 93
    expect(readAll(concat(ngPrefix, odd))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'bad-block-length',
        offset: 140,
        message: 'Bad block length: Enhanced Packet Block (packet 2) at byte 140 gives its total length as 93, which is not a multiple of 4'
      }
    })
  })

  it('trailing block length differs from the leading one', () => {
    expect(readAll(concat(ngPrefix, epb(true, P, { trailer: 1000 })))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'bad-block-length',
        offset: 140,
        message: 'Bad block length: Enhanced Packet Block (packet 2) at byte 140 gives its total length as 92 at the start but 1000 at the end (byte 228)'
      }
    })
  })

  it('block length beyond tshark\'s maximum block size', () => {
    const big = new Bytes().u32(6).u32(0x7ffffff0).raw(fill(100)).bytes()
    expect(readAll(concat(ngPrefix, big)).error).toEqual({
      code: 'bad-block-length',
      offset: 140,
      message: 'Bad block length: Enhanced Packet Block (packet 2) at byte 140 gives its total length as 2147483632, more than the maximum of 134348832'
    })
  })

  it('EPB for an interface its section does not define', () => {
    expect(readAll(concat(ngPrefix, epb(true, P, { iface: 3 })))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'bad-interface',
        offset: 140,
        message: 'Enhanced Packet Block (packet 2) at byte 140 refers to interface 3, but its section defines only 1 interface (id 0)'
      }
    })
  })

  it('EPB before any IDB of its section', () => {
    expect(readAll(concat(ngPrefix, shb(), epb(true, P))).error).toEqual({
      code: 'bad-interface',
      offset: 168,
      message: 'Enhanced Packet Block (packet 2) at byte 168 refers to interface 0, but no Interface Description Block came before it in its section'
    })
  })

  it('SPB before any IDB', () => {
    expect(readAll(concat(shb(), spb(true, 60, P))).error).toEqual({
      code: 'bad-interface',
      offset: 28,
      message: 'Simple Packet Block (packet 1) at byte 28 refers to interface 0, but no Interface Description Block came before it in its section'
    })
  })

  it('absurd captured length in an EPB (tshark: "cap_len 300000 is larger than 262144")', () => {
    const big = epb(true, fill(300000))
    expect(readAll(concat(ngPrefix, big))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'bad-record',
        offset: 140,
        message: 'Corrupt Enhanced Packet Block (packet 2) at byte 140: captured length 300000 is bigger than the maximum of 262144 for link type 1'
      }
    })
  })

  it('EPB captured length larger than its block', () => {
    expect(readAll(concat(ngPrefix, epb(true, P, { caplen: 100 }))).error).toEqual({
      code: 'bad-record',
      offset: 140,
      message: 'Corrupt Enhanced Packet Block (packet 2) at byte 140: captured length 100 does not fit in the block (total length 92 leaves room for 60 bytes of packet data)'
    })
  })

  it('truncated block', () => {
    const whole = concat(ngPrefix, epb(true, P))
    expect(readAll(whole.subarray(0, whole.length - 10))).toEqual({
      packets: 1,
      caplens: [60],
      error: {
        code: 'truncated-block',
        offset: 140,
        message: 'File cut short in the middle of a block: Enhanced Packet Block (packet 2) at byte 140 needs 92 bytes, only 82 remain'
      }
    })
  })

  it('truncated block header', () => {
    expect(readAll(concat(ngPrefix, epb(true, P).subarray(0, 5))).error).toEqual({
      code: 'truncated-block',
      offset: 140,
      message: 'File cut short in the middle of a block header: the block at byte 140 needs at least 12 bytes, only 5 remain'
    })
  })

  it('a block claiming 100 MB at the end of a small file is a truncation, found without allocating it', () => {
    const claim = new Bytes().u32(0xbad).u32(100_000_000).raw(fill(100)).bytes()
    expect(readAll(concat(ngPrefix, claim)).error).toEqual({
      code: 'truncated-block',
      offset: 140,
      message: 'File cut short in the middle of a block: Custom Block at byte 140 needs 100000000 bytes, only 108 remain'
    })
  })

  it('a broken option ends the option list but keeps the packet', () => {
    const broken = concat(
      new Bytes().u32(0).u32(0).u32(1000000).u32(60).u32(60).raw(P).bytes(),
      new Bytes().u16(1).u16(3).raw([0x61, 0x62, 0x63, 0]).u16(1).u16(200).raw(fill(4)).bytes()
    )
    const r = openCaptureFile(tmp.file(concat(shb(), idb(), block(true, 6, broken))))
    const rec = r.next()
    expect(rec?.comments).toEqual(['abc'])
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()
    r.close()
  })
})
