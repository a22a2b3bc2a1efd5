// The helper ↔ parent protocol: the helper writes one JSON object per line on stdout, the
// parent writes one command per line on stdin. Progress is throttled by the helper (a few
// lines per second, never one per packet).
import type { InterfaceDesc } from '../../shared/contract'
import type { CaptureErrorInfo } from './errors'

export interface StartedMessage {
  type: 'started'
  pid: number
  iface: string
  filter: string
  linktype: number
  snaplen: number
  spool: string
  /** Wall time of the first timestamp anchor, ns since the epoch, as a decimal string. */
  anchorNs: string
  /** The binary running the helper (what needs the capture capability). */
  runtime: string
}

export interface ProgressMessage {
  type: 'progress'
  packets: number
  /** Bytes on the wire (original lengths). */
  bytes: number
  /** Bytes of whole blocks flushed to the spool: a reader may read this far. */
  spoolBytes: number
  /** The helper's resident set size. */
  rss: number
  /** Milliseconds since the helper started capturing (monotonic). */
  t: number
}

export interface ErrorMessage extends CaptureErrorInfo {
  type: 'error'
}

export type StopReason = 'requested' | 'error'

export interface StoppedMessage {
  type: 'stopped'
  reason: StopReason
  packets: number
  bytes: number
  spoolBytes: number
}

export interface InterfacesMessage {
  type: 'interfaces'
  interfaces: InterfaceDesc[]
}

export type HelperMessage = StartedMessage | ProgressMessage | ErrorMessage | StoppedMessage | InterfacesMessage

/** Commands the parent may write on the helper's stdin (with --stdin-control). */
export type HelperCommand = 'stop' | 'progress'

/** Exit status of the helper for each outcome, so a parent without the stdout stream still knows. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  permission: 3,
  'unknown-interface': 4,
  'bad-filter': 5,
  'interface-down': 6,
  'disk-full': 7,
  'spool-io': 8,
  'capture-library-missing': 9,
  'helper-failed': 1,
  'invalid-state': 2
} as const

export function parseHelperLine(line: string): HelperMessage | null {
  if (line === '' || line[0] !== '{') return null
  try {
    const m = JSON.parse(line) as { type?: unknown }
    return typeof m.type === 'string' ? (m as HelperMessage) : null
  } catch {
    return null
  }
}
