// Packet timestamps. cap delivers no kernel timestamp, so each packet is stamped when its
// callback runs, on the monotonic clock (immune to wall-clock steps during a capture),
// anchored once to wall time at start.
import { performance } from 'node:perf_hooks'

export interface ArrivalClock {
  /** Nanoseconds since the epoch. */
  now(): bigint
  /** Wall time of the anchor, ns since the epoch. */
  readonly anchorNs: bigint
}

export function arrivalClock(): ArrivalClock {
  // timeOrigin + now() reads the wall clock with sub-microsecond resolution (Date.now() has 1 ms);
  // the monotonic reading right after it is the other end of the anchor.
  const wallMs = performance.timeOrigin + performance.now()
  const hr0 = process.hrtime.bigint()
  const anchorNs = BigInt(Math.round(wallMs * 1000)) * 1000n
  return {
    anchorNs,
    now: () => anchorNs + (process.hrtime.bigint() - hr0)
  }
}
