// A window cache over the main process's packet view: fixed-size pages kept in an LRU,
// requests for adjacent missing pages coalesced into one `view.rows` call (≤ 2000 rows),
// at most a few calls in flight, and only the latest wanted window pursued — so dragging
// the scrollbar across millions of rows never queues up stale work.
import type { PacketRow } from '../../../shared/contract'

export type FetchRows = (start: number, count: number) => Promise<{ total: number; rows: PacketRow[] }>

export interface RowCacheOptions {
  pageSize?: number
  maxPages?: number
  /** Largest single request (the contract caps `view.rows` at 2000). */
  maxRequest?: number
  maxInFlight?: number
  /** Called whenever rows or the total change (drives the reactive revision). */
  onChange?: () => void
  /** Called when a request fails. */
  onError?: (err: unknown) => void
}

interface InFlight {
  firstPage: number
  pages: number
  gen: number
}

export class RowWindowCache {
  readonly pageSize: number
  readonly maxPages: number
  private readonly maxRequest: number
  private readonly maxInFlight: number
  /** Insertion order is recency: a hit re-inserts its page. */
  private readonly pages = new Map<number, PacketRow[]>()
  private readonly inFlight = new Set<InFlight>()
  private wanted: { start: number; end: number } = { start: 0, end: 0 }
  private gen = 0
  total = 0
  /** Counts `view.rows` calls; tests read it to check coalescing. */
  requests = 0

  constructor(
    private readonly fetchRows: FetchRows,
    private readonly opts: RowCacheOptions = {}
  ) {
    this.pageSize = opts.pageSize ?? 200
    this.maxPages = Math.max(2, opts.maxPages ?? 64)
    this.maxRequest = Math.min(2000, opts.maxRequest ?? 2000)
    this.maxInFlight = opts.maxInFlight ?? 2
  }

  /** The row at view index i, or undefined while it is being fetched. Does not fetch. */
  get(i: number): PacketRow | undefined {
    const page = this.pages.get(Math.floor(i / this.pageSize))
    return page?.[i % this.pageSize]
  }

  /** Pages currently held (for tests and diagnostics). */
  cachedPages(): number[] {
    return [...this.pages.keys()]
  }

  /** Declare the rows the UI needs now, [start, end); fetches what is missing. */
  ensure(start: number, end: number): void {
    start = Math.max(0, Math.floor(start))
    end = Math.min(this.total, Math.ceil(end))
    this.wanted = { start, end: Math.max(start, end) }
    // Touch the wanted pages so eviction keeps them.
    for (let p = this.pageOf(start); p <= this.pageOf(end - 1) && end > start; p++) {
      const page = this.pages.get(p)
      if (page) {
        this.pages.delete(p)
        this.pages.set(p, page)
      }
    }
    this.pump()
  }

  /** Drop everything (filter applied, file opened): stale replies are ignored. */
  invalidate(total?: number): void {
    this.gen++
    this.pages.clear()
    this.inFlight.clear()
    if (total !== undefined) this.total = total
    this.opts.onChange?.()
    this.pump()
  }

  /**
   * The view changed size. Growth (live capture, progressive load) only appends, so
   * complete pages stay valid and the short last page is refetched when next wanted;
   * a shrink means the view was rebuilt, so everything goes.
   */
  resize(total: number): void {
    if (total < this.total) {
      this.invalidate(total)
      return
    }
    if (total === this.total) return
    this.total = total
    this.opts.onChange?.()
    this.pump()
  }

  /** Apply a change to cached rows in place (e.g. the annotated mark). */
  patch(no: number, change: Partial<PacketRow>): void {
    for (const page of this.pages.values()) {
      for (let i = 0; i < page.length; i++) {
        if (page[i].no === no) page[i] = { ...page[i], ...change }
      }
    }
    this.opts.onChange?.()
  }

  private pageOf(i: number): number {
    return Math.floor(i / this.pageSize)
  }

  /** A page is usable when it holds every row the current total says it should. */
  private complete(p: number): boolean {
    const page = this.pages.get(p)
    if (!page) return false
    return page.length >= Math.min(this.pageSize, this.total - p * this.pageSize)
  }

  private pending(p: number): boolean {
    for (const f of this.inFlight) if (f.gen === this.gen && p >= f.firstPage && p < f.firstPage + f.pages) return true
    return false
  }

  private pump(): void {
    const { start, end } = this.wanted
    if (end <= start) return
    const last = this.pageOf(Math.min(end, this.total) - 1)
    const perRequest = Math.max(1, Math.floor(this.maxRequest / this.pageSize))
    let p = this.pageOf(start)
    while (p <= last && this.inFlight.size < this.maxInFlight) {
      if (this.complete(p) || this.pending(p)) {
        p++
        continue
      }
      let n = 1
      while (p + n <= last && n < perRequest && !this.complete(p + n) && !this.pending(p + n)) n++
      this.request(p, n)
      p += n
    }
  }

  private request(firstPage: number, pages: number): void {
    const f: InFlight = { firstPage, pages, gen: this.gen }
    this.inFlight.add(f)
    this.requests++
    const start = firstPage * this.pageSize
    const count = Math.min(pages * this.pageSize, Math.max(0, this.total - start))
    this.fetchRows(start, count).then(
      (res) => {
        if (!this.inFlight.delete(f) || f.gen !== this.gen) return
        for (let i = 0; i < pages; i++) {
          const rows = res.rows.slice(i * this.pageSize, (i + 1) * this.pageSize)
          if (rows.length === 0 && start + i * this.pageSize < res.total) continue
          this.pages.set(firstPage + i, rows)
        }
        this.evict()
        if (res.total !== this.total) {
          // The view moved under us; a shrink means our pages may be wrong.
          if (res.total < this.total) {
            this.invalidate(res.total)
            return
          }
          this.total = res.total
        }
        this.opts.onChange?.()
        this.pump()
      },
      (err: unknown) => {
        if (!this.inFlight.delete(f)) return
        this.opts.onError?.(err)
        // Do not retry in a loop: the next ensure() (scroll, resize) asks again.
      }
    )
  }

  private evict(): void {
    if (this.pages.size <= this.maxPages) return
    const keepFrom = this.pageOf(this.wanted.start)
    const keepTo = this.pageOf(Math.max(this.wanted.start, this.wanted.end - 1))
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break
      if (p >= keepFrom && p <= keepTo) continue
      this.pages.delete(p)
    }
  }
}
