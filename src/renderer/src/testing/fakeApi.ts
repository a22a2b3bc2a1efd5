// A WirenoteApi that serves generated traffic (tests and UI development only: production
// code never imports this). Views are arithmetic over the 12-frame pattern, so a filter on
// 5 million packets is instant and `view.rows` computes rows on the fly.
import { parseFilter, type Expr, type Operand } from '../../../shared/filter'
import type {
  CaptureStatus,
  ContractError,
  EventName,
  EventPayloads,
  FileAnnotations,
  LoadProgress,
  MethodArgs,
  MethodName,
  MethodResults,
  WirenoteApi
} from '../../../shared/contract'
import { layoutDiagram } from '../../../shared/diagram/layout'
import { diagramToSvg } from '../../../shared/diagram/svg'
import { diagramToMermaid } from '../../../shared/diagram/mermaid'
import { KINDS, PERIOD, details, frame, row, streamPackets, streamSummary, type Kind } from './fakePackets'

/** A filtered view: the positions (within the 12-frame group) it keeps, and a group range. */
interface View {
  positions: number[]
  g0: number
  g1: number
}

export interface FakeOptions {
  /** Packets in the "file" opened at start (0 = nothing open). */
  packets?: number
  /** Streams returned by streams.list at most (a real capture has as many as it has). */
  maxStreams?: number
  /** Delay before each reply, ms (0 = next microtask). */
  latency?: number
  /** Emit load.progress steps when opening (UI development). */
  progressSteps?: number
  /** Streams the capture has in all (streams.list's `total`); default: as many as listed. */
  streamsTotal?: number
  /** The writable folder app.info suggests for saves and exports. */
  documents?: string
}

/** A contract error as both transports deliver it: a message and a stable `code`. */
export class FakeRpcError extends Error {
  constructor(
    message: string,
    readonly code: ContractError['code']
  ) {
    super(message)
    this.name = 'RpcError'
  }
}

const ALL = KINDS.map((_, i) => i)
const TCP = ALL.filter((i) => i >= 2)
const pick = (...k: Kind[]) => k.map((x) => KINDS.indexOf(x))

/** The fake's field registry: protocols, and fields by name (what the main side resolves). */
const PROTOCOLS = new Set(['frame', 'eth', 'arp', 'ip', 'ipv6', 'icmp', 'icmpv6', 'tcp', 'udp', 'dns', 'http', 'tls', 'data'])
const FIELDS = new Set([
  'frame.number', 'frame.len', 'frame.time_epoch', 'frame.protocols', 'frame.comment',
  'eth.src', 'eth.dst', 'eth.addr', 'eth.type',
  'ip.src', 'ip.dst', 'ip.addr', 'ip.version', 'ip.hdr_len', 'ip.len', 'ip.id', 'ip.flags', 'ip.ttl', 'ip.proto', 'ip.checksum',
  'ipv6.src', 'ipv6.dst', 'ipv6.addr',
  'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.stream', 'tcp.len', 'tcp.seq', 'tcp.seq_raw', 'tcp.ack', 'tcp.ack_raw', 'tcp.hdr_len',
  'tcp.flags', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.flags.fin', 'tcp.flags.reset', 'tcp.flags.push', 'tcp.window_size_value',
  'tcp.checksum', 'tcp.urgent_pointer', 'tcp.options', 'tcp.analysis', 'tcp.analysis.flags', 'tcp.analysis.retransmission',
  'udp.srcport', 'udp.dstport', 'udp.port', 'udp.length',
  'dns.id', 'dns.qry.name', 'http.host', 'http.request.method', 'http.response.code', 'tls.handshake.extensions_server_name'
])

/** The first operand where the filter needs a field and names none the fake knows, like the main side's check. */
function unknownField(e: Expr): { message: string; pos: number; end: number } | null {
  const fieldLike = (o: Operand): { message: string; pos: number; end: number } | null => {
    if (o.kind === 'slice') return fieldLike(o.operand)
    if (o.kind === 'call') return o.args.map(fieldLike).find((x) => x) ?? null
    if (o.kind === 'bitand') return fieldLike(o.left)
    if (o.kind !== 'word' || PROTOCOLS.has(o.text) || FIELDS.has(o.text)) return null
    return { message: `${o.text} is neither a field nor a protocol name.`, pos: o.span.start, end: o.span.end }
  }
  switch (e.kind) {
    case 'and':
    case 'or':
      return unknownField(e.left) ?? unknownField(e.right)
    case 'not':
      return unknownField(e.expr)
    case 'test':
      return fieldLike(e.operand)
    case 'compare':
    case 'in':
      return fieldLike(e.left)
  }
}

export class FakeApi implements WirenoteApi {
  total: number
  path: string
  view: View
  filterText = ''
  annotations: FileAnnotations = { title: '', intro: '', packets: [] }
  /** Notes edited since the file was opened or saved (annotations.get's `unsaved`). */
  unsaved = false
  /** Paths file.save must not replace without `overwrite` (files that "exist"). */
  existing = new Set<string>()
  /** When set, file.save fails with this message (a folder without write access). */
  failSave = ''
  /** Every invoke, for assertions. */
  calls: { method: MethodName; args: unknown }[] = []
  loadError: { message: string; offset: number } | undefined
  recent: string[] = ['/captures/web-visit.pcapng', '/captures/big-5M.pcapng']
  private readonly listeners = new Map<EventName, Set<(p: never) => void>>()
  private capture: CaptureStatus = { running: false, paused: false, iface: '', filter: '', packets: 0, bytes: 0, rate: 0, rss: 80 << 20, spoolPath: '', dropsNote: 'cap exposes no kernel drop counter' }
  private captureTimer: ReturnType<typeof setInterval> | null = null

  constructor(private readonly opts: FakeOptions = {}) {
    this.total = opts.packets ?? 5_000_000
    this.path = this.total ? '/captures/big-5M.pcapng' : ''
    this.view = this.fullView()
  }

  private fullView(): View {
    return { positions: ALL, g0: 0, g1: Math.ceil(this.total / PERIOD) }
  }

  /** Number of rows in a view, given the frames that exist. */
  viewTotal(v: View = this.view): number {
    const fullGroups = Math.floor(this.total / PERIOD)
    const rem = this.total % PERIOD
    const g1full = Math.min(v.g1, fullGroups)
    let n = Math.max(0, g1full - v.g0) * v.positions.length
    if (rem && v.g0 <= fullGroups && v.g1 > fullGroups) n += v.positions.filter((p) => p < rem).length
    return n
  }

  /** Frame number at view index i. */
  frameAt(i: number, v: View = this.view): number {
    const k = v.positions.length
    const g = v.g0 + Math.floor(i / k)
    return g * PERIOD + v.positions[i % k] + 1
  }

  indexOf(no: number, v: View = this.view): number {
    if (no < 1 || no > this.total) return -1
    const g = Math.floor((no - 1) / PERIOD)
    const p = v.positions.indexOf((no - 1) % PERIOD)
    if (p < 0 || g < v.g0 || g >= v.g1) return -1
    return (g - v.g0) * v.positions.length + p
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: EventPayloads[E]) => void)(payload)
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    let s = this.listeners.get(event)
    if (!s) this.listeners.set(event, (s = new Set()))
    s.add(listener as (p: never) => void)
    return () => s.delete(listener as (p: never) => void)
  }

  async invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResults[M]> {
    this.calls.push({ method, args })
    if (this.opts.latency) await new Promise((r) => setTimeout(r, this.opts.latency))
    else await Promise.resolve()
    return this.handle(method, args as never) as MethodResults[M]
  }

  /** What `filter.check` says: syntax, then field names against the fake's registry. */
  checkFilter(text: string): MethodResults['filter.check'] {
    const parsed = parseFilter(text)
    if (!parsed.ok) return { ok: false, error: parsed.error }
    const bad = parsed.ast ? unknownField(parsed.ast) : null
    return bad ? { ok: false, error: bad } : { ok: true }
  }

  private compileFilter(text: string): { ok: true; view: View } | { ok: false; error: { message: string; pos: number; end?: number } } {
    const t = text.trim()
    if (!t) return { ok: true, view: this.fullView() }
    const parsed = parseFilter(t)
    if (!parsed.ok) return { ok: false, error: { message: parsed.error.message, pos: parsed.error.pos } }
    const lead = text.length - text.trimStart().length
    const checked = this.checkFilter(text)
    if (!checked.ok) return checked
    const all = { g0: 0, g1: Math.ceil(this.total / PERIOD) }
    const m = /^tcp\.stream\s*(?:eq|==)\s*(\d+)$/.exec(t)
    if (m) {
      const g = Number(m[1])
      return { ok: true, view: { positions: TCP, g0: g, g1: Math.min(all.g1, g + 1) } }
    }
    const simple: Record<string, number[]> = {
      tcp: TCP,
      udp: pick('dns-q', 'dns-r'),
      dns: pick('dns-q', 'dns-r'),
      http: pick('get', 'ok'),
      'tcp.flags.syn == 1': pick('syn', 'synack'),
      'tcp.flags.fin == 1': pick('fin-c', 'fin-s'),
      'tcp.len > 0': pick('get', 'ok'),
      'ip.addr == 93.184.216.34': TCP
    }
    const positions = simple[t]
    if (positions) return { ok: true, view: { positions, ...all } }
    // A filter the fake cannot evaluate: blame its first word, as an unknown field would be.
    const word = /^[A-Za-z_][\w.]*/.exec(t)?.[0] ?? t
    return { ok: false, error: { message: `"${word}" is neither a field nor a protocol name.`, pos: lead, end: lead + word.length } }
  }

  private open(path: string, packets: number, error?: { message: string; offset: number }): void {
    this.path = path
    this.total = packets
    this.filterText = ''
    this.view = this.fullView()
    this.loadError = error
    this.annotations = { title: '', intro: '', packets: [] }
    this.unsaved = false
    this.recent = [path, ...this.recent.filter((p) => p !== path)].slice(0, 10)
    const steps = this.opts.progressSteps ?? 0
    for (let i = 1; i <= steps; i++) {
      const p: LoadProgress = { path, bytesRead: Math.round((packets * 100 * i) / steps), fileSize: packets * 100, packets: Math.round((packets * i) / steps), done: i === steps }
      if (i === steps && error) p.error = error
      this.emit('load.progress', p)
    }
  }

  private handle(method: MethodName, a: never): unknown {
    const args = a as Record<string, unknown>
    switch (method) {
      case 'app.info':
        return { version: '0.0.0-fake', mode: 'headless', platform: 'fake', sample: '/fake/sample.pcapng', documents: this.opts.documents ?? '/home/user/Documents' }
      case 'file.open': {
        const p = String(args.path)
        if (p.includes('missing')) throw new Error(`ENOENT: no such file or directory, open '${p}'`)
        if (p.includes('cut')) {
          this.open(p, 1000, { message: 'the file appears to have been cut short in the middle of a packet', offset: 98765 })
          return { path: p, packets: 1000, error: this.loadError }
        }
        const n = /(\d+)k/.exec(p) ? Number(/(\d+)k/.exec(p)![1]) * 1000 : p.includes('5M') ? 5_000_000 : 120
        this.open(p, n)
        return { path: p, packets: n }
      }
      case 'file.openSample':
        this.open('/fake/sample.pcapng', 120)
        return { path: this.path, packets: 120 }
      case 'file.current':
        return { path: this.path || null, packets: this.total, filter: this.filterText, live: this.capture.running }
      case 'file.recent':
        return { paths: this.recent }
      case 'file.save': {
        const target = String(args.path)
        if (this.failSave) throw new FakeRpcError(this.failSave, 'failed')
        if (!args.overwrite && (this.existing.has(target) || target === this.path)) throw new FakeRpcError(`"${target}" already exists.`, 'exists')
        // As the session does: the saved file (notes inside) becomes the open capture, unfiltered.
        const kept = this.annotations
        this.open(target, this.total)
        this.existing.add(target)
        this.annotations = kept
        this.unsaved = false
        this.emit('file.opened', { path: this.path, packets: this.total })
        this.emit('view.changed', { total: this.total, reset: true })
        return { path: this.path }
      }
      case 'capture.interfaces':
        return {
          interfaces: [
            { name: 'lo', description: 'Loopback', addresses: ['127.0.0.1', '::1'], loopback: true },
            { name: 'eth0', description: 'Ethernet', addresses: ['192.168.0.10'], loopback: false }
          ]
        }
      case 'capture.start':
        return this.startCapture(String(args.iface), String(args.filter ?? ''))
      case 'capture.stop':
        if (this.captureTimer) clearInterval(this.captureTimer)
        this.captureTimer = null
        this.capture = { ...this.capture, running: false, rate: 0 }
        this.emit('capture.progress', this.capture)
        return this.capture
      case 'capture.pause':
        this.capture = { ...this.capture, paused: true }
        return this.capture
      case 'capture.resume':
        this.capture = { ...this.capture, paused: false }
        this.emit('view.changed', { total: this.viewTotal() })
        return this.capture
      case 'capture.status':
        return this.capture
      case 'packet.card': {
        const no = Number(args.no)
        const d = details(no)
        const note = this.annotations.packets.find((p) => p.no === no)
        const lines = [`Packet ${no}`, ...(note ? [note.step, note.note] : []), ...d.tree.map((n) => n.label)]
        const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
        const height = 20 + lines.length * 18
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="${height}"><rect width="700" height="${height}" fill="${args.theme === 'dark' ? '#0d1117' : '#fff'}"/>${lines
          .map((l, i) => `<text x="10" y="${24 + i * 18}" font-family="monospace" font-size="13" fill="${args.theme === 'dark' ? '#e6edf3' : '#1f2328'}">${esc(l)}</text>`)
          .join('')}</svg>`
        // A 1×1 PNG stands in for the main side's resvg rendering.
        const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
        return { svg, png, width: 700, height }
      }
      case 'view.rows': {
        const total = this.viewTotal()
        const start = Number(args.start)
        const end = Math.min(total, start + Number(args.count))
        const rows = []
        const ann = new Set(this.annotations.packets.map((p) => p.no))
        for (let i = start; i < end; i++) {
          const no = this.frameAt(i)
          rows.push(row(no, i > 0 ? this.frameAt(i - 1) : null, ann.has(no)))
        }
        return { total, rows }
      }
      case 'filter.check':
        return this.checkFilter(String(args.text))
      case 'view.filter': {
        const r = this.compileFilter(String(args.text))
        if (!r.ok) return r
        this.view = r.view
        this.filterText = String(args.text)
        return { ok: true, total: this.viewTotal() }
      }
      case 'view.find':
        return { index: this.indexOf(Number(args.no)) }
      case 'packet.details': {
        const no = Number(args.no)
        if (no < 1 || no > this.total) throw new Error(`no packet ${no}`)
        const d = details(no)
        let bin = ''
        for (const x of d.bytes) bin += String.fromCharCode(x)
        return { no, tree: d.tree, bytes: btoa(bin) }
      }
      case 'streams.list': {
        const groups = Math.ceil(this.total / PERIOD)
        const n = Math.min(groups, this.opts.maxStreams ?? 5000)
        const streams = []
        for (let g = 0; g < n; g++) if (g * PERIOD + 3 <= this.total) streams.push(streamSummary(g, this.total))
        return { streams, total: Math.max(streams.length, this.opts.streamsTotal ?? 0) }
      }
      case 'stream.packets':
        return this.streamDetail(Number(args.stream))
      case 'diagram.stream': {
        const d = this.streamDetail(Number(args.stream))
        const layout = layoutDiagram(d, {
          seqFormat: (args.seqFormat as 'hex' | 'dec' | 'relative') ?? 'hex',
          wholeStream: !!args.wholeStream,
          textbook: !!args.textbook,
          lang: args.lang === 'zh-CN' ? 'zh-CN' : 'en'
        })
        return { layout, svg: diagramToSvg(layout, args.theme === 'dark' ? 'dark' : 'light'), mermaid: diagramToMermaid(layout) }
      }
      case 'annotations.get':
        return { ...structuredClone(this.annotations), unsaved: this.unsaved }
      case 'annotations.set': {
        const next = structuredClone(args as unknown as FileAnnotations)
        if (JSON.stringify(next) !== JSON.stringify(this.annotations)) this.unsaved = true
        this.annotations = next
        return { ok: true }
      }
      case 'export.note': {
        const dir = String(args.outDir)
        return { dir, files: [`${dir}/note.md`, `${dir}/assets/handshake.png`, `${dir}/assets/handshake.svg`, ...this.annotations.packets.map((p) => `${dir}/assets/packet-${p.no}.png`)] }
      }
    }
    throw new Error(`fake: ${method} not implemented`)
  }

  private streamDetail(g: number): MethodResults['stream.packets'] {
    if (g * PERIOD + 3 > this.total) throw new Error(`no TCP stream ${g}`)
    const f = frame(g * PERIOD + 3)
    return {
      stream: g,
      client: { addr: f.src, port: f.sport },
      server: { addr: f.dst, port: f.dport },
      handshake: 'complete',
      packets: streamPackets(g, this.total),
      truncated: false
    }
  }

  private startCapture(iface: string, filter: string): CaptureStatus {
    this.open(`/tmp/wirenote-capture-${iface}.pcapng`, 0)
    this.capture = { ...this.capture, running: true, iface, filter, packets: 0, bytes: 0, rate: 0, spoolPath: this.path }
    this.captureTimer = setInterval(() => {
      if (!this.capture.paused) this.grow(37)
    }, 200)
    return this.capture
  }

  /** Live capture: `add` packets arrive (the timer calls this; tests call it directly). */
  grow(add: number): void {
    this.total += add
    this.view = this.fullView()
    this.capture = { ...this.capture, packets: this.total, bytes: this.total * 120, rate: add * 5, rss: (80 << 20) + this.total * 64 }
    this.emit('view.changed', { total: this.viewTotal() })
    this.emit('capture.progress', this.capture)
  }

  dispose(): void {
    if (this.captureTimer) clearInterval(this.captureTimer)
  }
}
