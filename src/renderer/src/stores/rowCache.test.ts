// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import type { PacketRow } from '../../../shared/contract'
import { RowWindowCache } from './rowCache'
import { usePackets } from './packets'
import { setupEnv, settle } from '../testing/mount'

function fakeRow(i: number): PacketRow {
  return { no: i + 1, abs: 0, rel: 0, delta: 0, src: '', dst: '', protocol: 'TCP', length: 60, info: `row ${i}`, color: '', stream: 0, annotated: false }
}

/** A controllable fetch: replies wait until the test releases them. */
function deferredFetch(total: () => number) {
  const calls: { start: number; count: number; release: () => void }[] = []
  const fetch = (start: number, count: number) =>
    new Promise<{ total: number; rows: PacketRow[] }>((resolve) => {
      calls.push({
        start,
        count,
        release: () => {
          const n = Math.max(0, Math.min(count, total() - start))
          resolve({ total: total(), rows: Array.from({ length: n }, (_, k) => fakeRow(start + k)) })
        }
      })
    })
  return { calls, fetch }
}

describe('RowWindowCache', () => {
  it('fetches the pages covering the wanted window, coalesced into one request', async () => {
    const { calls, fetch } = deferredFetch(() => 5_000_000)
    const c = new RowWindowCache(fetch, { pageSize: 100 })
    c.total = 5_000_000
    c.ensure(250, 480)
    expect(calls.map((x) => [x.start, x.count])).toEqual([[200, 300]])
    expect(c.get(250)).toBeUndefined()
    calls[0].release()
    await settle()
    expect(c.get(250)?.no).toBe(251)
    expect(c.get(499)?.no).toBe(500)
    expect(c.cachedPages()).toEqual([2, 3, 4])
  })

  it('never asks twice for a page already in flight, and splits requests at 2000 rows', async () => {
    const { calls, fetch } = deferredFetch(() => 5_000_000)
    const c = new RowWindowCache(fetch, { pageSize: 200, maxInFlight: 4 })
    c.total = 5_000_000
    c.ensure(0, 3000)
    expect(calls.map((x) => [x.start, x.count])).toEqual([
      [0, 2000],
      [2000, 1000]
    ])
    c.ensure(0, 3000)
    c.ensure(100, 2500)
    expect(calls).toHaveLength(2)
  })

  it('pursues only the latest window while requests are in flight', async () => {
    const { calls, fetch } = deferredFetch(() => 5_000_000)
    const c = new RowWindowCache(fetch, { pageSize: 100, maxInFlight: 1 })
    c.total = 5_000_000
    c.ensure(0, 50)
    // The user drags the scrollbar through a million rows while the first reply is pending.
    for (let i = 1; i < 100; i++) c.ensure(i * 10_000, i * 10_000 + 50)
    expect(calls).toHaveLength(1)
    calls[0].release()
    await settle()
    expect(calls.map((x) => x.start)).toEqual([0, 990_000])
  })

  it('evicts the least recently used pages beyond its capacity, keeping the visible ones', async () => {
    const { calls, fetch } = deferredFetch(() => 1_000_000)
    const c = new RowWindowCache(fetch, { pageSize: 100, maxPages: 4, maxInFlight: 1 })
    c.total = 1_000_000
    for (const start of [0, 1000, 2000, 3000, 4000, 5000]) {
      c.ensure(start, start + 100)
      calls[calls.length - 1].release()
      await settle()
    }
    // Touch page 20 again: it becomes most recent.
    c.ensure(2000, 2100)
    c.ensure(6000, 6100)
    calls[calls.length - 1].release()
    await settle()
    const pages = c.cachedPages()
    expect(pages).toHaveLength(4)
    expect(pages).toContain(60)
    expect(pages).toContain(20)
    expect(pages).not.toContain(0)
    expect(pages).not.toContain(10)
  })

  it('drops everything on invalidate and ignores replies that were in flight', async () => {
    let total = 1000
    const { calls, fetch } = deferredFetch(() => total)
    const c = new RowWindowCache(fetch, { pageSize: 100 })
    c.total = 1000
    c.ensure(0, 100)
    c.invalidate(10)
    total = 10
    calls[0].release()
    await settle()
    expect(c.get(0)).toBeUndefined()
    // The new generation asks again.
    c.ensure(0, 100)
    expect(calls.at(-1)).toMatchObject({ start: 0, count: 10 })
    calls.at(-1)!.release()
    await settle()
    expect(c.get(9)?.no).toBe(10)
    expect(c.get(10)).toBeUndefined()
  })

  it('on growth keeps complete pages and refetches only the short last page', async () => {
    let total = 150
    const { calls, fetch } = deferredFetch(() => total)
    const c = new RowWindowCache(fetch, { pageSize: 100 })
    c.total = 150
    c.ensure(0, 150)
    calls[0].release()
    await settle()
    expect(c.get(149)?.no).toBe(150)
    total = 230
    c.resize(230)
    c.ensure(130, 230)
    const after = calls.slice(1)
    expect(after.map((x) => x.start)).toEqual([100, 200])
    after.forEach((x) => x.release())
    await settle()
    expect(c.get(229)?.no).toBe(230)
    expect(c.get(0)?.no).toBe(1)
    // A shrink means the view was rebuilt: nothing survives.
    c.resize(50)
    expect(c.cachedPages()).toEqual([])
  })

  it('patches cached rows in place (annotated mark)', async () => {
    const { calls, fetch } = deferredFetch(() => 100)
    const c = new RowWindowCache(fetch, { pageSize: 50 })
    c.total = 100
    c.ensure(0, 100)
    calls[0].release()
    await settle()
    c.patch(7, { annotated: true })
    expect(c.get(6)?.annotated).toBe(true)
    expect(c.get(7)?.annotated).toBe(false)
  })
})

describe('packets store over the fake API (5 M rows)', () => {
  it('serves windows, applies a filter and reveals a frame', async () => {
    const env = setupEnv()
    const packets = usePackets()
    packets.reset(5_000_000)
    packets.ensure(4_999_950, 5_000_000)
    await settle()
    expect(packets.rowAt(4_999_999)?.no).toBe(5_000_000)
    const rowCalls = env.api.calls.filter((c) => c.method === 'view.rows')
    expect(rowCalls.every((c) => (c.args as { count: number }).count <= 2000)).toBe(true)

    const r = await packets.applyFilter('tcp.stream eq 3')
    expect(r).toEqual({ ok: true, total: 10 })
    expect(packets.total).toBe(10)
    packets.ensure(0, 10)
    await settle()
    expect(packets.rowAt(0)?.no).toBe(39)
    expect(await packets.reveal(44)).toBe(5)
    expect(packets.selectedIndex).toBe(5)
    expect(packets.selectedNo).toBe(44)
  })

  it('a rejected filter leaves the view and its rows untouched', async () => {
    const env = setupEnv()
    const packets = usePackets()
    await packets.applyFilter('dns')
    const dnsTotal = packets.total
    expect(dnsTotal).toBe(env.api.viewTotal())
    packets.ensure(0, 50)
    await settle()
    const before = packets.rowAt(3)
    const calls = env.api.calls.length
    const r = await packets.applyFilter('nosuchfield == 1')
    expect(r.ok).toBe(false)
    expect(packets.total).toBe(dnsTotal)
    expect(packets.appliedFilter).toBe('dns')
    expect(packets.rowAt(3)).toBe(before)
    // No row was refetched.
    expect(env.api.calls.slice(calls).map((c) => c.method)).toEqual(['view.filter'])
  })

  it('follows view.changed growth without dropping cached rows', async () => {
    setupEnv({ packets: 0 })
    const packets = usePackets()
    packets.reset(150)
    packets.ensure(0, 150)
    await settle()
    const first = packets.rowAt(0)
    packets.resized(300)
    expect(packets.total).toBe(300)
    expect(packets.rowAt(0)).toBe(first)
  })
})
