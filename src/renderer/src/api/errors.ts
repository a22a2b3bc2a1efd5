// A failed call's contract code and message, whichever transport rejected it: the WebSocket
// transport throws an RpcError, Electron's preload an Error with `code` set. Plain
// { message, code } objects are read too: Electron's contextBridge copies thrown Errors
// without their custom properties, so a preload may have to reject with such an object.
import type { ContractError } from '../../../shared/contract'

export type ErrorCode = ContractError['code'] | 'timeout' | 'disconnected'

export function errorCode(err: unknown): ErrorCode | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' ? (code as ErrorCode) : undefined
}

/** The user-facing message of a failed call (an Error, or a plain { message } object). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message
  return String(err)
}
