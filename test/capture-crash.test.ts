// kill -9 the capture helper while traffic flows: the spool must parse cleanly and hold at
// least 99% of the packets sent before the kill (everything up to its last flush).
import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveHelperCommand } from '../src/main/capture/helper-command'
import { parseHelperLine } from '../src/main/capture/protocol'
import { decodeIpv4, freePort, hasTool, parsePcapngFile, readWithEngine, skipReason, tsharkCheck } from './capture-support'

const skip = skipReason()
if (skip !== '') console.log(`capture-crash: ${skip}`)

describe.skipIf(skip !== '')('helper killed with SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirenote-cap-crash-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('leaves a valid spool holding ≥ 99% of the packets sent before the kill', async () => {
    const port = await freePort()
    const spool = join(dir, 'crash.pcapng')
    const h = resolveHelperCommand()
    const child = spawn(h.command, [...h.args, '--iface', 'lo', '--filter', `udp dst port ${port}`, '--spool', spool], {
      env: { ...process.env, ...h.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)))
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (l) => {
        const m = parseHelperLine(l)
        if (m?.type === 'started') resolve()
        if (m?.type === 'error') reject(new Error(m.message))
      })
      child.once('exit', (code) => reject(new Error(`helper exited (${code})`)))
    })

    // Numbered datagrams, 2 every millisecond tick (~1000-2000/s), to a bound socket.
    const rx = createSocket('udp4')
    await new Promise<void>((r) => rx.bind(port, '127.0.0.1', () => r()))
    const tx = createSocket('udp4')
    let sent = 0
    let queued = 0
    let sending = true
    const pump = setInterval(() => {
      if (!sending) return
      for (let k = 0; k < 2; k++) {
        const b = Buffer.alloc(64)
        b.writeUInt32BE(queued++, 0)
        // The callback runs once the datagram went through the kernel (and past the capture tap).
        tx.send(b, port, '127.0.0.1', () => {
          if (sending) sent++
        })
      }
    }, 1)
    // The loss window is one flush delay (10 ms) plus what sits in the kernel ring: small against 5 s.
    await new Promise((r) => setTimeout(r, 5000))
    child.kill('SIGKILL')
    sending = false
    const sentBeforeKill = sent
    clearInterval(pump)
    expect(await exited).toBe('SIGKILL')
    tx.close()
    rx.close()

    const f = parsePcapngFile(spool)
    expect(f.error).toBeUndefined()
    expect(f.end).toBe(statSync(spool).size)
    const seqs = f.packets
      .map((p) => decodeIpv4(p.data))
      .filter((s) => s !== null && s.proto === 17 && s.dport === port)
      .map((s) => s!.payload.readUInt32BE(0))
    console.log(`crash test: sent ${sentBeforeKill} before kill -9, spool holds ${seqs.length} (${((100 * seqs.length) / sentBeforeKill).toFixed(2)}%)`)
    expect(sentBeforeKill).toBeGreaterThan(1000)
    expect(seqs.length).toBeGreaterThanOrEqual(Math.ceil(0.99 * sentBeforeKill))
    // What is there is a gap-free prefix of what was sent: nothing lost in the middle.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i))

    const engine = readWithEngine(spool)
    expect(engine.error).toBeNull()
    expect(engine.packets.length).toBe(f.packets.length)
    if (hasTool('tshark')) expect(tsharkCheck(spool)).toEqual({ status: 0, stderr: '' })
  })
})
