// The one router between a transport (Electron's ipcMain or the headless WebSocket) and the
// services: it resolves the method, validates the arguments against the contract's schema,
// calls the handler and turns every failure into a ContractError. Transports never call a
// handler directly, so no unvalidated argument reaches the services.
import { z } from 'zod'
import { methods, type ContractError, type MethodName, type MethodResults } from '../../shared/contract'

export type ParsedArgs<M extends MethodName> = z.output<(typeof methods)[M]['args']>

export type Handlers = {
  [M in MethodName]: (args: ParsedArgs<M>) => Promise<MethodResults[M]> | MethodResults[M]
}

export type RouteResult = { ok: true; result: unknown } | { ok: false; error: ContractError }

/** A failure a handler wants the user to read as is (no stack, no "Error:" prefix). */
export class UserError extends Error {
  override name = 'UserError'

  constructor(
    message: string,
    /** A code the renderer acts on ('exists': ask before overwriting). */
    readonly code: ContractError['code'] = 'failed'
  ) {
    super(message)
  }
}

function isMethod(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name)
}

function describeIssues(method: string, error: z.ZodError): string {
  const parts = error.issues.map((i) => {
    const where = i.path.length ? i.path.join('.') : 'arguments'
    return `${where}: ${i.message}`
  })
  return `Invalid arguments for ${method}: ${parts.join('; ')}`
}

export class Router {
  constructor(private readonly handlers: Handlers) {}

  get methodNames(): MethodName[] {
    return Object.keys(methods) as MethodName[]
  }

  async dispatch(method: unknown, args: unknown): Promise<RouteResult> {
    if (!isMethod(method)) {
      const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 100)) : typeof method
      return { ok: false, error: { code: 'unknown-method', message: `Unknown method ${shown}` } }
    }
    const parsed = methods[method].args.safeParse(args ?? {})
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-args', message: describeIssues(method, parsed.error) } }
    }
    const handler = this.handlers[method] as (a: unknown) => unknown
    try {
      return { ok: true, result: await handler(parsed.data) }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      if (!(err instanceof UserError)) console.error(`[wirenote] ${method} failed:`, err)
      return { ok: false, error: { code: err instanceof UserError ? err.code : 'failed', message } }
    }
  }
}
