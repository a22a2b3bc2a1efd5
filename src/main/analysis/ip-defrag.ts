// IPv4 and IPv6 fragment reassembly across frames, for the sequential decoder. tshark
// reassembles by default, so upper layers appear only on the frame that completes a datagram;
// dissectors ask this object whether a fragment does (net/ipv4.ts, net/ipv6.ts).
//
// Memory is bounded: at most `maxDatagrams` datagrams and `maxBytes` fragment bytes are held,
// the oldest datagram is dropped first, and a datagram whose first fragment is older than
// `timeoutSec` (capture time) is dropped when the next fragment arrives.

export interface DefragLimits {
  maxDatagrams: number
  maxBytes: number
  timeoutSec: number
}

/** Where one fragment's bytes sit in the reassembled payload. */
export interface Fragment {
  frame: number
  offset: number
  length: number
}

export interface Reassembled {
  /** The whole payload (IPv4: what follows the IP header; IPv6: the fragmentable part). */
  payload: Uint8Array
  /** Fragments in payload order. */
  fragments: Fragment[]
}

interface Pending {
  key: string
  firstTime: number
  /** Total payload length once the last fragment (MF clear) was seen, else -1. */
  total: number
  bytes: number
  frags: { frame: number; offset: number; data: Uint8Array }[]
}

const DEFAULTS: DefragLimits = { maxDatagrams: 4096, maxBytes: 32 * 1024 * 1024, timeoutSec: 60 }
/**
 * For replaying the fragments the sequential pass recorded for one datagram: they are known to
 * complete it, so nothing may be dropped on the way (whatever the pass dropped is not among them).
 */
export const NO_LIMITS: DefragLimits = { maxDatagrams: Infinity, maxBytes: Infinity, timeoutSec: Infinity }
/** Largest payload an IPv4 datagram (and an IPv6 one without jumbograms) can reassemble to. */
const MAX_PAYLOAD = 65535

export class IpDefragmenter {
  private readonly limits: DefragLimits
  private readonly pending = new Map<string, Pending>()
  private heldBytes = 0
  /**
   * Told of every datagram completed, as it completes (the sequential decoder records which
   * frames made it, so that re-dissecting the completing frame alone can rebuild it).
   */
  onReassembled: ((r: Reassembled) => void) | null = null

  constructor(limits: Partial<DefragLimits> = {}) {
    this.limits = { ...DEFAULTS, ...limits }
  }

  /** Datagrams waiting for fragments. */
  get pendingDatagrams(): number {
    return this.pending.size
  }

  /** Fragment bytes held. */
  get pendingBytes(): number {
    return this.heldBytes
  }

  /**
   * Adds a fragment whose payload bytes are `data` (copied) at byte `offset` of the datagram.
   * Returns the reassembled datagram when this fragment completes it, else null.
   * `key` identifies the datagram (addresses, ID, protocol); see ipv4Key / ipv6Key.
   */
  add(key: string, frame: number, time: number, offset: number, more: boolean, data: Uint8Array): Reassembled | null {
    this.expire(time)
    if (offset + data.length > MAX_PAYLOAD) return null
    let p = this.pending.get(key)
    if (!p) {
      p = { key, firstTime: time, total: -1, bytes: 0, frags: [] }
      this.pending.set(key, p)
    }
    if (!more) p.total = offset + data.length
    p.frags.push({ frame, offset, data: data.slice() })
    p.bytes += data.length
    this.heldBytes += data.length
    const done = this.complete(p)
    if (done) {
      this.drop(p)
      this.onReassembled?.(done)
      return done
    }
    this.enforceLimits(p)
    return null
  }

  clear(): void {
    this.pending.clear()
    this.heldBytes = 0
  }

  private complete(p: Pending): Reassembled | null {
    if (p.total < 0) return null
    const sorted = p.frags.slice().sort((a, b) => a.offset - b.offset || a.frame - b.frame)
    let covered = 0
    for (const f of sorted) {
      if (f.offset > covered) return null
      covered = Math.max(covered, f.offset + f.data.length)
    }
    if (covered < p.total) return null
    const payload = new Uint8Array(p.total)
    // Later copies never overwrite bytes an earlier fragment already supplied.
    const fragments: Fragment[] = []
    let filled = 0
    for (const f of sorted) {
      const start = Math.max(f.offset, filled)
      const stop = Math.min(f.offset + f.data.length, p.total)
      if (stop > start) payload.set(f.data.subarray(start - f.offset, stop - f.offset), start)
      filled = Math.max(filled, stop)
      fragments.push({ frame: f.frame, offset: f.offset, length: f.data.length })
    }
    return { payload, fragments }
  }

  private drop(p: Pending): void {
    this.pending.delete(p.key)
    this.heldBytes -= p.bytes
  }

  private expire(now: number): void {
    const limit = now - this.limits.timeoutSec
    // Map order is creation order, so the oldest datagrams come first.
    for (const p of this.pending.values()) {
      if (p.firstTime >= limit) break
      this.drop(p)
    }
  }

  private enforceLimits(keep: Pending): void {
    for (const p of this.pending.values()) {
      if (this.pending.size <= this.limits.maxDatagrams && this.heldBytes <= this.limits.maxBytes) return
      if (p === keep && this.pending.size === 1) {
        // a single datagram over the byte limit: give up on it too
        this.drop(p)
        return
      }
      if (p !== keep) this.drop(p)
    }
  }
}

/** Datagram key of an IPv4 fragment (RFC 791: source, destination, protocol, identification). */
export function ipv4Key(src: string, dst: string, id: number, proto: number): string {
  return `4 ${src} ${dst} ${id} ${proto}`
}

/** Datagram key of an IPv6 fragment (RFC 8200: source, destination, identification). */
export function ipv6Key(src: string, dst: string, id: number): string {
  return `6 ${src} ${dst} ${id}`
}
