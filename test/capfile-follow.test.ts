// Follow mode: tailing a capture file while something appends to it in steps, the way the live
// capture's spool grows (whole blocks flushed every 100 ms, but a reader may look in between).
import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import { concat, epb, fill, idb, pcapHeader, pcapRecord, shb, TempDir } from './capfile-build'

const tmp = new TempDir()
afterAll(() => tmp.remove())

describe('follow mode', () => {
  it('pcapng: waits at and inside blocks, resumes at the same block, reports the cut after stopFollowing()', () => {
    const path = join(tmp.path, 'spool.pcapng')
    const head = concat(shb(), idb()) // 48 bytes
    const b1 = epb(true, fill(60, 1), { tsLow: 1 })
    const b2 = epb(true, fill(300, 2), { tsLow: 2 })
    const b3 = epb(true, fill(10, 3), { tsLow: 3 })
    const b4 = epb(true, fill(10, 4), { tsLow: 4 })
    writeFileSync(path, head)

    const r = openCaptureFile(path, { follow: true, bufferSize: 128 })
    expect(r.following).toBe(true)
    expect(r.interfaces.length).toBe(1)
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()
    expect(r.bytesRead).toBe(48)

    appendFileSync(path, b1)
    let rec = r.next()
    expect(rec?.tsNsec).toBe(1000)
    expect(Array.from(rec?.data ?? [])).toEqual(Array.from(fill(60, 1)))
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()

    // Half a block, then a few bytes more, then the rest: nothing until it is whole.
    appendFileSync(path, b2.subarray(0, 100))
    expect(r.next()).toBeNull()
    appendFileSync(path, b2.subarray(100, 103))
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()
    expect(r.bytesRead).toBe(48 + b1.length)
    appendFileSync(path, b2.subarray(103))
    rec = r.next()
    expect(rec?.index).toBe(1)
    expect(rec?.caplen).toBe(300)
    expect(rec?.data.every((x) => x === 2)).toBe(true)
    expect(r.fileSize).toBe(48 + b1.length + b2.length)

    // A whole block and a partial block header.
    appendFileSync(path, concat(b3, b4.subarray(0, 5)))
    expect(r.next()?.tsNsec).toBe(3000)
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()

    const at = 48 + b1.length + b2.length + b3.length
    r.stopFollowing()
    expect(r.following).toBe(false)
    expect(r.next()).toBeNull()
    expect(r.error?.code).toBe('truncated-block')
    expect(r.error?.offset).toBe(at)
    expect(r.error?.message).toBe(`File cut short in the middle of a block header: the block at byte ${at} needs at least 12 bytes, only 5 remain`)
    r.close()
  })

  it('pcapng: a partial block body becomes a truncated-block error once following stops', () => {
    const path = join(tmp.path, 'spool2.pcapng')
    const b = epb(true, fill(60))
    writeFileSync(path, concat(shb(), idb(), b, b.subarray(0, 50)))
    const r = openCaptureFile(path, { follow: true })
    expect(r.next()?.caplen).toBe(60)
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()
    r.stopFollowing()
    expect(r.next()).toBeNull()
    expect(r.error?.message).toBe('File cut short in the middle of a block: Enhanced Packet Block (packet 2) at byte 140 needs 92 bytes, only 50 remain')
    r.close()
  })

  it('pcap: waits for the file header, then for each record header and packet', () => {
    const path = join(tmp.path, 'spool.pcap')
    const header = pcapHeader({ linktype: 113 })
    const r1 = pcapRecord({ sec: 10, data: fill(40, 7) })
    const r2 = pcapRecord({ sec: 11, data: fill(2000, 8) })
    writeFileSync(path, header.subarray(0, 10))

    const r = openCaptureFile(path, { follow: true, bufferSize: 64 })
    expect(r.format).toBe('pcap')
    expect(r.interfaces.length).toBe(0)
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()

    appendFileSync(path, header.subarray(10))
    expect(r.next()).toBeNull()
    expect(r.interfaces[0]?.linktype).toBe(113)

    appendFileSync(path, r1.subarray(0, 9))
    expect(r.next()).toBeNull()
    appendFileSync(path, r1.subarray(9))
    expect(r.next()?.tsSec).toBe(10)

    appendFileSync(path, r2.subarray(0, 1000))
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()
    appendFileSync(path, r2.subarray(1000))
    const rec = r.next()
    expect(rec?.tsSec).toBe(11)
    expect(rec?.data.length).toBe(2000)
    expect(rec?.data.every((x) => x === 8)).toBe(true)

    // Stopping at a clean boundary is a clean end.
    r.stopFollowing()
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()
    r.close()
  })

  it('pcap: a record cut when following stops is the usual truncation error', () => {
    const path = join(tmp.path, 'spool2.pcap')
    writeFileSync(path, concat(pcapHeader(), pcapRecord({ data: fill(50) }).subarray(0, 30)))
    const r = openCaptureFile(path, { follow: true })
    expect(r.next()).toBeNull()
    expect(r.error).toBeNull()
    r.stopFollowing()
    expect(r.next()).toBeNull()
    expect(r.error?.message).toBe('File cut short in the middle of a packet: record 1 at byte 24 needs 50 bytes of packet data, only 14 remain')
    r.close()
  })
})
