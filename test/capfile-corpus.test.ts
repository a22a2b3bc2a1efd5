// Every capture of the shared corpus read with our readers and compared, packet by packet, with
// what tshark 4.0 printed for it (NAME.tshark.tsv): count, frame.time_epoch, frame.len,
// frame.cap_len and frame.comment. Files tshark cuts or refuses must give exactly the packets it
// printed, then our typed error.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import { PacketFile } from '../src/main/capfile/random-access'
import { formatTimeEpoch } from '../src/main/capfile/time'
import type { CaptureFileErrorCode } from '../src/main/capfile/types'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

/** A capture is a file that has a tshark oracle next to it; everything else is an oracle or a doc. */
const captures = readdirSync(CORPUS)
  .filter((f) => existsSync(CORPUS + f + '.tshark.tsv'))
  .sort()

/**
 * tshark 4.0 lists pcapng Custom Blocks as frames of their own (protocol "data", no timestamp),
 * numbered like packets. They are not packets: capinfos does not count them and our reader skips
 * them, so these rows are left out of the comparison (README: test102/test202).
 */
const CUSTOM_BLOCK_ROWS: Record<string, number> = {
  'pcapng-gen-le-test102.pcapng': 3,
  'pcapng-gen-le-test202.pcapng': 3
}

/** Files tshark cannot finish, with the error we give after the packets it printed. */
const EXPECTED_ERRORS: Record<string, { code: CaptureFileErrorCode; offset: number; message: string }> = {
  'derived-cut-mid-record.pcap': {
    code: 'truncated-record',
    offset: 1726,
    message: 'File cut short in the middle of a packet: record 12 at byte 1726 needs 782 bytes of packet data, only 391 remain'
  },
  'derived-cut-mid-block.pcapng': {
    code: 'truncated-block',
    offset: 5004,
    message: 'File cut short in the middle of a block: Enhanced Packet Block (packet 21) at byte 5004 needs 100 bytes, only 50 remain'
  },
  'ntar-http.bigendian.ntar': {
    code: 'bad-section',
    offset: 0,
    message: 'Unsupported Section Header Block at byte 0: unknown SHB version 256.0 (versions 1.0 and 1.2 are readable)'
  }
}

interface OracleRow {
  time: string
  len: string
  caplen: string
  comment: string
  protocols: string
}

function oracle(name: string): OracleRow[] {
  const text = readFileSync(CORPUS + name + '.tshark.tsv', 'utf8')
  if (text === '') return [] // tshark refused the file at once: not even a header line
  const lines = text.split('\n').filter((l) => l !== '')
  const header = lines[0].split('\t')
  const col = (n: string): number => {
    const k = header.indexOf(n)
    if (k < 0) throw new Error(`${name}: no ${n} column`)
    return k
  }
  const [t, l, c, m, p] = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.comment', 'frame.protocols'].map(col)
  return lines.slice(1).map((line) => {
    const f = line.split('\t')
    return { time: f[t] ?? '', len: f[l] ?? '', caplen: f[c] ?? '', comment: f[m] ?? '', protocols: f[p] ?? '' }
  })
}

describe('capture files of the corpus match tshark', () => {
  it('finds the corpus', () => {
    expect(captures.length).toBeGreaterThanOrEqual(40)
  })

  for (const name of captures) {
    it(name, () => {
      let rows = oracle(name)
      const skip = CUSTOM_BLOCK_ROWS[name] ?? 0
      if (skip) {
        const isCustom = (r: OracleRow): boolean => r.protocols === 'data' && r.time === ''
        expect(rows.filter(isCustom).length).toBe(skip)
        rows = rows.filter((r) => !isCustom(r))
      }
      const tsharkFailed = existsSync(CORPUS + name + '.tshark.stderr.txt')
      expect(tsharkFailed).toBe(name in EXPECTED_ERRORS)

      const reader = openCaptureFile(CORPUS + name)
      const back = new PacketFile(CORPUS + name)
      const got: OracleRow[] = []
      let lastRead = -1
      try {
        for (let rec = reader.next(); rec; rec = reader.next()) {
          got.push({
            time: rec.hasTs ? formatTimeEpoch(rec.tsSec, rec.tsNsec) : '',
            len: String(rec.origlen),
            caplen: String(rec.caplen),
            comment: rec.comments.join(','),
            protocols: ''
          })
          expect(rec.index).toBe(got.length - 1)
          expect(rec.data.length).toBe(rec.caplen)
          expect(reader.bytesRead).toBeGreaterThan(lastRead)
          lastRead = reader.bytesRead
          // What the session will do later: read the packet back by its offset.
          expect(back.read(rec.dataOffset, rec.caplen)).toEqual(rec.data)
          expect(reader.interfaces[rec.interfaceId].linktype).toBe(rec.linktype)
        }
      } finally {
        reader.close()
        back.close()
      }

      expect(got.map(({ protocols, ...r }) => r)).toEqual(rows.map(({ protocols, ...r }) => r))
      const want = EXPECTED_ERRORS[name]
      if (want) {
        expect(reader.error).not.toBeNull()
        expect({ code: reader.error?.code, offset: reader.error?.offset, message: reader.error?.message }).toEqual(want)
      } else {
        expect(reader.error).toBeNull()
        expect(reader.bytesRead).toBe(reader.fileSize)
      }
    })
  }
})

describe('format comes from the magic number, not the name', () => {
  it('reads pcpp-ipv6_options.pcap as pcapng', () => {
    const r = openCaptureFile(CORPUS + 'pcpp-ipv6_options.pcap')
    expect(r.format).toBe('pcapng')
    r.close()
  })

  it('reports interfaces with global ids across the sections of test202', () => {
    const r = openCaptureFile(CORPUS + 'pcapng-gen-le-test202.pcapng')
    const ids: number[] = []
    for (const rec of r) ids.push(rec.interfaceId)
    expect(r.error).toBeNull()
    expect(r.interfaces.map((i) => i.id)).toEqual(r.interfaces.map((_, k) => k))
    expect(new Set(r.interfaces.map((i) => i.section))).toEqual(new Set([0, 1, 2]))
    // Ids restart in every section of the file but not in our numbering.
    expect(Math.max(...ids)).toBeGreaterThanOrEqual(2)
    r.close()
  })

  it('reads if_tsresol 2^-8 of gopacket-test902-le.pcapng', () => {
    const r = openCaptureFile(CORPUS + 'gopacket-test902-le.pcapng')
    expect(r.interfaces[0].tsUnit).toBe(1 / 256)
    const rec = r.next()
    expect(rec && formatTimeEpoch(rec.tsSec, rec.tsNsec)).toBe('1519128000.195312500')
    r.close()
  })

  it('reads interface names and descriptions of zeek-pcapng-multi-interface.pcapng', () => {
    const r = openCaptureFile(CORPUS + 'zeek-pcapng-multi-interface.pcapng')
    expect(r.interfaces.length).toBe(2)
    expect(r.interfaces[0].name).toBe('eth0')
    expect(r.interfaces[1].name).toMatch(/^\\Device\\NPF_\{/)
    r.close()
  })
})
