// Headless mode: the built renderer served on loopback, and the contract over a WebSocket.
// A web page the user visits in their normal browser must not be able to drive Wirenote
// (start a capture, read files): the server binds 127.0.0.1 only, checks the Host header
// (DNS rebinding), and accepts a WebSocket only with the per-run token and our own Origin.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Router } from '../rpc/router'
import type { EventBus } from '../rpc/events'
import { WS_PATH, type RpcReply } from '../../shared/rpc'

export interface HeadlessOptions {
  router: Router
  events: EventBus
  /** Folder holding the built renderer (index.html + assets). */
  rendererDir: string
  /** 0 (default) picks a free port. */
  port?: number
  /** Fixed token (tests); a random one otherwise. */
  token?: string
}

export interface HeadlessServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon'
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** Largest request the server accepts from a client; contract messages are small. */
const MAX_MESSAGE = 4 * 1024 * 1024

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/** Why an upgrade request is refused, or null when it is acceptable. */
export function refuseUpgrade(req: IncomingMessage, port: number, token: string): string | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (url.pathname !== WS_PATH) return 'unknown path'
  if (!allowedHosts(port).includes(req.headers.host ?? '')) return 'bad host'
  const origin = req.headers.origin
  if (!origin || !allowedHosts(port).some((h) => origin === `http://${h}`)) return 'foreign origin'
  const given = url.searchParams.get('token') ?? ''
  if (!sameSecret(given, token)) return 'bad token'
  return null
}

export async function startHeadless(opts: HeadlessOptions): Promise<HeadlessServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const root = resolve(opts.rendererDir)
  let port = 0

  const server: Server = createServer((req, res) => {
    void serveStatic(req, res, root, port)
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE })
  const clients = new Set<WebSocket>()

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const why = refuseUpgrade(req, port, token)
    if (why) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: ${why.length}\r\n\r\n${why}`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws)
      ws.on('close', () => clients.delete(ws))
      ws.on('message', (data, isBinary) => {
        if (isBinary) return
        void answer(ws, data.toString())
      })
    })
  })

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let msg: { id?: unknown; method?: unknown; args?: unknown }
    try {
      msg = JSON.parse(text)
    } catch {
      return
    }
    if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number') return
    const out = await opts.router.dispatch(msg.method, msg.args)
    const reply: RpcReply = out.ok ? { id: msg.id, ok: true, result: out.result } : { id: msg.id, ok: false, error: out.error }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply))
  }

  const unsubscribe = opts.events.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload })
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  const addr = server.address()
  port = typeof addr === 'object' && addr ? addr.port : 0

  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    async close() {
      unsubscribe()
      for (const ws of clients) ws.terminate()
      wss.close()
      await new Promise<void>((ok) => server.close(() => ok()))
    }
  }
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, port: number): Promise<void> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store'
  }
  if (!allowedHosts(port).includes(req.headers.host ?? '')) {
    res.writeHead(421, headers).end('misdirected request')
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end()
    return
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
  const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^[/\\]+/, '')
  const file = join(root, rel)
  if (!file.startsWith(root + sep)) {
    res.writeHead(403, headers).end()
    return
  }
  try {
    const st = await stat(file)
    if (!st.isFile()) throw new Error('not a file')
    const body = await readFile(file)
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' })
    res.end(req.method === 'HEAD' ? undefined : body)
  } catch {
    res.writeHead(404, headers).end('not found')
  }
}
