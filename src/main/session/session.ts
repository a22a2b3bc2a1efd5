// The open capture as the renderer sees it: rows of the (filtered) packet list, details,
// streams, annotations, and the live capture that grows it. Every contract method that reads
// packets ends here; packet bytes are re-read from the file on demand.
import { existsSync, realpathSync, renameSync, rmSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type {
  EventPayloads,
  FileAnnotations,
  MethodResults,
  PacketDetails,
  PacketRow,
  StreamDetail
} from '../../shared/contract'
import { compileFilter, type DisplayFilter } from '../filter'
import type { EventBus } from '../rpc/events'
import { Throttle } from '../rpc/events'
import { UserError, type ParsedArgs } from '../rpc/router'
import { CaptureController, type ControllerStatus } from '../capture/controller'
import type { RawFrame } from './decoding'
import type { FrameList } from './frame-list'
import { FilterScan } from './filter-scan'
import { describeOpenError, OpenCapture } from './open-capture'
import { toTreeNodes } from './tree'
import { packetRow } from './rows'
import { streamDetail } from './stream-detail'
import { AnnotationStore } from './annotation-store'
import { writeAnnotatedCopy } from './save'
import { exportNote, ExportError } from '../export/note'
import type { NoteSource } from '../export/source'
import { packetCardSvg } from '../export/card'
import { svgToPngAsync } from '../export/png'
import { layoutDiagram } from '../../shared/diagram/layout'
import { diagramToSvg } from '../../shared/diagram/svg'
import { diagramToMermaid } from '../../shared/diagram/mermaid'

export interface SessionOptions {
  events: EventBus
  /** Capture controller (tests inject one with a custom spool dir or helper). */
  controller?: CaptureController
}

/** The streams list stops here; the filter `tcp.stream eq N` reaches every stream. */
const MAX_STREAMS_LISTED = 20_000

/** Packets indexed per slice before yielding to the event loop. */
const INDEX_SLICE = 32_768
/** Milliseconds of display-filter scanning between yields to the event loop. */
const FILTER_STEP_MS = 20

interface ViewState {
  text: string
  filter: DisplayFilter | null
  /** Frame numbers that pass the filter; null = every packet. */
  frames: FrameList | null
  /** Frames up to this number have been evaluated against the filter. */
  scanned: number
  /** The scan that fills `frames` (null without a filter). */
  scan: FilterScan | null
}

const here = fileURLToPath(new URL('.', import.meta.url))

function findSample(): string {
  const candidates = [
    process.env.WIRENOTE_SAMPLE,
    // Packaged app: electron-builder copies resources/sample to <resources>/sample.
    (process as { resourcesPath?: string }).resourcesPath ? join((process as { resourcesPath?: string }).resourcesPath!, 'sample/web-visit.pcapng') : undefined,
    resolve(here, '../../../resources/sample/web-visit.pcapng'),
    resolve(here, '../../resources/sample/web-visit.pcapng')
  ]
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? candidates[2]!
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r))

/** Same content, whatever the order of packets and keys (empty notes count as none). */
function sameAnnotations(a: FileAnnotations, b: FileAnnotations): boolean {
  const norm = (x: FileAnnotations): string =>
    JSON.stringify([
      x.title,
      x.intro,
      x.packets
        .filter((p) => p.note !== '' || p.step !== '' || p.highlights.length > 0)
        .sort((p, q) => p.no - q.no)
        .map((p) => [p.no, p.step, p.note, p.highlights.map((h) => [h.name, h.off, h.len])])
    ])
  return norm(a) === norm(b)
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return a === b
  }
}

export class Session {
  readonly capture: CaptureController
  readonly samplePath = findSample()
  private cap: OpenCapture | null = null
  private view: ViewState = { text: '', filter: null, frames: null, scanned: 0, scan: null }
  private readonly annotationStore = new AnnotationStore()
  /** Bumped by every open/close/filter so superseded async work stops. */
  private generation = 0
  private viewWork: Promise<void> | null = null
  private readonly viewChanged: Throttle<number>
  /** A rebuild happened since the last view.changed: the next one says `reset`. */
  private viewReset = false
  private readonly loadProgress: Throttle<MethodResults['file.open'] & { done: boolean }>
  private liveTimer: NodeJS.Timeout | null = null
  private readonly filterProgress: Throttle<EventPayloads['filter.progress']>
  private ownPort: number | null = null
  private unsavedNotes = false

  private readonly events: EventBus

  constructor(opts: SessionOptions) {
    this.events = opts.events
    this.capture = opts.controller ?? new CaptureController()
    this.viewChanged = new Throttle(100, (total) => {
      const reset = this.viewReset
      this.viewReset = false
      opts.events.emit('view.changed', reset ? { total, reset } : { total })
    })
    this.loadProgress = new Throttle(100, (p) => {
      const cap = this.cap
      opts.events.emit('load.progress', {
        path: p.path,
        bytesRead: cap?.bytesRead ?? 0,
        fileSize: cap?.fileSize ?? 0,
        packets: p.packets,
        done: p.done,
        ...(p.error ? { error: p.error } : {})
      })
    })
    this.filterProgress = new Throttle(100, (p) => opts.events.emit('filter.progress', p))
    this.capture.on('progress', (s: ControllerStatus) => opts.events.emit('capture.progress', s))
    this.capture.on('failed', (e) => opts.events.emit('error', { message: e.message }))
    this.capture.on('spool', () => this.pumpLive())
    this.capture.on('stopped', () => this.finishLive())
  }

  // ---- files ----------------------------------------------------------------------------

  async open(path: string): Promise<MethodResults['file.open']> {
    if (this.capture.running) throw new UserError('Stop the running capture before opening a file.')
    const abs = resolve(path)
    let cap: OpenCapture
    try {
      cap = new OpenCapture(abs)
    } catch (err) {
      throw new UserError(describeOpenError(abs, err))
    }
    const gen = this.replace(cap)
    while (!cap.done && gen === this.generation) {
      cap.pump(INDEX_SLICE)
      this.afterGrowth(cap, false)
      await yieldToLoop()
    }
    if (gen !== this.generation) throw new UserError(`Opening "${abs}" was cancelled by a newer request.`)
    this.annotationStore.load(cap.comments, cap.sectionComments)
    cap.comments.clear()
    cap.commentsFor = (no) => this.annotationStore.displayComments(no)
    for (const no of this.annotationStore.frames()) cap.setAnnotated(no, true)
    const result: MethodResults['file.open'] = { path: abs, packets: cap.packets }
    if (cap.error) result.error = { message: cap.error.message, offset: cap.error.offset }
    this.loadProgress.push({ ...result, done: true })
    this.loadProgress.flush()
    this.events.emit('file.opened', result)
    this.viewChanged.push(this.total())
    this.viewChanged.flush()
    return result
  }

  /** Makes `cap` the open capture, dropping the previous one and its view. */
  private replace(cap: OpenCapture): number {
    this.cap?.close()
    this.cap = cap
    this.view = { text: '', filter: null, frames: null, scanned: 0, scan: null }
    this.viewReset = true
    this.annotationStore.clear()
    this.unsavedNotes = false
    return ++this.generation
  }

  private afterGrowth(cap: OpenCapture, live: boolean): void {
    if (!live) this.loadProgress.push({ path: cap.path, packets: cap.packets, done: false })
    if (this.view.filter) this.kickViewScan()
    else this.viewChanged.push(cap.packets)
  }

  private requireCapture(): OpenCapture {
    if (!this.cap) throw new UserError('No capture is open.')
    return this.cap
  }

  current(): MethodResults['file.current'] {
    const cap = this.cap
    return { path: cap?.path ?? null, packets: cap?.packets ?? 0, filter: this.view.text, live: this.liveTimer !== null }
  }

  // ---- live capture ---------------------------------------------------------------------

  /**
   * Traffic of our own to leave out of loopback captures: the headless server's WebSocket on
   * lo would otherwise be captured, and each captured packet makes more UI traffic.
   */
  excludeOwnPort(port: number): void {
    this.ownPort = port
  }

  async startCapture(iface: string, filter: string): Promise<ControllerStatus> {
    if (this.capture.running) throw new UserError('A capture is already running.')
    const status = await this.capture.start({ iface, filter: this.withoutOwnTraffic(iface, filter) })
    try {
      const cap = new OpenCapture(status.spoolPath, { follow: true })
      this.replace(cap)
      this.pumpLive()
      // The helper announces growth, but a timer also catches the last flush before a crash.
      this.liveTimer = setInterval(() => this.pumpLive(), 200)
    } catch (err) {
      await this.capture.stop()
      throw new UserError(describeOpenError(status.spoolPath, err))
    }
    return status
  }

  async stopCapture(): Promise<ControllerStatus> {
    const status = await this.capture.stop()
    this.finishLive()
    return status
  }

  private withoutOwnTraffic(iface: string, filter: string): string {
    if (this.ownPort === null || !(iface === 'lo' || iface === 'any' || /^lo\d*$/.test(iface))) return filter
    const own = `not (tcp port ${this.ownPort} and host 127.0.0.1)`
    return filter.trim() ? `(${filter}) and ${own}` : own
  }

  private pumpLive(): void {
    const cap = this.cap
    // Paused: the helper keeps spooling to disk, the list stops growing until resume.
    if (!cap || !this.liveTimer || this.capture.paused) return
    let n = 0
    while (cap.pump(INDEX_SLICE) > 0 && n < 8) n++
    this.afterGrowth(cap, true)
  }

  private finishLive(): void {
    if (!this.liveTimer) return
    clearInterval(this.liveTimer)
    this.liveTimer = null
    const cap = this.cap
    if (!cap) return
    cap.stopFollowing()
    while (cap.pump(INDEX_SLICE) > 0) {
      // Drain what the helper flushed last.
    }
    this.afterGrowth(cap, true)
    this.viewChanged.flush()
  }

  // ---- the packet list ------------------------------------------------------------------

  private total(): number {
    const cap = this.cap
    if (!cap) return 0
    return this.view.frames ? this.view.frames.length : cap.packets
  }

  private frameAt(row: number): number {
    return this.view.frames ? this.view.frames.at(row) : row + 1
  }

  rows(start: number, count: number): MethodResults['view.rows'] {
    const cap = this.cap
    const total = this.total()
    if (!cap || start >= total) return { total, rows: [] }
    const end = Math.min(total, start + count)
    const nos: number[] = []
    for (let r = start; r < end; r++) nos.push(this.frameAt(r))
    const frames = cap.frames(nos)
    const first = cap.firstTime ?? 0
    let prev = start > 0 ? cap.index.time(this.frameAt(start - 1) - 1) : NaN
    const rows: PacketRow[] = frames.map((f) => {
      const row = this.row(f, first, prev)
      if (!Number.isNaN(row.abs)) prev = row.abs
      return row
    })
    return { total, rows }
  }

  private row(f: RawFrame, first: number, prev: number): PacketRow {
    return packetRow(this.requireCapture(), f, first, prev)
  }

  find(no: number): MethodResults['view.find'] {
    const cap = this.requireCapture()
    if (no > cap.packets) throw new UserError(`There is no packet ${no}: the capture has ${cap.packets}.`)
    if (!this.view.frames) return { index: no - 1 }
    const i = this.view.frames.indexOf(no)
    return { index: i >= 0 ? i : -1 }
  }

  details(no: number): PacketDetails {
    const cap = this.requireCapture()
    if (no > cap.packets) throw new UserError(`There is no packet ${no}: the capture has ${cap.packets}.`)
    const f = cap.frame(no)
    const d = cap.decoder.dissect(f, true)
    return { no, tree: toTreeNodes(d.tree), bytes: Buffer.from(f.data).toString('base64') }
  }

  // ---- display filter -------------------------------------------------------------------

  checkFilter(text: string): MethodResults['filter.check'] {
    const compiled = compileFilter(text)
    return compiled.ok ? { ok: true } : { ok: false, error: { message: compiled.error.message, pos: compiled.error.pos, end: compiled.error.end } }
  }

  async filter(text: string): Promise<MethodResults['view.filter']> {
    const compiled = compileFilter(text)
    if (!compiled.ok) return { ok: false, error: { message: compiled.error.message, pos: compiled.error.pos, end: compiled.error.end } }
    const cap = this.requireCapture()
    const gen = ++this.generation
    const blank = compiled.filter.text === ''
    const scan = blank ? null : new FilterScan(cap, compiled.filter)
    const next: ViewState = {
      text: compiled.filter.text,
      filter: blank ? null : compiled.filter,
      frames: scan ? scan.matches : null,
      scanned: blank ? cap.packets : 0,
      scan
    }
    if (!blank) {
      // The old view stays on screen until the new one is complete; progress says how far.
      await this.scan(cap, next, gen, (done) =>
        this.filterProgress.push({ text: next.text, scanned: next.scanned, total: cap.packets, matched: next.frames!.length, done })
      )
      this.filterProgress.flush()
      if (gen !== this.generation) return { ok: true, total: next.frames!.length }
    }
    this.view = next
    this.viewReset = true
    this.viewChanged.push(this.total())
    this.viewChanged.flush()
    return { ok: true, total: this.total() }
  }

  /** Evaluates the view's filter on frames it has not seen yet, in steps between which the event loop runs. */
  private async scan(cap: OpenCapture, view: ViewState, gen: number, progress?: (done: boolean) => void): Promise<void> {
    const scan = view.scan!
    while (!scan.done && gen === this.generation && this.cap === cap) {
      scan.step(FILTER_STEP_MS)
      view.scanned = scan.scanned
      progress?.(scan.done)
      await yieldToLoop()
    }
  }

  /** New packets arrived under an active filter: evaluate them, one scan at a time. */
  private kickViewScan(): void {
    if (this.viewWork || !this.cap || !this.view.filter) return
    const cap = this.cap
    const view = this.view
    const gen = this.generation
    this.viewWork = this.scan(cap, view, gen).finally(() => {
      this.viewWork = null
      if (this.view === view) this.viewChanged.push(this.total())
    })
  }

  // ---- streams --------------------------------------------------------------------------

  streams(): MethodResults['streams.list'] {
    const cap = this.requireCapture()
    return { streams: cap.decoder.streamSummaries(MAX_STREAMS_LISTED), total: cap.decoder.streams.count }
  }

  /** The segments of one TCP stream with raw and relative numbers (diagram, note export). */
  streamPackets(stream: number, limit: number): StreamDetail {
    return streamDetail(this.requireCapture(), stream, limit)
  }

  // ---- annotations ----------------------------------------------------------------------

  annotations(): MethodResults['annotations.get'] {
    return { ...this.annotationStore.get(), unsaved: this.notesUnsaved }
  }

  /** Annotations were edited since the capture was opened or saved. */
  get notesUnsaved(): boolean {
    return this.unsavedNotes
  }

  setAnnotations(a: ParsedArgs<'annotations.set'>): { ok: true } {
    const cap = this.requireCapture()
    for (const p of a.packets) {
      if (p.no > cap.packets) throw new UserError(`Cannot annotate packet ${p.no}: the capture has ${cap.packets}.`)
    }
    const before = new Set(this.annotationStore.frames())
    if (!sameAnnotations(this.annotationStore.get(), a)) this.unsavedNotes = true
    this.annotationStore.set(a)
    const after = new Set(this.annotationStore.frames())
    for (const no of before) if (!after.has(no)) cap.setAnnotated(no, false)
    for (const no of after) if (!before.has(no)) cap.setAnnotated(no, true)
    this.viewChanged.push(this.total())
    return { ok: true }
  }

  /**
   * Writes the capture as pcapng with the annotations as packet comments (Wireshark shows the
   * note; Wirenote reads everything back), then makes the saved file the open one, as "Save
   * As" does in Wireshark. Saving over the open file goes through a temporary file.
   */
  async save(path: string, overwrite = false): Promise<MethodResults['file.save']> {
    const cap = this.requireCapture()
    if (this.capture.running) throw new UserError('Stop the capture before saving it.')
    const target = resolve(path)
    const same = sameFile(target, cap.path)
    if (!overwrite && existsSync(target)) throw new UserError(`"${target}" already exists.`, 'exists')
    const out = same ? `${target}.wirenote-${process.pid}.tmp` : target
    try {
      await writeAnnotatedCopy(cap, this.annotationStore, out, () => this.cap === cap)
      if (same) renameSync(out, target)
    } catch (err) {
      if (same) rmSync(out, { force: true })
      throw err instanceof UserError ? err : new UserError(`Cannot save "${target}": ${err instanceof Error ? err.message : String(err)}`)
    }
    await this.open(target)
    return { path: target }
  }

  // ---- export ---------------------------------------------------------------------------

  private noteSource(cap: OpenCapture): NoteSource {
    return {
      fileName: basename(cap.path),
      streamDetail: (s) => this.streamPackets(s, 100_000),
      packetDetails: (no) => this.details(no),
      packetSummary: (no) => this.rowOf(no).info,
      annotations: () => this.annotations()
    }
  }

  private rowOf(no: number): PacketRow {
    const cap = this.requireCapture()
    const prev = no > 1 ? cap.index.time(no - 2) : NaN
    return this.row(cap.frame(no), cap.firstTime ?? 0, prev)
  }

  async exportNote(a: ParsedArgs<'export.note'>): Promise<MethodResults['export.note']> {
    const cap = this.requireCapture()
    try {
      return await exportNote(this.noteSource(cap), a)
    } catch (err) {
      if (err instanceof ExportError) throw new UserError(`Cannot export the note: ${err.message}`)
      throw err
    }
  }

  diagram(a: ParsedArgs<'diagram.stream'>): MethodResults['diagram.stream'] {
    this.requireCapture()
    const layout = layoutDiagram(this.streamPackets(a.stream, 10_000), { seqFormat: a.seqFormat, wholeStream: a.wholeStream, textbook: a.textbook, lang: a.lang })
    return { layout, svg: diagramToSvg(layout, a.theme), mermaid: diagramToMermaid(layout) }
  }

  async card(a: ParsedArgs<'packet.card'>): Promise<MethodResults['packet.card']> {
    const details = this.details(a.no)
    const card = packetCardSvg({ details, annotation: this.annotationStore.of(a.no) ?? null, summary: this.rowOf(a.no).info, theme: a.theme, lang: a.lang })
    const png = await svgToPngAsync(card.svg, { scale: 2 })
    return { svg: card.svg, png: Buffer.from(png.png).toString('base64'), width: card.width, height: card.height }
  }

  async close(): Promise<void> {
    if (this.capture.running) await this.capture.stop()
    if (this.liveTimer) clearInterval(this.liveTimer)
    this.liveTimer = null
    this.generation++
    this.cap?.close()
    this.cap = null
  }
}
