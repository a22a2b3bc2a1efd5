// The wire format of the contract over the headless server's WebSocket. Electron's IPC
// carries the same method names and arguments through ipcRenderer.invoke instead.
import type { ContractError, EventName, EventPayloads, MethodName } from './contract'

/** Renderer → main. `id` pairs the reply with the request. */
export interface RpcRequest {
  id: number
  method: MethodName
  args: unknown
}

export type RpcReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ContractError }

/** Main → renderer, unsolicited. */
export interface RpcEvent<E extends EventName = EventName> {
  event: E
  payload: EventPayloads[E]
}

/** Path of the WebSocket endpoint; the per-run token goes in the `token` query parameter. */
export const WS_PATH = '/ws'
