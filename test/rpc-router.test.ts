import { describe, expect, it } from 'vitest'
import { methods, type MethodName } from '../src/shared/contract'
import { Router, UserError, type Handlers } from '../src/main/rpc/router'
import { registerIpc, type IpcMainLike, type InvokeEventLike } from '../src/main/app/ipc'
import { IPC_INVOKE } from '../src/shared/ipc-channels'
import type { RouteResult } from '../src/main/rpc/router'

/** Handlers that echo what reached them, so a test sees the validated arguments. */
function echoHandlers(): Handlers {
  const h: Record<string, (args: unknown) => unknown> = {}
  for (const m of Object.keys(methods)) h[m] = (args) => ({ method: m, args })
  return h as unknown as Handlers
}

/** The smallest valid arguments of each method. */
const validArgs: Record<MethodName, unknown> = {
  'app.info': {},
  'file.open': { path: '/tmp/x.pcap' },
  'file.openSample': {},
  'file.recent': {},
  'file.current': {},
  'file.save': { path: '/tmp/x.pcapng' },
  'capture.interfaces': {},
  'capture.start': { iface: 'lo' },
  'capture.stop': {},
  'capture.status': {},
  'view.rows': { start: 0, count: 100 },
  'view.filter': { text: 'tcp' },
  'filter.check': { text: 'tcp' },
  'view.find': { no: 1 },
  'packet.details': { no: 1 },
  'streams.list': {},
  'stream.packets': { stream: 0 },
  'annotations.get': {},
  'annotations.set': { title: '', intro: '', packets: [] },
  'export.note': { stream: 0, outDir: '/tmp/note' },
  'diagram.stream': { stream: 0 },
  'packet.card': { no: 1 },
  'capture.pause': {},
  'capture.resume': {}
}

/** A fake ipcMain: records the handler so the test can invoke it like Electron would. */
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<RouteResult>>()
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<RouteResult>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  invoke(event: InvokeEventLike, ...args: unknown[]): Promise<RouteResult> {
    const h = this.handlers.get(IPC_INVOKE)
    if (!h) throw new Error('no handler')
    return h(event, ...args)
  }
}

const ourWindow = { sender: 'main-window', senderFrame: { url: 'file:///app/out/renderer/index.html' } }

function setup(): FakeIpcMain {
  const ipc = new FakeIpcMain()
  registerIpc(ipc, new Router(echoHandlers()), (e) => e.sender === 'main-window' && e.senderFrame?.url === ourWindow.senderFrame.url)
  return ipc
}

describe('router over a fake ipcMain', () => {
  it('has a valid-arguments example for every contract method', () => {
    expect(Object.keys(validArgs).sort()).toEqual(Object.keys(methods).sort())
  })

  it('reaches every contract method with validated, defaulted arguments', async () => {
    const ipc = setup()
    for (const m of Object.keys(methods) as MethodName[]) {
      const r = await ipc.invoke(ourWindow, m, validArgs[m])
      expect(r, m).toMatchObject({ ok: true, result: { method: m } })
    }
    const start = await ipc.invoke(ourWindow, 'capture.start', { iface: 'lo' })
    expect(start).toEqual({ ok: true, result: { method: 'capture.start', args: { iface: 'lo', filter: '' } } })
  })

  it('rejects invalid arguments with a message naming the method and the field', async () => {
    const ipc = setup()
    const cases: [MethodName, unknown, RegExp][] = [
      ['view.rows', { start: -1, count: 10 }, /^Invalid arguments for view\.rows: start: /],
      ['view.rows', { start: 0, count: 5000 }, /^Invalid arguments for view\.rows: count: /],
      ['file.open', { path: '' }, /^Invalid arguments for file\.open: path: /],
      ['file.open', { path: 42 }, /^Invalid arguments for file\.open: path: /],
      ['packet.details', { no: 0 }, /^Invalid arguments for packet\.details: no: /],
      ['packet.details', { no: 1.5 }, /^Invalid arguments for packet\.details: no: /],
      ['capture.start', { iface: 'lo', filter: 'tcp', shell: 'rm -rf /' }, /^Invalid arguments for capture\.start: arguments: Unrecognized key/],
      ['export.note', { stream: 0, outDir: '/tmp/x', lang: 'fr' }, /^Invalid arguments for export\.note: lang: /],
      ['view.filter', 'tcp', /^Invalid arguments for view\.filter: arguments: /]
    ]
    for (const [m, args, msg] of cases) {
      const r = await ipc.invoke(ourWindow, m, args)
      expect(r.ok, `${m} ${JSON.stringify(args)}`).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-args')
        expect(r.error.message).toMatch(msg)
      }
    }
  })

  it('rejects unknown methods, prototype keys and extra positional arguments', async () => {
    const ipc = setup()
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = await ipc.invoke(ourWindow, m, {})
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    }
    const extra = await ipc.invoke(ourWindow, 'app.info', {}, 'more')
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-args' } })
  })

  it('refuses calls from any frame but the Wirenote window', async () => {
    const ipc = setup()
    const foreign = { sender: 'main-window', senderFrame: { url: 'https://evil.example/' } }
    expect(await ipc.invoke(foreign, 'app.info', {})).toMatchObject({ ok: false, error: { message: /did not come from the Wirenote window/ } })
    expect(await ipc.invoke({ sender: 'other' }, 'app.info', {})).toMatchObject({ ok: false })
  })

  it('turns handler failures into a failed reply with the message', async () => {
    const handlers = echoHandlers()
    handlers['file.open'] = () => {
      throw new UserError('Cannot open "/x": no such file')
    }
    const r = await new Router(handlers).dispatch('file.open', { path: '/x' })
    expect(r).toEqual({ ok: false, error: { code: 'failed', message: 'Cannot open "/x": no such file' } })
  })
})
