// The controller against scripted fake helpers (no privileges needed): throttling, the rate,
// stop/kill, and how helper deaths become typed errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CaptureController, type ControllerStatus } from '../src/main/capture/controller'
import type { CaptureError } from '../src/main/capture/errors'

const dir = mkdtempSync(join(tmpdir(), 'wirenote-ctl-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A fake helper: `body` runs after the 'started' line, with send(obj) and onStop(fn) in scope. */
function fake(name: string, body: string): CaptureController {
  const path = join(dir, `${name}.mjs`)
  writeFileSync(
    path,
    `const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n')
const args = process.argv.slice(2)
const spool = args[args.indexOf('--spool') + 1]
const stops = []
const onStop = (fn) => stops.push(fn)
let buf = ''
process.stdin.on('data', (d) => { buf += d; if (buf.includes('stop')) for (const f of stops) f() })
send({ type: 'started', pid: process.pid, iface: 'fake0', filter: '', linktype: 1, snaplen: 65535, spool, anchorNs: '0', runtime: process.execPath })
${body}
`
  )
  return new CaptureController({ spoolDir: dir, helper: { command: process.execPath, args: [path], env: {} }, stopTimeoutMs: 500 })
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('CaptureController with a fake helper', () => {
  it('throttles status events to ≤ 20/s however fast the helper reports', async () => {
    const c = fake(
      'flood',
      `let n = 0
const t = setInterval(() => { for (let i = 0; i < 50; i++) { n++; send({ type: 'progress', packets: n, bytes: n * 60, spoolBytes: 100 + n, rss: 1, t: n }) } }, 5)
onStop(() => { clearInterval(t); send({ type: 'stopped', reason: 'requested', packets: n, bytes: n * 60, spoolBytes: 100 + n }); process.exit(0) })`
    )
    const events: ControllerStatus[] = []
    c.on('progress', (s) => events.push(s))
    const t0 = Date.now()
    await c.start({ iface: 'fake0' })
    await sleep(1000)
    const st = await c.stop()
    const elapsed = (Date.now() - t0) / 1000
    expect(st.packets).toBeGreaterThan(1000)
    // started + stopped are emitted at once; everything else waits its turn.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed * 20) + 3)
    expect(events[events.length - 1]!.running).toBe(false)
    expect(events[events.length - 1]!.packets).toBe(st.packets)
  })

  it('rate is packets per second over the last second of the helper’s own clock', async () => {
    const c = fake(
      'rate',
      `const seq = [[0, 0], [500, 1000], [1000, 2000], [1500, 2500], [2000, 3000]]
for (const [t, p] of seq) send({ type: 'progress', packets: p, bytes: p, spoolBytes: p, rss: 1, t })
onStop(() => process.exit(0))`
    )
    await c.start({ iface: 'fake0' })
    await sleep(200)
    // Last sample t=2000 (3000 packets); the newest sample ≥ 1 s older is t=1000 (2000 packets).
    expect(c.status().rate).toBe(1000)
    await c.stop()
  })

  it('kills a helper that ignores stop, and calls that a clean stop', async () => {
    const c = fake('stubborn', `process.on('SIGTERM', () => {}); process.stdin.on('end', () => {}); setInterval(() => {}, 1000)`)
    const failures: CaptureError[] = []
    c.on('failed', (e) => failures.push(e))
    await c.start({ iface: 'fake0' })
    const st = await c.stop()
    expect(st.running).toBe(false)
    expect(st.error).toBeUndefined()
    expect(failures).toEqual([])
  })

  it('a helper that dies mid-capture: helper-failed with its exit status and stderr', async () => {
    const c = fake('dies', `setTimeout(() => { process.stderr.write('boom\\n'); process.exit(3) }, 100)`)
    const failed = new Promise<CaptureError>((r) => c.once('failed', r))
    const stopped = new Promise<ControllerStatus>((r) => c.once('stopped', r))
    await c.start({ iface: 'fake0' })
    const e = await failed
    expect(e.code).toBe('helper-failed')
    expect(e.message).toBe('The capture helper stopped unexpectedly (exit status 3).')
    expect(e.detail).toBe('boom')
    const st = await stopped
    expect(st).toMatchObject({ running: false, errorCode: 'helper-failed' })
  })

  it('cap’s abort on a poll error means the interface went down', async () => {
    const c = fake(
      'abort',
      `setTimeout(() => { process.stderr.write("node: ../src/binding.cc:190: static void Pcap::cb_packets(uv_poll_t*, int, int): Assertion \`status == 0' failed.\\n"); process.kill(process.pid, 'SIGABRT') }, 100)`
    )
    const failed = new Promise<CaptureError>((r) => c.once('failed', r))
    await c.start({ iface: 'fake0' })
    const e = await failed
    expect(e.code).toBe('interface-down')
    expect(e.message).toBe('Interface "fake0" went down or was removed during the capture; the capture stopped.')
  })

  it('an error line after start is passed on as a typed error', async () => {
    const c = fake(
      'full',
      `setTimeout(() => {
  send({ type: 'error', code: 'disk-full', message: 'The disk holding the capture spool is full; the capture stopped.', fix: 'Free some space.', detail: 'ENOSPC' })
  send({ type: 'stopped', reason: 'error', packets: 5, bytes: 300, spoolBytes: 1000 })
  process.exit(7)
}, 100)`
    )
    const failed = new Promise<CaptureError>((r) => c.once('failed', r))
    const stopped = new Promise<ControllerStatus>((r) => c.once('stopped', r))
    await c.start({ iface: 'fake0' })
    expect((await failed).code).toBe('disk-full')
    const st = await stopped
    expect(st).toMatchObject({ running: false, packets: 5, spoolBytes: 1000, errorCode: 'disk-full' })
    expect(st.error).toBe('The disk holding the capture spool is full; the capture stopped.\nFree some space.')
  })

  it('a helper that exits before starting: helper-failed, start() rejects', async () => {
    const path = join(dir, 'early.mjs')
    writeFileSync(path, `process.stderr.write('cannot load\\n'); process.exit(1)`)
    const c = new CaptureController({ spoolDir: dir, helper: { command: process.execPath, args: [path], env: {} } })
    await expect(c.start({ iface: 'x' })).rejects.toMatchObject({ code: 'helper-failed', message: 'The capture helper exited before capturing (exit status 1).', detail: 'cannot load' })
    expect(c.running).toBe(false)
  })
})
