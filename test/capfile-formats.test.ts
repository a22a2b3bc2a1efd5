// Format variants the corpus does not cover, built byte by byte: checked field by field, and each
// file also read by tshark in the same run so our times, lengths and comments match its own.
import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import { formatTimeEpoch } from '../src/main/capfile/time'
import type { CaptureReader, PacketRecord } from '../src/main/capfile/types'
import {
  Bytes,
  block,
  concat,
  customBlock,
  epb,
  fill,
  idb,
  packetBlock,
  pcapHeader,
  pcapRecord,
  shb,
  spb,
  TempDir
} from './capfile-build'

const tmp = new TempDir()
afterAll(() => tmp.remove())

interface Row {
  time: string
  len: string
  caplen: string
  comment: string
}

function rowOf(rec: PacketRecord): Row {
  return {
    time: rec.hasTs ? formatTimeEpoch(rec.tsSec, rec.tsNsec) : '',
    len: String(rec.origlen),
    caplen: String(rec.caplen),
    comment: rec.comments.join(',')
  }
}

function ours(path: string): { rows: Row[]; reader: CaptureReader } {
  const reader = openCaptureFile(path)
  const rows: Row[] = []
  for (const rec of reader) rows.push(rowOf(rec))
  reader.close()
  return { rows, reader }
}

/** tshark's rows for the same file, without the custom blocks it lists as frames. */
function tshark(path: string): Row[] {
  const out = execFileSync(
    'tshark',
    ['-n', '-r', path, '-T', 'fields', '-E', 'separator=/t', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.comment', '-e', 'frame.protocols'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }
  )
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'))
    .filter(([time, , , , protocols]) => !(time === '' && protocols === 'data'))
    .map(([time, len, caplen, comment]) => ({ time, len, caplen, comment }))
}

const P = (n: number, b = 0x11): Uint8Array => fill(n, b)

interface Case {
  name: string
  bytes: Uint8Array
  rows: Row[]
  check?: (r: CaptureReader) => void
}

const row = (time: string, len: number, caplen = len, comment = ''): Row => ({ time, len: String(len), caplen: String(caplen), comment })

const cases: Case[] = [
  {
    name: 'pcap big-endian, microseconds',
    bytes: concat(pcapHeader({ le: false }), pcapRecord({ sec: 1000, frac: 999999, data: P(40) }, { le: false }), pcapRecord({ sec: 1001, frac: 5, data: P(30), origlen: 1500 }, { le: false })),
    rows: [row('1000.999999000', 40), row('1001.000005000', 1500, 30)]
  },
  {
    name: 'pcap little-endian, nanoseconds',
    bytes: concat(pcapHeader({ magic: 0xa1b23c4d }), pcapRecord({ sec: 1418145369, frac: 924505488, data: P(76) })),
    rows: [row('1418145369.924505488', 76)]
  },
  {
    name: 'pcap big-endian, nanoseconds',
    bytes: concat(pcapHeader({ le: false, magic: 0xa1b23c4d }), pcapRecord({ sec: 7, frac: 1, data: P(20) }, { le: false })),
    rows: [row('7.000000001', 20)]
  },
  {
    name: 'pcap fractions out of range print as tshark prints them',
    bytes: concat(
      pcapHeader({ magic: 0xa1b23c4d }),
      ...[
        [1418145370, 1000000000],
        [1418145370, 0x80000000],
        [1418145370, 0xfffffffb],
        [0xffffffff, 5]
      ].map(([sec, frac]) => pcapRecord({ sec, frac, data: P(20) }))
    ),
    rows: [row('1418145370.1000000000', 20), row('-1418145370.2147483648', 20), row('-1418145370.000000005', 20), row('4294967295.000000005', 20)]
  },
  {
    name: 'pcap µs fraction that wraps in 32 bits',
    bytes: concat(pcapHeader(), pcapRecord({ sec: 5, frac: 2147484, data: P(20) }), pcapRecord({ sec: 5, frac: 1000000, data: P(20) })),
    rows: [row('-5.2147483296', 20), row('5.1000000000', 20)]
  },
  {
    name: 'pcap modified (a1b2cd34) little-endian, 24-byte record headers',
    bytes: concat(pcapHeader({ magic: 0xa1b2cd34 }), pcapRecord({ sec: 3, frac: 4, data: P(50) }, { modified: true }), pcapRecord({ sec: 4, frac: 5, data: P(60) }, { modified: true })),
    rows: [row('3.000004000', 50), row('4.000005000', 60)],
    check: (r) => expect(r.interfaces[0].tsUnit).toBe(1e-6)
  },
  {
    name: 'pcap modified (a1b2cd34) big-endian',
    bytes: concat(pcapHeader({ le: false, magic: 0xa1b2cd34 }), pcapRecord({ sec: 3, frac: 4, data: P(50) }, { le: false, modified: true })),
    rows: [row('3.000004000', 50)]
  },
  {
    name: 'pcap 2.2: orig_len before incl_len',
    bytes: concat(pcapHeader({ minor: 2 }), new Bytes().u32(9).u32(0).u32(100).u32(60).raw(P(60)).bytes()),
    rows: [row('9.000000000', 100, 60)]
  },
  {
    name: 'pcapng big-endian with names and a comment',
    bytes: concat(shb(false), idb(false, { name: 'eth9', description: 'test nic' }), epb(false, P(33), { tsHigh: 0x5000, tsLow: 0x12345678, comments: ['hello'] })),
    rows: [row('87961235.641976000', 33, 33, 'hello')],
    check: (r) => {
      expect(r.interfaces[0]).toMatchObject({ id: 0, linktype: 1, name: 'eth9', description: 'test nic', section: 0 })
    }
  },
  {
    name: 'pcapng if_tsresol: ns, ms, 2^-8, 2^-20, ps',
    bytes: concat(
      shb(),
      idb(true, { tsresol: 9 }),
      idb(true, { tsresol: 3 }),
      idb(true, { tsresol: 0x88 }),
      idb(true, { tsresol: 0x94 }),
      idb(true, { tsresol: 12 }),
      epb(true, P(20), { iface: 0, tsHigh: 0x16f6e5a4, tsLow: 0x9f3a1c2b }),
      epb(true, P(20), { iface: 1, tsHigh: 0x18b, tsLow: 0xcafe1234 }),
      epb(true, P(20), { iface: 2, tsHigh: 0x5a, tsLow: 0x8b2c6d32 }),
      epb(true, P(20), { iface: 3, tsHigh: 0x1, tsLow: 0xfffff }),
      epb(true, P(20), { iface: 4, tsHigh: 0, tsLow: 0xffffffff })
    ),
    rows: [],
    check: (r) => expect(r.interfaces.map((i) => i.tsUnit)).toEqual([1e-9, 1e-3, 1 / 256, 2 ** -20, 1e-12])
  },
  {
    name: 'pcapng if_tsoffset',
    bytes: concat(shb(), idb(true, { tsoffset: 1000n }), idb(true, { tsoffset: -5n }), epb(true, P(20), { iface: 0 }), epb(true, P(20), { iface: 1, tsLow: 2500000 })),
    rows: [row('1001.000000000', 20), row('-3.500000000', 20)]
  },
  {
    name: 'pcapng three sections LE/BE/LE, interface ids restart per section',
    bytes: concat(
      shb(true),
      idb(true, { linktype: 1 }),
      idb(true, { linktype: 0 }),
      epb(true, P(20), { iface: 1 }),
      shb(false),
      idb(false, { linktype: 101 }),
      epb(false, P(21), { iface: 0 }),
      shb(true),
      idb(true, { linktype: 113 }),
      idb(true, { linktype: 1 }),
      epb(true, P(22), { iface: 1 }),
      epb(true, P(23), { iface: 0 })
    ),
    rows: [row('1.000000000', 20), row('1.000000000', 21), row('1.000000000', 22), row('1.000000000', 23)],
    check: (r) => {
      expect(r.interfaces.map((i) => [i.id, i.linktype, i.section])).toEqual([
        [0, 1, 0],
        [1, 0, 0],
        [2, 101, 1],
        [3, 113, 2],
        [4, 1, 2]
      ])
    }
  },
  {
    name: 'pcapng SPB: captured length is min(original length, snaplen of IDB 0, block room)',
    bytes: concat(shb(), idb(true, { snaplen: 40 }), spb(true, 100, P(40)), spb(true, 30, P(32)), spb(true, 36, P(36))),
    rows: [row('', 100, 40), row('', 30, 30), row('', 36, 36)]
  },
  {
    name: 'pcapng obsolete Packet Blocks, NTAR style (length without padding), both byte orders',
    bytes: concat(
      shb(true),
      idb(true),
      packetBlock(true, P(62), { unpadded: true, drops: 3 }),
      packetBlock(true, P(64), { unpadded: true }),
      shb(false),
      idb(false),
      packetBlock(false, P(61), { unpadded: true, tsLow: 5 })
    ),
    rows: [row('1.000000000', 62), row('1.000000000', 64), row('0.000005000', 61)]
  },
  {
    name: 'pcapng blocks that are not packets are skipped and not counted',
    bytes: concat(
      shb(),
      customBlock(true, 0x00000bad),
      idb(),
      block(true, 4, new Bytes().u16(1).u16(8).raw([127, 0, 0, 1, 0x61, 0x62, 0, 0]).u32(0).bytes()), // NRB
      epb(true, P(20)),
      block(true, 0x0a, new Bytes().u32(0x544c534b).u32(4).raw([1, 2, 3, 4]).bytes()), // DSB
      customBlock(true, 0x40000bad),
      block(true, 5, new Bytes().u32(0).u32(0).u32(2000000).bytes()), // ISB
      block(true, 0x12345678, P(8)), // unknown
      epb(true, P(21), { tsLow: 3000000 })
    ),
    rows: [row('1.000000000', 20), row('3.000000000', 21)]
  },
  {
    name: 'pcapng opt_comment: several per packet, in file order',
    bytes: concat(shb(), idb(), epb(true, P(20), { comments: ['first', 'second, with comma', '', 'último'] }), epb(true, P(20))),
    rows: [row('1.000000000', 20, 20, 'first,second, with comma,,último'), row('1.000000000', 20)]
  }
]

describe('format variants (checked against tshark in the same run)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const path = tmp.file(c.bytes)
      const { rows, reader } = ours(path)
      expect(reader.error).toBeNull()
      const want = tshark(path)
      if (c.rows.length) expect(rows).toEqual(c.rows)
      expect(rows).toEqual(want)
      c.check?.(reader)
    })
  }
})

describe('record object', () => {
  it('is reused, and packets without comments share one frozen empty array', () => {
    const r = openCaptureFile(tmp.file(concat(shb(), idb(), epb(true, P(20)), epb(true, P(21)))))
    const a = r.next()
    const aComments = a?.comments
    const b = r.next()
    expect(b).toBe(a)
    expect(b?.comments).toBe(aComments)
    expect(Object.isFrozen(b?.comments)).toBe(true)
    r.close()
  })

  it('gives data views of exactly caplen bytes at dataOffset', () => {
    const bytes = concat(pcapHeader(), pcapRecord({ data: Uint8Array.of(1, 2, 3) }), pcapRecord({ data: Uint8Array.of(4, 5) }))
    const r = openCaptureFile(tmp.file(bytes))
    const seen: [number, number[]][] = []
    for (const rec of r) seen.push([rec.dataOffset, Array.from(rec.data)])
    expect(seen).toEqual([
      [40, [1, 2, 3]],
      [59, [4, 5]]
    ])
    r.close()
  })

  it('reads files far larger than its buffer, with packets larger than the buffer', () => {
    const recs = Array.from({ length: 300 }, (_, k) => pcapRecord({ sec: k, data: fill(k * 37, k & 0xff) }))
    const path = tmp.file(concat(pcapHeader(), ...recs))
    const r = openCaptureFile(path, { bufferSize: 64 })
    let k = 0
    for (const rec of r) {
      expect(rec.caplen).toBe(k * 37)
      expect(rec.data.every((x) => x === (k & 0xff))).toBe(true)
      expect(rec.tsSec).toBe(k)
      k++
    }
    expect(k).toBe(300)
    expect(r.error).toBeNull()
    r.close()
  })
})
