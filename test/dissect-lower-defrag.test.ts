// IpDefragmenter: completion in any order, overlaps, and the memory bounds (datagram count,
// bytes held, timeout by capture time).
import { describe, expect, it } from 'vitest'
import { IpDefragmenter, ipv4Key, ipv6Key } from '../src/main/analysis/ip-defrag'

const bytes = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v)

describe('IpDefragmenter', () => {
  it('completes in order and out of order, with fragments listed by offset', () => {
    const d = new IpDefragmenter()
    expect(d.add('k', 1, 0, 0, true, bytes(8, 1))).toBeNull()
    expect(d.add('k', 2, 0, 16, false, bytes(4, 3))).toBeNull()
    const r = d.add('k', 3, 0, 8, true, bytes(8, 2))
    expect(r).not.toBeNull()
    expect(Array.from(r!.payload)).toEqual([...bytes(8, 1), ...bytes(8, 2), ...bytes(4, 3)])
    expect(r!.fragments).toEqual([
      { frame: 1, offset: 0, length: 8 },
      { frame: 3, offset: 8, length: 8 },
      { frame: 2, offset: 16, length: 4 }
    ])
    expect(d.pendingDatagrams).toBe(0)
    expect(d.pendingBytes).toBe(0)
  })

  it('keeps the first copy of overlapping bytes and copies the data it is given', () => {
    const d = new IpDefragmenter()
    const first = bytes(8, 1)
    d.add('k', 1, 0, 0, true, first)
    first.fill(9) // the reader reuses its buffer
    const r = d.add('k', 2, 0, 4, false, bytes(8, 2))
    expect(Array.from(r!.payload)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2])
  })

  it('keeps datagrams apart by key', () => {
    const d = new IpDefragmenter()
    const a = ipv4Key('10.0.0.1', '10.0.0.2', 7, 17)
    const b = ipv4Key('10.0.0.1', '10.0.0.2', 8, 17)
    d.add(a, 1, 0, 0, true, bytes(8, 1))
    expect(d.add(b, 2, 0, 8, false, bytes(8, 2))).toBeNull()
    expect(d.pendingDatagrams).toBe(2)
    expect(ipv6Key('::1', '::2', 5)).not.toBe(ipv4Key('::1', '::2', 5, 0))
  })

  it('drops the oldest datagram past the datagram limit and the byte limit', () => {
    const d = new IpDefragmenter({ maxDatagrams: 2, maxBytes: 1000 })
    d.add('a', 1, 0, 0, true, bytes(8, 1))
    d.add('b', 2, 0, 0, true, bytes(8, 1))
    d.add('c', 3, 0, 0, true, bytes(8, 1))
    expect(d.pendingDatagrams).toBe(2)
    expect(d.add('a', 4, 0, 8, false, bytes(8, 1))).toBeNull() // 'a' was dropped: this starts again
    const small = new IpDefragmenter({ maxBytes: 20 })
    small.add('x', 1, 0, 0, true, bytes(16, 1))
    small.add('y', 2, 0, 0, true, bytes(16, 1))
    expect(small.pendingBytes).toBeLessThanOrEqual(20)
    expect(small.pendingDatagrams).toBe(1)
  })

  it('forgets datagrams older than the timeout (capture time)', () => {
    const d = new IpDefragmenter({ timeoutSec: 30 })
    d.add('a', 1, 100, 0, true, bytes(8, 1))
    expect(d.add('a', 2, 200, 8, false, bytes(8, 2))).toBeNull()
    expect(d.pendingDatagrams).toBe(1)
  })

  it('refuses datagrams that would exceed 65535 bytes', () => {
    const d = new IpDefragmenter()
    expect(d.add('a', 1, 0, 65530, false, bytes(16, 1))).toBeNull()
    expect(d.pendingDatagrams).toBe(0)
  })
})
