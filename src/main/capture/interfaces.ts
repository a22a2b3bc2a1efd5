// Loading the native `cap` addon and listing interfaces. Listing needs no privileges.
import { createRequire } from 'node:module'
import type { InterfaceDesc } from '../../shared/contract'
import { libraryMissingError } from './errors'

export interface CapDevice {
  name: string
  description?: string
  addresses: { addr?: string; netmask?: string; broadaddr?: string; dstaddr?: string }[]
  flags?: string
}

export interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string
  close(): boolean
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): unknown
}

export interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[] }
}

let loaded: CapModule | null = null

/** The `cap` addon; throws a CaptureError('capture-library-missing') when it cannot load. */
export function loadCap(): CapModule {
  if (loaded !== null) return loaded
  try {
    const require = createRequire(import.meta.url)
    loaded = require('cap') as CapModule
    return loaded
  } catch (e) {
    throw libraryMissingError(process.platform, (e as Error).message)
  }
}

export function describeDevice(d: CapDevice): InterfaceDesc {
  return {
    name: d.name,
    description: d.description ?? '',
    addresses: d.addresses.flatMap((a) => (a.addr === undefined ? [] : [a.addr])),
    loopback: d.flags === 'PCAP_IF_LOOPBACK'
  }
}

/** Interfaces libpcap can capture on, in its order (the first is usually the best guess). */
export function listInterfaces(): InterfaceDesc[] {
  return loadCap().Cap.deviceList().map(describeDevice)
}
