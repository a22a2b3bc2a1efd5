// Runs a display filter over an open capture, frame by frame, at the cheapest level that can
// decide each frame:
//   1. the packet index alone (frame.number, lengths, times; tcp.stream and tcp.analysis.* as
//      necessary conditions): no bytes are read;
//   2. a summary dissection (what the packet list needs, no tree), read by filter/summary-fields;
//   3. a tree dissection and DisplayFilter.match, as before: always right, ten times the cost.
// A level answers only YES or NO when it is sure (filter/decide.ts), so the frames kept are the
// tree's. The scan is incremental: a live capture extends it as packets arrive.
import { collector } from '../dissect/app/collect'
import type { Dissection } from '../dissect'
import type { DisplayFilter } from '../filter'
import { buildDecider, NO, UNKNOWN, YES, type Decider, type Verdict } from '../filter/decide'
import { indexReader, type IndexFrame } from '../filter/index-fields'
import { collectedSource, countProtocols, needsTcpPayload, summaryHaystack, summaryReader, type SummaryFrame } from '../filter/summary-fields'
import type { RawFrame } from './decoding'
import { FrameList } from './frame-list'
import type { OpenCapture } from './open-capture'

/** Frames considered per step of the index level (then their undecided ones are read together). */
const CHUNK = 4096

export interface FilterScanOptions {
  /** Decide from the packet index where possible (default true). */
  index?: boolean
  /** Decide from summary dissections where possible (default true); false = every frame read gets a tree. */
  summary?: boolean
}

/** How many frames each level decided. */
export interface ScanLevels {
  index: number
  summary: number
  tree: number
}

export class FilterScan {
  /** Frame numbers that pass, ascending. */
  readonly matches = new FrameList()
  /** Frames 1..scanned have been decided. */
  scanned = 0
  readonly levels: ScanLevels = { index: 0, summary: 0, tree: 0 }
  private readonly byIndex: Decider<IndexFrame> | null
  private readonly bySummary: Decider<SummaryFrame> | null
  /** collector.want while summary dissections run (null: collect nothing). */
  private readonly want: ReadonlySet<string> | null
  /** The summary readers in use read nothing above TCP: skip TCP payloads. */
  readonly headersOnly: boolean
  private readonly verdicts = new Uint8Array(CHUNK)
  private readonly indexFrame: IndexFrame
  private readonly summaryFrame: SummaryFrame

  constructor(
    private readonly cap: OpenCapture,
    readonly filter: DisplayFilter,
    opts: FilterScanOptions = {}
  ) {
    this.byIndex = opts.index === false ? null : buildDecider(filter, indexReader)
    const read = new Set<string>()
    this.bySummary =
      opts.summary === false
        ? null
        : buildDecider(
            filter,
            (use) => {
              const r = summaryReader(use)
              if (r) read.add(use.name)
              return r
            },
            summaryHaystack
          )
    this.headersOnly = ![...read].some(needsTcpPayload)
    const want = new Set<string>()
    for (const name of read) {
      const source = collectedSource(name)
      if (source) want.add(source)
    }
    this.want = want.size > 0 ? want : null
    const pcapng = cap.format === 'pcapng'
    this.indexFrame = { no: 0, entry: undefined as unknown as IndexFrame['entry'], pcapng }
    this.summaryFrame = {
      no: 0,
      entry: undefined as unknown as IndexFrame['entry'],
      pcapng,
      data: new Uint8Array(0),
      comments: [],
      ctx: undefined as unknown as SummaryFrame['ctx'],
      streams: cap.decoder.streams,
      values: collector.values,
      nEth: 0,
      nIp: 0,
      nIpv6: 0,
      nTcp: 0,
      nUdp: 0
    }
  }

  /** True once every frame the capture has now is decided. */
  get done(): boolean {
    return this.scanned >= this.cap.packets
  }

  /**
   * Decides frames after `scanned` for about `budgetMs` (at least one chunk), synchronously:
   * the caller yields to the event loop between steps. Returns `done`.
   */
  step(budgetMs: number): boolean {
    const t0 = performance.now()
    while (this.scanned < this.cap.packets) {
      const from = this.scanned + 1
      const to = Math.min(this.cap.packets, this.scanned + CHUNK)
      this.chunk(from, to)
      this.scanned = to
      if (performance.now() - t0 >= budgetMs) break
    }
    return this.done
  }

  private chunk(from: number, to: number): void {
    const cap = this.cap
    const verdicts = this.verdicts
    const pending: number[] = []
    const byIndex = this.byIndex
    const idx = this.indexFrame
    for (let no = from; no <= to; no++) {
      let v: Verdict = UNKNOWN
      if (byIndex) {
        idx.no = no
        idx.entry = cap.index.get(no - 1)
        v = byIndex(idx)
        if (v !== UNKNOWN) this.levels.index++
      }
      verdicts[no - from] = v
      if (v === UNKNOWN) pending.push(no)
    }
    if (pending.length > 0) this.dissect(pending, from)
    const out = this.matches
    for (let i = 0; i <= to - from; i++) if (verdicts[i] === YES) out.push(from + i)
  }

  /** Reads the undecided frames and decides them from a summary dissection, else from a tree. */
  private dissect(nos: number[], from: number): void {
    const cap = this.cap
    const bySummary = this.bySummary
    const s = this.summaryFrame
    const prevWant = collector.want
    collector.want = this.want
    try {
      for (const f of cap.frames(nos)) {
        let v: Verdict = UNKNOWN
        if (bySummary) {
          collector.values.length = 0
          const d = this.headersOnly ? dissectHeaders(cap, f) : cap.decoder.dissect(f, false)
          s.no = f.number
          s.entry = f.entry
          s.data = f.data
          s.comments = f.comments
          s.ctx = d.ctx
          s.values = collector.values
          countProtocols(s, s.ctx.protocols)
          v = bySummary(s)
          if (v !== UNKNOWN) this.levels.summary++
        }
        if (v === UNKNOWN) {
          const d = cap.decoder.dissect(f, true)
          v = this.filter.match(d.tree, f.data) ? YES : NO
          this.levels.tree++
        }
        this.verdicts[f.number - from] = v
      }
    } finally {
      collector.want = prevWant
      collector.values.length = 0
    }
  }
}

/**
 * A summary dissection that stops at the TCP header: what the header readers need, without the
 * conversation lookup and application parsing of SessionDecoder.dissect.
 */
export function dissectHeaders(cap: OpenCapture, f: RawFrame): Dissection {
  return cap.decoder.dissectHeaders(f)
}
