import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { MAX_SPACER_PX, metrics, posToCenter, posToReveal, posToScrollTop, scrollTopToPos, visibleRange } from './virtualScroll'

const ROW = 20
const VIEW = 600 // 30 rows

describe('virtual scroll mapping', () => {
  it('is 1:1 when the rows fit under the cap', () => {
    const m = metrics({ total: 1000, rowHeight: ROW, viewportHeight: VIEW })
    expect(m.spacer).toBe(20_000)
    expect(m.maxScrollTop).toBe(19_400)
    expect(scrollTopToPos(400, m)).toBe(20)
    expect(posToScrollTop(20, m)).toBe(400)
  })

  it('caps the spacer for 5 M rows and still reaches the first and the last row', () => {
    const total = 5_000_000
    const m = metrics({ total, rowHeight: ROW, viewportHeight: VIEW })
    expect(m.spacer).toBe(MAX_SPACER_PX)
    expect(m.spacer).toBeLessThan(33_554_000) // Chromium's element height limit
    expect(scrollTopToPos(0, m)).toBe(0)
    const end = scrollTopToPos(m.maxScrollTop, m)
    expect(end).toBe(total - 30)
    const r = visibleRange(end, m, total, ROW)
    expect(r.end).toBe(total)
    expect(r.first).toBe(total - 30)
    expect(r.offset).toBe(0)
  })

  it('maps scrollTop → row monotonically and row → scrollTop → row back within a pixel', () => {
    const total = 5_000_000
    const m = metrics({ total, rowHeight: ROW, viewportHeight: VIEW })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Math.floor(m.maxScrollTop) }), fc.integer({ min: 0, max: 1000 }), (top, d) => {
        const a = scrollTopToPos(top, m)
        const b = scrollTopToPos(Math.min(m.maxScrollTop, top + d), m)
        expect(b).toBeGreaterThanOrEqual(a)
        const back = scrollTopToPos(posToScrollTop(a, m), m)
        expect(Math.abs(back - a)).toBeLessThanOrEqual(m.rowsPerPx + 1e-6)
      })
    )
  })

  it('reveals a row with the smallest move', () => {
    const m = metrics({ total: 5_000_000, rowHeight: ROW, viewportHeight: VIEW })
    expect(posToReveal(100, 90, m)).toBe(90) // already visible
    expect(posToReveal(80, 90, m)).toBe(80) // above: align top
    expect(posToReveal(200, 90, m)).toBe(171) // below: align bottom
    expect(posToReveal(4_999_999, 0, m)).toBe(5_000_000 - 30)
  })

  it('renders a partial row at fractional positions', () => {
    const m = metrics({ total: 5_000_000, rowHeight: ROW, viewportHeight: VIEW })
    const r = visibleRange(10.5, m, 5_000_000, ROW)
    expect(r).toEqual({ first: 10, end: 41, offset: -10 })
  })

  it('handles an empty or short list', () => {
    const m0 = metrics({ total: 0, rowHeight: ROW, viewportHeight: VIEW })
    expect(m0.maxScrollTop).toBe(0)
    expect(visibleRange(0, m0, 0, ROW)).toEqual({ first: 0, end: 0, offset: 0 })
    const m5 = metrics({ total: 5, rowHeight: ROW, viewportHeight: VIEW })
    expect(m5.maxPos).toBe(0)
    expect(visibleRange(0, m5, 5, ROW).end).toBe(5)
  })

  it('a jump centres a row that is out of view and leaves a visible one where it is', () => {
    const m = metrics({ total: 5_000_000, rowHeight: ROW, viewportHeight: VIEW })
    expect(posToCenter(2_500_000, 0, m)).toBe(2_499_985)
    expect(posToCenter(10, 0, m)).toBe(0)
    expect(posToCenter(3, 100, m)).toBe(0)
    expect(posToCenter(4_999_999, 0, m)).toBe(m.maxPos)
  })
})
