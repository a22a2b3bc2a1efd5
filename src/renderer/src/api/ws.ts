// The WebSocket transport for headless mode: the same WirenoteApi as Electron's preload,
// carried as RpcRequest/RpcReply/RpcEvent JSON messages. It reconnects by itself with
// backoff; requests made while disconnected wait for the socket (their timeout runs).
import type { ContractError, EventName, EventPayloads, MethodArgs, MethodName, MethodResults, WirenoteApi } from '../../../shared/contract'
import type { RpcEvent, RpcReply, RpcRequest } from '../../../shared/rpc'
import { WS_PATH } from '../../../shared/rpc'

export type ConnectionState = 'connecting' | 'open' | 'closed'

/** Thrown (as a rejection) for contract errors and transport failures alike. */
export class RpcError extends Error {
  constructor(
    message: string,
    readonly code: ContractError['code'] | 'timeout' | 'disconnected'
  ) {
    super(message)
    this.name = 'RpcError'
  }
}

/** Minimal WebSocket surface, so tests can hand in a fake socket. */
export interface SocketLike {
  readyState: number
  send(data: string): void
  close(): void
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
}

export interface WsOptions {
  url: string
  createSocket?: (url: string) => SocketLike
  /** Default request timeout, ms. */
  timeoutMs?: number
  /** Per-method overrides: opening a big file or exporting takes far longer than a row window. */
  methodTimeoutMs?: Partial<Record<MethodName, number>>
  reconnectMinMs?: number
  reconnectMaxMs?: number
}

const OPEN = 1
const LONG = 15 * 60_000

const defaultMethodTimeouts: Partial<Record<MethodName, number>> = {
  'file.open': LONG,
  'file.openSample': LONG,
  'file.save': LONG,
  'export.note': LONG,
  'view.filter': LONG,
  'streams.list': 5 * 60_000,
  'capture.start': 60_000,
  'capture.stop': 60_000
}

interface Pending {
  resolve(value: unknown): void
  reject(err: Error): void
  timer: ReturnType<typeof setTimeout>
}

export class WsTransport implements WirenoteApi {
  private socket: SocketLike | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  /** Serialised requests waiting for the socket to open. */
  private readonly queue: { id: number; text: string }[] = []
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>()
  private readonly stateListeners = new Set<(s: ConnectionState) => void>()
  private backoff: number
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null
  private stopped = false
  state: ConnectionState = 'connecting'

  constructor(private readonly opts: WsOptions) {
    this.backoff = opts.reconnectMinMs ?? 250
    this.connect()
  }

  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResults[M]> {
    const id = this.nextId++
    const req: RpcRequest = { id, method, args }
    const text = JSON.stringify(req)
    const ms = this.opts.methodTimeoutMs?.[method] ?? defaultMethodTimeouts[method] ?? this.opts.timeoutMs ?? 30_000
    return new Promise<MethodResults[M]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        const q = this.queue.findIndex((e) => e.id === id)
        if (q >= 0) this.queue.splice(q, 1)
        reject(new RpcError(`${method}: no reply within ${Math.round(ms / 1000)} s`, 'timeout'))
      }, ms)
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer })
      if (this.socket && this.socket.readyState === OPEN) this.socket.send(text)
      else this.queue.push({ id, text })
    })
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    const l = listener as (payload: never) => void
    set.add(l)
    return () => set.delete(l)
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  close(): void {
    this.stopped = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.socket?.close()
    this.failPending('connection closed')
  }

  private setState(s: ConnectionState): void {
    if (this.state === s) return
    this.state = s
    for (const l of this.stateListeners) l(s)
  }

  private connect(): void {
    this.setState('connecting')
    const create = this.opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike)
    let sock: SocketLike
    try {
      sock = create(this.opts.url)
    } catch {
      this.scheduleReconnect()
      return
    }
    this.socket = sock
    sock.onopen = () => {
      this.backoff = this.opts.reconnectMinMs ?? 250
      this.setState('open')
      for (const q of this.queue.splice(0)) sock.send(q.text)
    }
    sock.onmessage = (ev) => this.receive(ev.data)
    sock.onerror = () => {
      /* onclose follows and does the work */
    }
    sock.onclose = () => {
      if (this.socket !== sock) return
      this.socket = null
      // Requests already sent may or may not have run: fail them rather than resend.
      this.failPending('connection lost', true)
      this.setState('closed')
      if (!this.stopped) this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    const delay = this.backoff
    this.backoff = Math.min(this.backoff * 2, this.opts.reconnectMaxMs ?? 5000)
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      if (!this.stopped) this.connect()
    }, delay)
  }

  private failPending(message: string, sentOnly = false): void {
    const queued = new Set(this.queue.map((q) => q.id))
    for (const [id, p] of this.pending) {
      if (sentOnly && queued.has(id)) continue
      clearTimeout(p.timer)
      this.pending.delete(id)
      p.reject(new RpcError(message, 'disconnected'))
    }
    if (!sentOnly) this.queue.length = 0
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return
    let msg: RpcReply | RpcEvent
    try {
      msg = JSON.parse(data) as RpcReply | RpcEvent
    } catch {
      return
    }
    if ('event' in msg) {
      const set = this.listeners.get(msg.event)
      if (set) for (const l of [...set]) l(msg.payload as never)
      return
    }
    if (typeof msg.id !== 'number') return
    const p = this.pending.get(msg.id)
    if (!p) return
    this.pending.delete(msg.id)
    clearTimeout(p.timer)
    if (msg.ok) p.resolve(msg.result)
    else p.reject(new RpcError(msg.error.message, msg.error.code))
  }
}

/** ws(s)://host/ws?token=... for the page this renderer was served from. */
export function wsUrlFor(loc: { protocol: string; host: string; search: string }): { url: string; token: string | null } {
  const token = new URLSearchParams(loc.search).get('token')
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws'
  return { url: `${scheme}://${loc.host}${WS_PATH}?token=${encodeURIComponent(token ?? '')}`, token }
}
