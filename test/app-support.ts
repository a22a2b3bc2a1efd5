// The app as its tests drive it: the same services Electron and the headless server build,
// called through the router (so arguments are validated as they are for the UI).
import { afterEach } from 'vitest'
import { createServices, type Services } from '../src/main/app/services'
import type { EventName, EventPayloads, MethodName, MethodResults } from '../src/shared/contract'

export interface AppHarness {
  /** Starts a fresh app (disposing the previous one). */
  start(): Promise<Services>
  readonly svc: Services
  /** Calls a contract method; a failed call throws with the user-facing message. */
  call<M extends MethodName>(method: M, args: unknown): Promise<MethodResults[M]>
  /** Records every event the app emits from now on. */
  record(): { event: EventName; payload: unknown }[]
}

/** One app per test, disposed after each. */
export function appHarness(): AppHarness {
  let current: Services | undefined
  afterEach(async () => {
    await current?.dispose()
    current = undefined
  })
  const h: AppHarness = {
    async start() {
      await current?.dispose()
      current = await createServices({ mode: 'headless', userDataDir: null })
      return current
    },
    get svc() {
      if (!current) throw new Error('appHarness: start() first')
      return current
    },
    async call(method, args) {
      const r = await h.svc.router.dispatch(method, args)
      if (!r.ok) throw new Error(r.error.message)
      return r.result as never
    },
    record() {
      const log: { event: EventName; payload: unknown }[] = []
      h.svc.events.subscribe(<E extends EventName>(event: E, payload: EventPayloads[E]) => log.push({ event, payload }))
      return log
    }
  }
  return h
}
