// The fast filter scan inside the session: the old view stays while a filter runs, a newer
// filter supersedes an older one, and a scan follows a capture that grows (live capture).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compileFilter } from '../src/main/filter'
import { FilterScan } from '../src/main/session/filter-scan'
import { OpenCapture } from '../src/main/session/open-capture'
import { writeBulkHttp } from '../src/main/synth/bulk'
import { syntheticCaptures } from './filter-scan-support'
import { appHarness } from './app-support'

const synth = syntheticCaptures()
const bulk = synth.paths[0]!
/** 30 000 packets: a tree for each takes many scan steps. */
const big = join(bulk, '..', 'big.pcapng')
writeBulkHttp(big, { connections: 3000 })
afterAll(() => synth.dispose())

const app = appHarness()
const call = app.call

function frames(s: FilterScan): number[] {
  const out: number[] = []
  for (let i = 0; i < s.matches.length; i++) out.push(s.matches.at(i))
  return out
}

describe('filter scan in the session', () => {
  it('keeps the old view during a scan and lets a newer filter win', async () => {
    await app.start()
    const events = app.record()
    const opened = await call('file.open', { path: big })
    expect(opened.packets).toBe(30000)
    const before = await call('view.filter', { text: 'http' })
    if (!before.ok) throw new Error('http refused')
    expect(before.total).toBeGreaterThan(5900)
    // `ip.addr#1` needs a tree for every frame: a scan of many steps.
    const slow = call('view.filter', { text: 'ip.addr#1 == 127.0.0.1' })
    await new Promise((r) => setImmediate(r))
    expect((await call('view.rows', { start: 0, count: 1 })).total).toBe(before.total)
    const fast = call('view.filter', { text: 'tcp.stream == 5' })
    const [a, b] = await Promise.all([slow, fast])
    expect(a.ok).toBe(true)
    expect(b).toEqual({ ok: true, total: 10 })
    const { total, rows } = await call('view.rows', { start: 0, count: 100 })
    expect(total).toBe(10)
    expect(rows.map((r) => r.no)).toEqual(Array.from({ length: 10 }, (_, i) => 51 + i))
    expect(rows.every((r) => r.stream === 5)).toBe(true)
    const changed = events.filter((e) => e.event === 'view.changed').at(-1)!.payload
    expect(changed).toEqual({ total: 10, reset: true })
    expect((await call('file.current', {})).filter).toBe('tcp.stream == 5')
  })

  it('matches the tree path through view.filter', async () => {
    await app.start()
    await call('file.open', { path: synth.paths[1]! })
    const cap = new OpenCapture(synth.paths[1]!)
    while (!cap.done) cap.pump(1 << 20)
    try {
      for (const text of ['tcp.analysis.flags', 'tcp.stream == 0 && tcp.len > 0', 'ip', 'tcp contains "HTTP"', 'frame.len > 60 || udp']) {
        const c = compileFilter(text)
        if (!c.ok) throw new Error(c.error.message)
        const tree = new FilterScan(cap, c.filter, { index: false, summary: false })
        while (!tree.step(1000)) {
          // to the end
        }
        const r = await call('view.filter', { text })
        expect({ text, r }).toEqual({ text, r: { ok: true, total: tree.matches.length } })
        const rows = await call('view.rows', { start: 0, count: 1000 })
        expect({ text, rows: rows.rows.map((x) => x.no) }).toEqual({ text, rows: frames(tree) })
      }
    } finally {
      cap.close()
    }
  })

  it('extends a scan as the capture grows', () => {
    const all = readFileSync(bulk)
    const path = join(synth.paths[0]!, '..', 'growing.pcapng')
    writeFileSync(path, all.subarray(0, Math.floor(all.length / 3)))
    const cap = new OpenCapture(path, { follow: true })
    try {
      const filters = ['tcp.flags.syn == 1', 'http.request.method == "GET"', 'tcp.stream in {3, 250}', 'frame contains "nginx"', 'ip.addr#2 == 127.0.0.1'].map((t) => {
        const c = compileFilter(t)
        if (!c.ok) throw new Error(c.error.message)
        return c.filter
      })
      const scans = filters.map((f) => new FilterScan(cap, f))
      const pumpAndScan = (): void => {
        while (cap.pump(1000) > 0) for (const s of scans) s.step(5)
        for (const s of scans) while (!s.step(1000)) {
          // to the end
        }
      }
      pumpAndScan()
      expect(cap.packets).toBeGreaterThan(0)
      expect(cap.packets).toBeLessThan(3000)
      appendFileSync(path, all.subarray(Math.floor(all.length / 3), Math.floor((2 * all.length) / 3)))
      pumpAndScan()
      appendFileSync(path, all.subarray(Math.floor((2 * all.length) / 3)))
      cap.stopFollowing()
      pumpAndScan()
      expect(cap.packets).toBe(3000)
      filters.forEach((f, i) => {
        const tree = new FilterScan(cap, f, { index: false, summary: false })
        while (!tree.step(1000)) {
          // to the end
        }
        expect({ f: f.text, frames: frames(scans[i]!) }).toEqual({ f: f.text, frames: frames(tree) })
      })
    } finally {
      cap.close()
    }
  })
})
