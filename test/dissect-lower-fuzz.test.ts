// Random and mutated frames through every link type: no dissector may throw (dissectFrame
// would report it as a "Dissector bug" note), every node must point inside the frame, and
// summary mode must name the same protocols as tree mode.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IpDefragmenter } from '../src/main/analysis/ip-defrag'
import { dissectFrame } from '../src/main/dissect'
import type { FieldNode } from '../src/main/dissect/fields'
import { labelOf } from '../src/main/dissect/label'
import { formatNode } from '../src/main/dissect/format'
import { cat, eth, icmp, icmp6, ip4, ip6, ipv4, ipv6, mac, offsetsInFrame, u16, u32, udp } from './dissect-lower-packets'

const LINKTYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276]

const SEEDS: [number, Uint8Array][] = [
  [1, eth(0x0800, ipv4(1, icmp(3, 3, [0, 0, 0, 0], ipv4(17, udp([1, 2])).subarray(0, 28))))],
  [1, eth(0x0800, ipv4(1, icmp(8, 0, [0, 1, 0, 1], [1, 2, 3]), { options: [7, 11, 8, ...ip4('1.2.3.4'), 0, 0, 0, 0, 1, 137, 7, 4, 0, 0, 0, 0] }))],
  [1, eth(0x86dd, ipv6(0, [60, 0, 5, 2, 0, 0, 1, 0, 43, 0, 11, 1, 9, 1, 1, 0, 44, 2, 0, 1, 0, 0, 0, 0, ...ip6('2200::1'), 17, 0, 0, 1, ...u32(9), ...udp([7])]))],
  [1, eth(0x86dd, icmp6(1, 4, [0, 0, 0, 0, ...ipv6(58, [128, 0, 0, 0, 0, 1, 0, 1])]))],
  [1, eth(0x86dd, icmp6(136, 0, [...u32(0xe0000000), ...ip6('fe80::1'), 2, 1, ...mac('00:11:22:33:44:66'), 3, 4, 64, 0xc0, ...new Array(28).fill(0)]))],
  [1, eth(0x88a8, cat(u16(200), u16(0x8100), u16(2001), u16(0x0806), [0, 1, 8, 0, 6, 4, 0, 1, ...new Array(20).fill(0)]))],
  [1, eth(0x0800, ipv4(47, cat(u16(0x3001), u16(0x880b), u16(8), u16(0), u32(0), [0xff, 3, 0xc0, 0x21, 1, 0, 0, 8, 5, 6, 1, 2, 3, 4])))],
  [1, eth(0x0800, ipv4(47, cat(u16(0x1000), u16(0x88be), u32(7), u16(0x1001), u16(5), u32(0), eth(0x0800, ipv4(17, udp([1]))))))],
  [1, eth(0x0800, ipv4(2, [0x22, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0, 1, ...ip4('239.1.1.1'), ...ip4('10.0.0.1'), 3, 0, 0, 0, ...ip4('239.2.2.2')]))],
  [1, eth(0x0800, ipv4(89, [3, 1, ...u16(36), ...ip4('2.2.2.2'), ...ip4('0.0.0.1'), 0, 0, 0, 0, ...new Array(20).fill(1)]))],
  [1, cat(mac('01:00:0c:cc:cc:cc'), mac('00:0f:34:5f:16:8d'), u16(20), [0xaa, 0xaa, 3, 0, 0, 0x0c, 0x20, 0x00, 2, 180, 0, 0, 0, 1, 0, 6, 0x52, 0x31, 0, 5])],
  [113, cat(u16(4), u16(1), u16(6), mac('00:11:22:33:44:55'), [0, 0], u16(0x0800), ipv4(17, udp([1])))],
  [276, cat(u16(0x86dd), [0, 0], u32(3), u16(772), [0, 6], mac('00:00:00:00:00:00'), [0, 0], ipv6(17, udp([9])))],
  [0, cat([30, 0, 0, 0], ipv6(17, udp()))],
  [101, ipv4(51, [17, 4, 0, 0, ...u32(1), ...u32(1), ...new Array(12).fill(0), ...udp()])],
  [1, eth(0x88a2, [0x18, 0, 0x40, 0xf6, 2, 3, 1, 1, 1, 1])]
]

function check(linktype: number, data: Uint8Array, origlen: number, defrag: IpDefragmenter): void {
  const input = { number: 1, data, origlen, linktype, interfaceId: 0, hasTs: true, tsSec: 1700000000, tsNsec: 0, comments: [] }
  const t = dissectFrame(input, { tree: true, defrag })
  const s = dissectFrame(input, { tree: false })
  const bugs: string[] = []
  const walk = (l: FieldNode[]): void => {
    for (const n of l) {
      if (n.expert?.message.startsWith('Dissector bug')) bugs.push(n.expert.message)
      // every line and every -T fields text must be producible
      labelOf(n)
      formatNode(n)
      if (n.children) walk(n.children)
    }
  }
  walk(t.tree)
  expect(bugs).toEqual([])
  expect(offsetsInFrame(t.tree, data.length)).toBe(true)
  expect(t.ctx.data).toBe(data)
  if (!t.ctx.net?.reassembled) expect(s.ctx.protocols).toEqual(t.ctx.protocols)
}

describe('fuzzed frames', () => {
  it('random bytes under every link type', () => {
    const defrag = new IpDefragmenter()
    fc.assert(
      fc.property(fc.constantFrom(...LINKTYPES), fc.uint8Array({ minLength: 0, maxLength: 120 }), (lt, data) => check(lt, data, data.length, defrag)),
      { numRuns: 3000, seed: 20240601 }
    )
  })

  it('mutated well-formed frames (bit flips, cuts, snaplen)', () => {
    const defrag = new IpDefragmenter()
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
        ([lt, seed], flips, cut, snap) => {
          const data = seed.slice()
          for (const [at, v] of flips) data[at % data.length] = v
          const len = snap ? Math.max(0, data.length - (cut % data.length)) : data.length
          const frame = snap ? data.slice(0, len) : data.slice(0, data.length - (cut % 8))
          check(lt, frame, snap ? data.length : frame.length, defrag)
        }
      ),
      { numRuns: 4000, seed: 7 }
    )
  })
})
