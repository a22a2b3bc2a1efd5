import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { methods } from '../src/shared/contract'
import { EventBus } from '../src/main/rpc/events'
import { Router, type Handlers } from '../src/main/rpc/router'
import { startHeadless, type HeadlessServer } from '../src/main/server/headless'

const handlers = Object.fromEntries(Object.keys(methods).map((m) => [m, (args: unknown) => ({ method: m, args })])) as unknown as Handlers

let dir: string
let server: HeadlessServer
const events = new EventBus()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirenote-headless-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Wirenote</title>')
  server = await startHeadless({ router: new Router(handlers), events, rendererDir: dir })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

function connect(query: string, headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((ok) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers })
    ws.once('open', () => ok({ ws }))
    ws.once('unexpected-response', (_req, res) => ok({ status: res.statusCode }))
    ws.once('error', () => ok({}))
  })
}

function get(path: string, host = `127.0.0.1:${server.port}`): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', fail)
    req.end()
  })
}

const ownOrigin = (): string => `http://127.0.0.1:${server.port}`

describe('headless server', () => {
  it('prints a loopback URL carrying a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/)
  })

  it('refuses a WebSocket without the token or with a wrong one', async () => {
    expect((await connect('', { origin: ownOrigin() })).status).toBe(403)
    expect((await connect('?token=wrong', { origin: ownOrigin() })).status).toBe(403)
  })

  it('refuses a WebSocket from a foreign Origin even with the token', async () => {
    const q = `?token=${server.token}`
    expect((await connect(q, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await connect(q, { origin: `http://127.0.0.1.evil.example:${server.port}` })).status).toBe(403)
    expect((await connect(q, {})).status).toBe(403)
  })

  it('refuses a rebinding Host header', async () => {
    const q = `?token=${server.token}`
    expect((await connect(q, { origin: ownOrigin(), host: `evil.example:${server.port}` })).status).toBe(403)
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(421)
  })

  it('answers contract calls and forwards events on an authorised socket', async () => {
    const { ws } = await connect(`?token=${server.token}`, { origin: ownOrigin() })
    expect(ws).toBeDefined()
    const messages: unknown[] = []
    ws!.on('message', (d) => messages.push(JSON.parse(d.toString())))
    ws!.send(JSON.stringify({ id: 1, method: 'view.rows', args: { start: 0, count: 5 } }))
    ws!.send(JSON.stringify({ id: 2, method: 'view.rows', args: { start: -5, count: 5 } }))
    await new Promise((r) => setTimeout(r, 100))
    events.emit('view.changed', { total: 7 })
    await new Promise((r) => setTimeout(r, 100))
    expect(messages).toContainEqual({ id: 1, ok: true, result: { method: 'view.rows', args: { start: 0, count: 5 } } })
    expect(messages).toContainEqual(expect.objectContaining({ id: 2, ok: false, error: expect.objectContaining({ code: 'invalid-args' }) }))
    expect(messages).toContainEqual({ event: 'view.changed', payload: { total: 7 } })
    ws!.close()
  })

  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    const index = await get('/')
    expect(index.status).toBe(200)
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'")
    expect(String(index.headers['content-security-policy'])).toContain("object-src 'none'")
    expect((await get('/../../etc/passwd')).status).not.toBe(200)
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200)
  })
})
