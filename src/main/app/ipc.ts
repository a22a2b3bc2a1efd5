// The Electron transport of the contract: one ipcMain handler that checks who is calling and
// hands everything else to the router. Written against the smallest slice of ipcMain it needs
// so that tests drive it with a fake.
import type { Router, RouteResult } from '../rpc/router'
import { IPC_INVOKE } from '../../shared/ipc-channels'

export interface InvokeEventLike {
  sender: unknown
  senderFrame?: { url: string } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<RouteResult>): void
  removeHandler(channel: string): void
}

export function registerIpc(ipcMain: IpcMainLike, router: Router, trusted: (event: InvokeEventLike) => boolean): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, method, args, ...rest) => {
    if (!trusted(event)) {
      return { ok: false, error: { code: 'failed', message: 'Refused: the request did not come from the Wirenote window.' } }
    }
    if (rest.length > 0) {
      return { ok: false, error: { code: 'invalid-args', message: 'Invalid call: expected a method name and one arguments object.' } }
    }
    return router.dispatch(method, args)
  })
  return () => ipcMain.removeHandler(IPC_INVOKE)
}
