import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import type { EventPayloads } from '../src/shared/contract'
import { appHarness } from './app-support'

const corpus = (name: string): string => fileURLToPath(new URL(`../../shared/corpus/${name}`, import.meta.url))

const app = appHarness()
const call = app.call

describe('session', () => {
  it('opens the bundled sample and serves rows and details', async () => {
    await app.start()
    const opened = await call('file.openSample', {})
    expect(opened.packets).toBe(17)
    const { total, rows } = await call('view.rows', { start: 0, count: 50 })
    expect(total).toBe(17)
    expect(rows.map((r) => r.no)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1))
    expect(rows[0]!.rel).toBe(0)
    expect(rows[2]!.delta).toBeCloseTo(0.001204, 6)
    const details = await call('packet.details', { no: 3 })
    expect(details.tree.map((n) => n.name)).toContain('frame')
    expect(Buffer.from(details.bytes, 'base64').length).toBe(74)
  })

  it('keeps every whole packet of a cut file and says where it was cut', async () => {
    await app.start()
    const log = { events: app.record() }
    const opened = await call('file.open', { path: corpus('derived-cut-mid-record.pcap') })
    expect(opened.packets).toBe(11)
    expect(opened.error?.offset).toBe(1726)
    expect(opened.error?.message).toMatch(/cut short/i)
    const done = log.events.filter((e) => e.event === 'load.progress').at(-1)!.payload as EventPayloads['load.progress']
    expect(done).toMatchObject({ done: true, packets: 11, error: { offset: 1726 } })
  })

  it('refuses a missing file with the OS reason and keeps the open capture', async () => {
    await app.start()
    await call('file.openSample', {})
    await expect(call('file.open', { path: '/nonexistent/x.pcap' })).rejects.toThrow(/no such file/i)
    expect((await call('view.rows', { start: 0, count: 1 })).total).toBe(17)
  })

  it('filters the list and leaves it untouched on a bad filter', async () => {
    await app.start()
    await call('file.openSample', {})
    const ok = await call('view.filter', { text: 'frame.len > 100' })
    expect(ok).toEqual({ ok: true, total: 3 })
    const bad = await call('view.filter', { text: 'frame.len >' })
    expect(bad.ok).toBe(false)
    expect((await call('view.rows', { start: 0, count: 10 })).rows.map((r) => r.no)).toEqual([6, 8, 13])
    expect(await call('view.find', { no: 8 })).toEqual({ index: 1 })
    expect(await call('view.filter', { text: '' })).toEqual({ ok: true, total: 17 })
  })

  it('marks annotated packets in the list', async () => {
    await app.start()
    await call('file.openSample', {})
    await call('annotations.set', { title: 'A visit', intro: '', packets: [{ no: 3, note: 'SYN', step: '1', highlights: [] }] })
    const rows = (await call('view.rows', { start: 0, count: 5 })).rows
    expect(rows.map((r) => r.annotated)).toEqual([false, false, true, false, false])
    expect((await call('annotations.get', {})).packets).toHaveLength(1)
  })
})

describe('session: saving, streams and filters as the UI uses them', () => {
  it('tracks unsaved notes, refuses to overwrite without consent, and counts streams', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'wn-sess-'))
    try {
      await app.start()
      await call('file.openSample', {})
      expect((await call('annotations.get', {})).unsaved).toBe(false)
      // Setting the same (empty) annotations is no edit.
      await call('annotations.set', { title: '', intro: '', packets: [{ no: 3, note: '', step: '', highlights: [] }] })
      expect((await call('annotations.get', {})).unsaved).toBe(false)
      await call('annotations.set', { title: '', intro: '', packets: [{ no: 3, note: 'SYN', step: '', highlights: [] }] })
      expect((await call('annotations.get', {})).unsaved).toBe(true)

      const target = join(dir, 'exists.pcapng')
      writeFileSync(target, 'not a capture')
      const refused = await app.svc.router.dispatch('file.save', { path: target })
      expect(refused).toEqual({ ok: false, error: { code: 'exists', message: `"${target}" already exists.` } })
      expect(await call('file.save', { path: target, overwrite: true })).toEqual({ path: target })
      expect((await call('annotations.get', {})).unsaved).toBe(false)
      expect((await call('annotations.get', {})).packets).toHaveLength(1)

      expect(await call('streams.list', {})).toMatchObject({ total: 2, streams: [{ stream: 0 }, { stream: 1 }] })
      expect(await call('filter.check', { text: 'ip.adr == 1.2.3.4' })).toMatchObject({ ok: false, error: { pos: 0 } })
      expect(await call('filter.check', { text: 'tcp.port in {80, 443}' })).toEqual({ ok: true })
      // Checking does not apply.
      expect((await call('view.rows', { start: 0, count: 0 })).total).toBe(17)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('session: filter progress', () => {
  it('reports how far a filter scan got, ending with done', async () => {
    await app.start()
    const log = { events: app.record() }
    await call('file.openSample', {})
    await call('view.filter', { text: 'tcp.flags.syn == 1' })
    const progress = log.events.filter((e) => e.event === 'filter.progress').map((e) => e.payload as EventPayloads['filter.progress'])
    expect(progress.at(-1)).toEqual({ text: 'tcp.flags.syn == 1', scanned: 17, total: 17, matched: 4, done: true })
  })
})
