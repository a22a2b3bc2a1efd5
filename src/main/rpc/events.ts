// Main → renderer events. Services emit here; each transport subscribes once and forwards
// to its clients, so a service never knows whether it runs under Electron or headless.
import type { EventName, EventPayloads } from '../../shared/contract'

export type EventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void

export class EventBus {
  private readonly sinks = new Set<EventSink>()

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const sink of this.sinks) {
      try {
        sink(event, payload)
      } catch (err) {
        console.error('[wirenote] event sink failed:', err)
      }
    }
  }
}

/**
 * Coalesces a stream of updates into at most one emission per `intervalMs` (the latest wins),
 * so progress of a million-packet load or a live capture never becomes one message per packet.
 */
export class Throttle<T> {
  private pending: T | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private last = 0

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void
  ) {}

  push(value: T): void {
    this.pending = value
    const wait = this.last + this.intervalMs - Date.now()
    if (wait <= 0) this.fire()
    else if (!this.timer) this.timer = setTimeout(() => this.fire(), wait)
  }

  /** Sends what is pending now (final states must not wait for the timer). */
  flush(): void {
    if (this.pending !== undefined) this.fire()
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const value = this.pending
    this.pending = undefined
    this.last = Date.now()
    if (value !== undefined) this.send(value)
  }
}
