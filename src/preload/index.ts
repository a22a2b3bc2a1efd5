// The contextBridge and nothing else: the renderer gets exactly the WirenoteApi of the shared
// contract. Arguments are validated again in the main process (the router); this side only
// refuses what is obviously not a method call, so a compromised page gains nothing here.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import type { EventName, WirenoteApi } from '../shared/contract'
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc-channels'

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }

const api: WirenoteApi = {
  async invoke(method, args) {
    const reply = (await ipcRenderer.invoke(IPC_INVOKE, String(method), args)) as Reply
    if (reply.ok) return reply.result as never
    // A plain object, not an Error: the context bridge copies Errors without their own
    // properties, and the renderer needs `code` (e.g. 'exists' to ask before overwriting).
    throw { name: 'RpcError', message: reply.error.message, code: reply.error.code }
  },
  on(event, listener) {
    const name: EventName = event
    const handler = (_e: IpcRendererEvent, ev: unknown, payload: unknown): void => {
      if (ev === name) (listener as (p: unknown) => void)(payload)
    }
    ipcRenderer.on(IPC_EVENT, handler)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler)
    }
  },
  pathForFile(file) {
    try {
      return webUtils.getPathForFile(file as File) || null
    } catch {
      return null
    }
  }
}

contextBridge.exposeInMainWorld('wirenote', api)
