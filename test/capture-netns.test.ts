// Two network namespaces joined by a veth pair (names unique to this run, removed in afterAll
// even on failure). The helper runs inside namespace A (`ip netns exec`) and captures on its
// end of the pair while HTTP flows from B to A. No traffic leaves the two namespaces.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaptureController } from '../src/main/capture/controller'
import type { CaptureError } from '../src/main/capture/errors'
import { decodeIpv4, findHandshake, parsePcapngFile, skipReason, tsharkCheck, tsharkFields, waitFor } from './capture-support'

const skip = skipReason(['ip', 'tshark'])
if (skip !== '') console.log(`capture-netns: ${skip}`)

const id = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 5)}`.slice(0, 9)
const NS_A = `wirenote-a-${id}`
const NS_B = `wirenote-b-${id}`
const VETH_A = `wna${id}`
const VETH_B = `wnb${id}`
// Link-local addresses that exist only inside the two namespaces.
const ADDR_A = '169.254.77.1'
const ADDR_B = '169.254.77.2'
const PORT = 8080

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/** Run a Node one-liner inside a namespace. */
function nodeIn(ns: string, code: string): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] })
}

async function httpFromB(times: number): Promise<void> {
  const code = `
    const http = require('http'); let left = ${times};
    const one = () => http.get({ host: '${ADDR_A}', port: ${PORT}, path: '/', agent: false }, (res) => {
      res.resume(); res.on('end', () => { if (--left > 0) one(); else process.exit(0) })
    }).on('error', (e) => { console.error(e.message); process.exit(1) });
    one()`
  const child = nodeIn(NS_B, code)
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const status = await new Promise<number | null>((r) => child.once('exit', r))
  if (status !== 0) throw new Error(`HTTP client in ${NS_B} failed: ${err}`)
}

describe.skipIf(skip !== '')('capture inside a network namespace on a veth pair', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirenote-cap-netns-'))
  let server: ChildProcess | null = null

  beforeAll(async () => {
    ip('netns', 'add', NS_A)
    ip('netns', 'add', NS_B)
    ip('link', 'add', VETH_A, 'type', 'veth', 'peer', 'name', VETH_B)
    ip('link', 'set', VETH_A, 'netns', NS_A)
    ip('link', 'set', VETH_B, 'netns', NS_B)
    ip('-n', NS_A, 'addr', 'add', `${ADDR_A}/30`, 'dev', VETH_A)
    ip('-n', NS_B, 'addr', 'add', `${ADDR_B}/30`, 'dev', VETH_B)
    for (const [ns, dev] of [[NS_A, VETH_A], [NS_B, VETH_B], [NS_A, 'lo'], [NS_B, 'lo']] as const) ip('-n', ns, 'link', 'set', dev, 'up')
    server = nodeIn(NS_A, `require('http').createServer((q, s) => s.end('hello across namespaces\\n')).listen(${PORT}, '${ADDR_A}', () => console.log('ready'))`)
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.once('data', () => resolve())
      server!.once('exit', (c) => reject(new Error(`server in ${NS_A} exited (${c})`)))
    })
  })

  afterAll(() => {
    server?.kill('SIGKILL')
    // Deleting a namespace deletes the veth end inside it, and with it the peer.
    for (const ns of [NS_A, NS_B]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
  })

  const controller = (): CaptureController => new CaptureController({ spoolDir: dir, wrapper: ['ip', 'netns', 'exec', NS_A] })

  it('lists the namespace’s interfaces through the helper', async () => {
    const names = (await controller().interfaces()).map((i) => i.name)
    expect(names).toContain(VETH_A)
    expect(names).not.toContain(VETH_B)
  })

  it('captures HTTP from B to A on A’s veth end', async () => {
    const c = controller()
    await c.start({ iface: VETH_A, filter: `tcp port ${PORT}` })
    await httpFromB(3)
    await waitFor(() => c.status().packets >= 3 * 9, 10_000, 'three exchanges')
    const st = await c.stop()
    expect(st.error).toBeUndefined()

    const f = parsePcapngFile(st.spoolPath)
    expect(f.error).toBeUndefined()
    expect(f.packets.length).toBe(st.packets)
    expect(f.interfaces[0]).toMatchObject({ name: VETH_A, linktype: 1 })
    const segs = f.packets.map((p) => decodeIpv4(p.data)).filter((s) => s !== null)
    expect(segs.length).toBe(f.packets.length)
    for (const s of segs) expect([s.src, s.dst].sort()).toEqual([ADDR_A, ADDR_B])
    const hs = findHandshake(segs, PORT)
    expect(hs?.syn.src).toBe(ADDR_B)
    expect(hs?.synAck?.ack).toBe((hs!.syn.seq + 1) >>> 0)
    expect(hs?.ack?.ack).toBe((hs!.synAck!.seq + 1) >>> 0)
    expect(segs.filter((s) => s.payload.toString().includes('hello across namespaces')).length).toBe(3)

    expect(tsharkCheck(st.spoolPath)).toEqual({ status: 0, stderr: '' })
    const syns = tsharkFields(st.spoolPath, ['ip.src', 'ip.dst'], ['-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0'])
    expect(syns).toEqual([[ADDR_B, ADDR_A], [ADDR_B, ADDR_A], [ADDR_B, ADDR_A]])
  })

  it('interface going down mid-capture: interface-down error, the spool keeps what came before', async () => {
    const c = controller()
    const failures: CaptureError[] = []
    c.on('failed', (e) => failures.push(e))
    const stopped = new Promise((r) => c.once('stopped', r))
    await c.start({ iface: VETH_A, filter: `tcp port ${PORT}` })
    await httpFromB(2)
    await waitFor(() => c.status().packets >= 2 * 9 && c.status().spoolBytes > 200, 10_000, 'two exchanges flushed')
    await new Promise((r) => setTimeout(r, 100))
    ip('-n', NS_A, 'link', 'set', VETH_A, 'down')
    await stopped
    try {
      expect(failures.map((e) => e.code)).toEqual(['interface-down'])
      expect(failures[0]!.message).toBe(`Interface "${VETH_A}" went down or was removed during the capture; the capture stopped.`)
      const st = c.status()
      expect(st.running).toBe(false)
      expect(st.errorCode).toBe('interface-down')
      const f = parsePcapngFile(st.spoolPath)
      expect(f.error).toBeUndefined()
      expect(f.packets.length).toBeGreaterThanOrEqual(18)
      expect(tsharkCheck(st.spoolPath).status).toBe(0)
    } finally {
      ip('-n', NS_A, 'link', 'set', VETH_A, 'up')
    }
  })
})
