// Live capture through the session, the way the UI drives it: start on lo, fetch a page from a
// local server, watch the list grow, stop, and find the handshake among the rows.
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, get, type Server } from 'node:http'
import { createServices, type Services } from '../src/main/app/services'
import type { EventName, EventPayloads, MethodName, MethodResults } from '../src/shared/contract'
import { freePort, skipReason } from './capture-support'

const skip = skipReason()
let svc: Services | undefined
let server: Server | undefined

afterEach(async () => {
  await svc?.dispose()
  svc = undefined
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
})

async function call<M extends MethodName>(method: M, args: unknown): Promise<MethodResults[M]> {
  const r = await svc!.router.dispatch(method, args)
  if (!r.ok) throw new Error(r.error.message)
  return r.result as MethodResults[M]
}

describe.skipIf(skip !== '')('session live capture', () => {
  it('shows a local HTTP request, handshake first, while capturing', async () => {
    svc = await createServices({ mode: 'headless', userDataDir: null })
    const events: { event: EventName; payload: unknown }[] = []
    svc.events.subscribe(<E extends EventName>(event: E, payload: EventPayloads[E]) => events.push({ event, payload }))
    const port = await freePort()
    server = createServer((_req, res) => res.end('hello from wirenote\n'))
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', () => r()))

    const started = await call('capture.start', { iface: 'lo', filter: `tcp port ${port}` })
    expect(started.running).toBe(true)
    await new Promise<void>((ok, fail) => get(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', () => ok())).on('error', fail))

    // The list grows while the capture runs (the session tails the spool).
    const deadline = Date.now() + 10_000
    let total = 0
    while (Date.now() < deadline && total < 3) {
      await new Promise((r) => setTimeout(r, 100))
      total = (await call('view.rows', { start: 0, count: 1 })).total
    }
    expect(total).toBeGreaterThanOrEqual(3)
    expect(events.some((e) => e.event === 'view.changed')).toBe(true)
    expect(events.some((e) => e.event === 'capture.progress')).toBe(true)

    const stopped = await call('capture.stop', {})
    expect(stopped.running).toBe(false)
    const { rows } = await call('view.rows', { start: 0, count: 100 })
    expect(rows.length).toBeGreaterThanOrEqual(6)
    const syn = rows.find((r) => /\[SYN\]/.test(r.info))
    const synAck = rows.find((r) => /\[SYN, ACK\]/.test(r.info))
    expect(syn, rows.map((r) => r.info).join('\n')).toBeDefined()
    expect(synAck).toBeDefined()
    expect(syn!.src).toBe('127.0.0.1')
    expect(syn!.no).toBeLessThan(synAck!.no)
    // The raw numbers obey Ack = Seq + 1 across the handshake.
    const seqOf = async (no: number, name: string): Promise<number> => {
      const find = (nodes: MethodResults['packet.details']['tree']): string | undefined => {
        for (const n of nodes) {
          if (n.name === name) return n.label
          const inner = n.children && find(n.children)
          if (inner) return inner
        }
        return undefined
      }
      const label = find((await call('packet.details', { no })).tree)
      return Number(/: (\d+)/.exec(label ?? "")?.[1])
    }
    expect(await seqOf(synAck!.no, 'tcp.ack_raw')).toBe(((await seqOf(syn!.no, 'tcp.seq_raw')) + 1) >>> 0)
  })
})
