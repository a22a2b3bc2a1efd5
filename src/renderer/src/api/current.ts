// The one WirenoteApi the renderer talks to. Stores and components reach it through
// useApi() so tests can swap in a fake without touching the transports.
import type { WirenoteApi } from '../../../shared/contract'

let current: WirenoteApi | null = null

export function setApi(api: WirenoteApi | null): void {
  current = api
}

export function useApi(): WirenoteApi {
  if (!current) throw new Error('Wirenote API not initialised')
  return current
}
