import { afterEach, describe, expect, it, vi } from 'vitest'
import { RpcError, WsTransport, wsUrlFor, type SocketLike } from './ws'

class FakeSocket implements SocketLike {
  readyState = 0
  sent: string[] = []
  onopen: ((ev: unknown) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data)
  }
  close(): void {
    this.drop()
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  drop(): void {
    this.readyState = 3
    this.onclose?.({})
  }
  reply(obj: unknown): void {
    this.onmessage?.({ data: JSON.stringify(obj) })
  }
  lastId(): number {
    return JSON.parse(this.sent[this.sent.length - 1]).id
  }
}

function make(opts: Partial<ConstructorParameters<typeof WsTransport>[0]> = {}) {
  const sockets: FakeSocket[] = []
  const t = new WsTransport({
    url: 'ws://127.0.0.1:1/ws?token=abc',
    createSocket: (url) => {
      const s = new FakeSocket(url)
      sockets.push(s)
      return s
    },
    reconnectMinMs: 100,
    reconnectMaxMs: 400,
    ...opts
  })
  return { t, sockets }
}

afterEach(() => vi.useRealTimers())

describe('WsTransport', () => {
  it('builds the endpoint from the page address and its token', () => {
    expect(wsUrlFor({ protocol: 'http:', host: '127.0.0.1:4567', search: '?token=a%2Fb' })).toEqual({ url: 'ws://127.0.0.1:4567/ws?token=a%2Fb', token: 'a/b' })
    expect(wsUrlFor({ protocol: 'https:', host: 'h', search: '' }).url).toBe('wss://h/ws?token=')
  })

  it('queues requests until the socket opens, pairs replies by id, and rejects contract errors', async () => {
    const { t, sockets } = make()
    const p1 = t.invoke('view.rows', { start: 0, count: 10 })
    const p2 = t.invoke('view.find', { no: 5 })
    expect(sockets[0].sent).toEqual([])
    sockets[0].open()
    expect(sockets[0].sent.map((s) => JSON.parse(s).method)).toEqual(['view.rows', 'view.find'])
    const [r1, r2] = sockets[0].sent.map((s) => JSON.parse(s).id)
    sockets[0].reply({ id: r2, ok: false, error: { code: 'invalid-args', message: 'no must be ≥ 1' } })
    sockets[0].reply({ id: r1, ok: true, result: { total: 0, rows: [] } })
    await expect(p1).resolves.toEqual({ total: 0, rows: [] })
    await expect(p2).rejects.toMatchObject({ name: 'RpcError', code: 'invalid-args', message: 'no must be ≥ 1' })
  })

  it('delivers events to listeners until they unsubscribe', () => {
    const { t, sockets } = make()
    sockets[0].open()
    const seen: number[] = []
    const off = t.on('view.changed', (p) => seen.push(p.total))
    sockets[0].reply({ event: 'view.changed', payload: { total: 7 } })
    off()
    sockets[0].reply({ event: 'view.changed', payload: { total: 8 } })
    expect(seen).toEqual([7])
  })

  it('times out a request that gets no reply', async () => {
    vi.useFakeTimers()
    const { t, sockets } = make({ timeoutMs: 1000 })
    sockets[0].open()
    const p = t.invoke('view.find', { no: 1 })
    const check = expect(p).rejects.toMatchObject({ code: 'timeout' })
    vi.advanceTimersByTime(1001)
    await check
    // A late reply is ignored.
    sockets[0].reply({ id: sockets[0].lastId(), ok: true, result: { index: 0 } })
  })

  it('fails requests in flight when the connection drops, then reconnects with backoff and reports its state', async () => {
    vi.useFakeTimers()
    const { t, sockets } = make()
    const states: string[] = []
    t.onState((s) => states.push(s))
    sockets[0].open()
    const p = t.invoke('view.find', { no: 1 })
    const check = expect(p).rejects.toBeInstanceOf(RpcError)
    sockets[0].drop()
    await check
    expect(states).toEqual(['open', 'closed'])
    vi.advanceTimersByTime(100)
    expect(sockets).toHaveLength(2)
    sockets[1].drop()
    vi.advanceTimersByTime(199)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(3)
    // Requests made while down wait for the new socket.
    const q = t.invoke('view.find', { no: 2 })
    sockets[2].open()
    sockets[2].reply({ id: sockets[2].lastId(), ok: true, result: { index: 1 } })
    await expect(q).resolves.toEqual({ index: 1 })
    expect(states.at(-1)).toBe('open')
    t.close()
  })
})
