import { afterEach, describe, expect, it } from 'vitest'
import { BYTES_PER_ENTRY, CHUNK_SIZE, PacketIndex, type IndexEntry } from '../src/main/session/packet-index'

function entry(i: number): IndexEntry {
  return {
    dataOffset: i * 1500 + 24,
    tsSec: 1_700_000_000 + Math.floor(i / 1000),
    tsNsec: (i * 7919) % 1_000_000_000,
    caplen: 60 + (i % 1400),
    origlen: 60 + (i % 1500),
    interfaceId: i % 3,
    stream: i % 5 === 0 ? -1 : i >> 4,
    tcpFlags: i & 0xffff,
    mark: i & 0xff
  }
}

describe('PacketIndex', () => {
  let index: PacketIndex | undefined
  afterEach(() => index?.close())

  it('keeps a fixed, small entry size (the ≤ 64 B/packet budget)', () => {
    expect(BYTES_PER_ENTRY).toBeLessThanOrEqual(40)
  })

  it('spills chunks beyond its RAM budget to disk and reads them back exactly', () => {
    index = new PacketIndex({ residentChunks: 2 })
    const n = CHUNK_SIZE * 5 + 123
    for (let i = 0; i < n; i++) index.push(entry(i))
    expect(index.length).toBe(n)
    expect(index.residentBytes).toBeLessThanOrEqual(2 * CHUNK_SIZE * BYTES_PER_ENTRY)
    for (const i of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 3 * CHUNK_SIZE + 17, n - 1, 2 * CHUNK_SIZE + 5, 0]) {
      expect(index.get(i)).toEqual(entry(i))
    }
    // A mark changed on a spilled chunk survives another spill/reload cycle.
    index.setMark(7, 0x42)
    for (const i of [CHUNK_SIZE * 2, CHUNK_SIZE * 3, CHUNK_SIZE * 4]) index.get(i)
    expect(index.get(7).mark).toBe(0x42)
    expect(index.residentBytes).toBeLessThanOrEqual(2 * CHUNK_SIZE * BYTES_PER_ENTRY)
  })

  it('rejects out-of-range reads with a clear error', () => {
    index = new PacketIndex()
    index.push(entry(0))
    expect(() => index!.get(1)).toThrow('packet index 1 out of range 0..0')
  })
})
