// Live capture on the loopback interface through the controller and the helper: an HTTP
// exchange with a local server, then the handshake found in the spool by our reader (or the
// minimal parser until it exists) and by tshark.
import { mkdtempSync, rmSync } from 'node:fs'
import { get, createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import { CaptureController, DROPS_NOTE, type ControllerStatus } from '../src/main/capture/controller'
import {
  decodeIpv4,
  findHandshake,
  freePort,
  parsePcapngFile,
  readWithEngine,
  skipReason,
  tsharkCheck,
  tsharkFields,
  waitFor
} from './capture-support'

const skip = skipReason(['tshark'])
if (skip !== '') console.log(`capture-lo: ${skip}`)

describe.skipIf(skip !== '')('live capture on lo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirenote-cap-lo-'))
  let server: Server
  let port = 0

  beforeAll(async () => {
    port = await freePort()
    server = createServer((_req, res) => res.end('hello from wirenote\n'))
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
  })
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()))
    rmSync(dir, { recursive: true, force: true })
  })

  it('lists interfaces without privileges, lo flagged as loopback', async () => {
    const list = await new CaptureController({ spoolDir: dir }).interfaces()
    const lo = list.find((i) => i.name === 'lo')
    expect(lo).toMatchObject({ name: 'lo', loopback: true })
    expect(lo!.addresses).toContain('127.0.0.1')
  })

  it('captures an HTTP exchange; the spool holds SYN, SYN-ACK, ACK with Ack = Seq + 1', async () => {
    const events: ControllerStatus[] = []
    const spoolEvents: number[] = []
    const c = new CaptureController({ spoolDir: dir, onProgress: (s) => events.push(s) })
    c.on('spool', (s) => spoolEvents.push(s.bytes))
    const t0 = Date.now()
    const started = await c.start({ iface: 'lo', filter: `tcp port ${port}` })
    expect(started).toMatchObject({ running: true, iface: 'lo', filter: `tcp port ${port}`, packets: 0, dropsNote: DROPS_NOTE })
    expect(started.spoolPath.startsWith(dir)).toBe(true)
    expect(started.helperPid).toBeGreaterThan(0)
    await expect(c.start({ iface: 'lo' })).rejects.toMatchObject({ code: 'invalid-state' })

    const body = await new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let s = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (s += d))
        res.on('end', () => resolve(s))
      }).on('error', reject)
    })
    expect(body).toBe('hello from wirenote\n')
    // Both FINs and their ACKs: at least 9 packets on lo for a non-keep-alive exchange.
    await waitFor(() => c.status().packets >= 9, 10_000, 'the capture to count the exchange')
    const final = await c.stop()
    const elapsed = (Date.now() - t0) / 1000
    expect(final.running).toBe(false)
    expect(final.error).toBeUndefined()
    expect(final.packets).toBeGreaterThanOrEqual(9)
    expect(final.bytes).toBeGreaterThan(final.packets * 54)
    expect(final.rss).toBeGreaterThan(0)
    expect(spoolEvents.length).toBeGreaterThan(0)
    expect(spoolEvents[spoolEvents.length - 1]).toBe(final.spoolBytes)
    // Status events are throttled (≤ 20/s), never one per packet.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed * 20) + 4)

    // The minimal strict parser and the engine's reader agree.
    const mini = parsePcapngFile(final.spoolPath)
    expect(mini.error).toBeUndefined()
    expect(mini.packets.length).toBe(final.packets)
    expect(mini.interfaces[0]).toMatchObject({ linktype: 1, name: 'lo', tsresol: 9, filter: `tcp port ${port}` })
    const engine = readWithEngine(final.spoolPath)
    expect(engine.error).toBeNull()
    expect(engine.packets.length).toBe(final.packets)
    expect(engine.packets.map((p) => p.data)).toEqual(mini.packets.map((p) => p.data))
    const frames = engine.packets.map((p) => p.data)
    const segs = frames.map((f) => decodeIpv4(f)).filter((s) => s !== null)
    expect(segs.length).toBe(frames.length)
    const hs = findHandshake(segs, port)
    expect(hs?.synAck).toBeDefined()
    expect(hs!.synAck!.ack).toBe((hs!.syn.seq + 1) >>> 0)
    expect(hs!.ack).toBeDefined()
    expect(hs!.ack!.ack).toBe((hs!.synAck!.seq + 1) >>> 0)
    // Arrival stamps never go backwards (monotonic clock) and sit near now.
    const ts = mini.packets.map((p) => p.tsNs)
    for (let i = 1; i < ts.length; i++) expect(ts[i]! >= ts[i - 1]!).toBe(true)
    expect(Math.abs(Number(ts[0]! / 1_000_000n) - t0)).toBeLessThan(60_000)

    // tshark agrees.
    expect(tsharkCheck(final.spoolPath)).toEqual({ status: 0, stderr: '' })
    const rows = tsharkFields(final.spoolPath, ['tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.srcport', 'tcp.dstport'])
    expect(rows.length).toBe(final.packets)
    const tsegs = rows.map(([flags, seq, ack, sport, dport]) => ({
      flags: Number.parseInt(flags!, 16),
      seq: Number(seq),
      ack: Number(ack),
      sport: Number(sport),
      dport: Number(dport)
    }))
    const ths = findHandshake(tsegs, port)
    expect(ths?.synAck?.ack).toBe((ths!.syn.seq + 1) >>> 0)
    expect(ths?.ack?.ack).toBe((ths!.synAck!.seq + 1) >>> 0)
    expect(ths!.syn.seq).toBe(hs!.syn.seq)
    const times = tsharkFields(final.spoolPath, ['frame.time_epoch']).map(([t]) => t!)
    expect(times[0]).toBe(`${ts[0]! / 1_000_000_000n}.${String(ts[0]! % 1_000_000_000n).padStart(9, '0')}`)
  })

  it('the spool can be tailed live with the reader’s follow mode, up to each announced size', async () => {
    const c = new CaptureController({ spoolDir: dir })
    const st = await c.start({ iface: 'lo', filter: `tcp port ${port}` })
    const reader = openCaptureFile(st.spoolPath, { follow: true })
    let seen = 0
    let behind = false
    c.on('spool', ({ bytes }) => {
      for (let p = reader.next(); p !== null; p = reader.next()) seen++
      // Everything announced as whole blocks is readable at once (the helper may have flushed
      // more since, which the reader may also take: it only ever sees whole blocks).
      if (reader.bytesRead < bytes) behind = true
    })
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
          res.resume()
          res.on('end', resolve)
        }).on('error', reject)
      })
    }
    await waitFor(() => seen >= 27, 10_000, 'the tail to see three exchanges')
    const final = await c.stop()
    reader.stopFollowing()
    for (let p = reader.next(); p !== null; p = reader.next()) seen++
    expect(reader.error).toBeNull()
    reader.close()
    expect(behind).toBe(false)
    expect(seen).toBe(final.packets)
  })

  it('pause holds back spool events and resume catches up; the capture itself goes on', async () => {
    const c = new CaptureController({ spoolDir: dir })
    const spool: number[] = []
    c.on('spool', (s) => spool.push(s.bytes))
    await c.start({ iface: 'lo', filter: `tcp port ${port}` })
    await waitFor(() => spool.length > 0, 5000, 'the first spool event (SHB + IDB)')
    c.pause()
    expect(c.status().paused).toBe(true)
    const spoolAtPause = c.status().spoolBytes
    const before = spool.length
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume()
        res.on('end', resolve)
      }).on('error', reject)
    })
    await waitFor(() => c.status().packets >= 9 && c.status().spoolBytes > spoolAtPause, 10_000, 'packets flushed while paused')
    expect(spool.length).toBe(before)
    c.resume()
    expect(spool.length).toBe(before + 1)
    expect(spool[spool.length - 1]).toBe(c.status().spoolBytes)
    const final = await c.stop()
    expect(final.packets).toBeGreaterThanOrEqual(9)
    expect(parsePcapngFile(final.spoolPath).packets.length).toBe(final.packets)
  })
})
