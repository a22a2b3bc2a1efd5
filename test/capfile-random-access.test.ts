// Reading packets back by offset, one at a time and in batches.
import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import { PacketFile, type PacketSpan } from '../src/main/capfile/random-access'
import { CaptureFileError } from '../src/main/capfile/types'
import { concat, epb, fill, idb, pcapHeader, pcapRecord, shb, TempDir } from './capfile-build'

const tmp = new TempDir()
afterAll(() => tmp.remove())

function spansOf(path: string): { spans: PacketSpan[]; bytes: number[][] } {
  const r = openCaptureFile(path)
  const spans: PacketSpan[] = []
  const bytes: number[][] = []
  for (const rec of r) {
    spans.push({ dataOffset: rec.dataOffset, caplen: rec.caplen })
    bytes.push(Array.from(rec.data))
  }
  r.close()
  return { spans, bytes }
}

describe('PacketFile', () => {
  const recs = Array.from({ length: 50 }, (_, k) => pcapRecord({ data: fill(10 + k * 3, k) }))
  const path = tmp.file(concat(pcapHeader(), ...recs), 'ra.pcap')

  it('reads each packet back by its offset', () => {
    const { spans, bytes } = spansOf(path)
    const f = new PacketFile(path)
    spans.forEach((s, k) => expect(Array.from(f.read(s.dataOffset, s.caplen))).toEqual(bytes[k]))
    f.close()
  })

  it('reads many packets at once, in the order asked, merging neighbours', () => {
    const { spans, bytes } = spansOf(path)
    const order = [7, 3, 49, 0, 8, 9, 25, 3]
    const f = new PacketFile(path)
    const got = f.readMany(order.map((k) => spans[k]))
    expect(got.map((b) => Array.from(b))).toEqual(order.map((k) => bytes[k]))
    // Neighbours share one read: their views lie in the same buffer.
    expect(got[4].buffer).toBe(got[5].buffer)
    f.close()
  })

  it('reads pcapng packets back', () => {
    const p = tmp.file(concat(shb(), idb(), epb(true, fill(33, 1)), epb(true, fill(44, 2), { comments: ['x'] }), epb(true, fill(5, 3))))
    const { spans, bytes } = spansOf(p)
    const f = new PacketFile(p)
    expect(f.readMany(spans).map((b) => Array.from(b))).toEqual(bytes)
    f.close()
  })

  it('sees data appended after it was opened', () => {
    const p = join(tmp.path, 'growing.pcapng')
    writeFileSync(p, concat(shb(), idb()))
    const f = new PacketFile(p)
    appendFileSync(p, epb(true, fill(20, 9)))
    expect(f.size()).toBe(48 + 52)
    expect(Array.from(f.read(48 + 28, 20))).toEqual(Array.from(fill(20, 9)))
    f.close()
  })

  it('says so when the file no longer holds the packet', () => {
    const f = new PacketFile(path)
    expect(() => f.read(1000000, 10)).toThrow(CaptureFileError)
    try {
      f.read(1000000, 10)
    } catch (err) {
      expect((err as CaptureFileError).code).toBe('truncated-record')
      expect((err as CaptureFileError).message).toBe(`Cannot read the packet at byte 1000000 of "${path}": it needs 10 bytes, the file ends after 0`)
    }
    f.close()
  })

  it('throws an io error for a missing file', () => {
    const p = join(tmp.path, 'missing.pcap')
    expect(() => new PacketFile(p)).toThrow(`Cannot open "${p}": no such file or directory (ENOENT)`)
  })
})
