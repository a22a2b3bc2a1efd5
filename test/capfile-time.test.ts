// pcapng timestamps: the fast float paths must agree with exact 64-bit arithmetic for every
// resolution and every count, and frame.time_epoch must be printed as tshark prints it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatTimeEpoch, splitTimestamp, unitsFromTsresol, type SplitTime } from '../src/main/capfile/time'

function exact(hi: number, lo: number, tsresol: number): SplitTime {
  const per = tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol & 0x7f)
  const t = (BigInt(hi) << 32n) | BigInt(lo)
  return { sec: Number(t / per), nsec: Number(((t % per) * 1000000000n) / per) }
}

describe('splitTimestamp', () => {
  const resolutions = [0, 1, 3, 6, 9, 10, 12, 15, 19, 0x80, 0x88, 0x89, 0x8a, 0x94, 0x9f, 0xa0, 0xa5, 0xbf, 0xc0, 0xff, 0x7f]

  it('matches exact 64-bit division for every resolution', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.constantFrom(...resolutions), (hi, lo, r) => {
        const out = { sec: -1, nsec: -1 }
        splitTimestamp(hi, lo, unitsFromTsresol(r), out)
        const want = exact(hi, lo, r)
        // Seconds beyond 2^53 (resolution 1 s) are the nearest double on both sides.
        expect(out).toEqual(want)
      }),
      { numRuns: 20000, seed: 42 }
    )
  })

  it('handles the edges of each path', () => {
    const edges: [number, number][] = [
      [0, 0],
      [0x1fffff, 0xffffffff],
      [0x200000, 0],
      [0xffffffff, 0xffffffff],
      [0x16f6e5a4, 0x9f3a1c2b]
    ]
    for (const r of resolutions) {
      for (const [hi, lo] of edges) {
        const out = { sec: -1, nsec: -1 }
        splitTimestamp(hi, lo, unitsFromTsresol(r), out)
        expect(out).toEqual(exact(hi, lo, r))
      }
    }
  })
})

describe('formatTimeEpoch', () => {
  it('prints like tshark 4.0, including out-of-range fractions', () => {
    expect(formatTimeEpoch(1519128000, 195312500)).toBe('1519128000.195312500')
    expect(formatTimeEpoch(0, 0)).toBe('0.000000000')
    expect(formatTimeEpoch(1418145370, 1000000000)).toBe('1418145370.1000000000')
    expect(formatTimeEpoch(1418145370, -2147483648)).toBe('-1418145370.2147483648')
    expect(formatTimeEpoch(-4, 0)).toBe('-4.000000000')
    expect(formatTimeEpoch(-5, 500000000)).toBe('-5.500000000')
    expect(formatTimeEpoch(0, -5)).toBe('-0.000000005')
  })
})
