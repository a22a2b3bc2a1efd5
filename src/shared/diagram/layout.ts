// The one layout model of a TCP stream sequence diagram. Pure data (positions, texts already
// split into font runs, semantic classes); the renderer's Vue SVG, the exported SVG/PNG and the
// Mermaid text are all drawn from it, so they cannot disagree.
import type { StreamDetail, StreamPacket } from '../contract'
import { formatEndpoint, formatRaw, formatRelTime, segmentLabel, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type SeqFormat } from './format'
import { handshakePackets } from './checks'
import { DIAGRAM_STRINGS, type Lang } from './i18n'
import { displayText, measureEm, round, splitRuns, type TextRun } from './text'

export type { SeqFormat } from './format'
export type { Lang } from './i18n'
export type { TextRun, FontClass } from './text'

export interface LayoutOptions {
  seqFormat: SeqFormat
  /** false: the handshake only (and SYN retransmissions); true: every packet of the stream. */
  wholeStream: boolean
  /** Also label the handshake with symbols (Seq=x; Seq=y, Ack=x+1; Seq=x+1, Ack=y+1). */
  textbook: boolean
  lang: Lang
  /** At most this many arrows (default 300); beyond that the layout says it is cut. */
  maxPackets?: number
}

export type TextClass = 'title' | 'lane-role' | 'lane-addr' | 'time-header' | 'time' | 'frame' | 'label' | 'symbol' | 'mark' | 'badge' | 'legend' | 'notice'

export interface DiagramText {
  /** Anchor point: x is where `anchor` says, y is the baseline. */
  x: number
  y: number
  anchor: 'start' | 'middle' | 'end'
  cls: TextClass
  /** Font size in px. */
  size: number
  /** The text as shown (already made displayable: no controls, no bidi overrides). */
  text: string
  width: number
  /** The text split into runs of one font each, with absolute left edges. Draw these. */
  runs: TextRun[]
}

export interface Point {
  x: number
  y: number
}

export interface DiagramLane {
  role: 'client' | 'server'
  /** "192.168.1.2:49486", "[2001:db8::1]:443". */
  endpoint: string
  /** x of the lifeline. */
  x: number
  box: { x: number; y: number; width: number; height: number }
  roleText: DiagramText
  addrText: DiagramText
  lifeline: { y1: number; y2: number }
}

export type ArrowKind = 'syn' | 'syn-ack' | 'fin' | 'rst' | 'data' | 'ack'
export type ArrowMark = 'retransmission' | 'dup-ack'

export interface DiagramArrow {
  /** frame.number of the packet. */
  no: number
  fromClient: boolean
  kind: ArrowKind
  /** 1, 2, 3 for the handshake packets, 0 otherwise. */
  step: 0 | 1 | 2 | 3
  marks: ArrowMark[]
  /** Semantic classes to style by, e.g. ["arrow", "syn", "handshake"] or ["arrow", "data", "retransmission"]. */
  classes: string[]
  /** The line from the sending lifeline to the base of the head, and the head's triangle (tip first). */
  shaft: { x1: number; y1: number; x2: number; y2: number }
  head: [Point, Point, Point]
  /** "[SYN, ACK] Seq=0x91f8c7d8 Ack=0xeed8a995", centred above the arrow. */
  label: DiagramText
  /** Textbook mode, handshake packets: "Seq=y, Ack=x+1" under the arrow. */
  symbol?: DiagramText
  /** "retransmission" / "duplicate ACK" under the arrow. */
  markText?: DiagramText
  /** Relative time in seconds and frame number, in the left column. */
  time: DiagramText
  frame: DiagramText
  /** The step number in a circle beside the sending lifeline. */
  badge?: { cx: number; cy: number; r: number; text: DiagramText }
}

export interface DiagramLayout {
  version: 1
  stream: number
  width: number
  height: number
  options: Required<LayoutOptions>
  title: DiagramText
  timeHeader: DiagramText
  lanes: [DiagramLane, DiagramLane]
  arrows: DiagramArrow[]
  /** Lines under the arrows: textbook legend (x = ..., y = ...), cut or empty-stream notices. */
  legend: DiagramText[]
}

const PAD = 16
const TITLE_SIZE = 15
const ROLE_SIZE = 13
const ADDR_SIZE = 12
const LABEL_SIZE = 13
const SMALL_SIZE = 11
const BELOW_SIZE = 12
const BADGE_R = 9
const HEAD_LEN = 9
const HEAD_HALF = 4.5
/** The arrow goes down this much: a segment takes time to arrive. */
const SLANT = 12
const MIN_SPAN = 320

function text(s: string, x: number, y: number, anchor: DiagramText['anchor'], size: number, cls: TextClass): DiagramText {
  const shown = displayText(s)
  const width = round(measureEm(shown) * size)
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width
  return { x: round(x), y: round(y), anchor, cls, size, text: shown, width, runs: splitRuns(shown, left, size) }
}

/** Moves a text (and its runs) to a new anchor point. */
function place(t: DiagramText, x: number, y: number): DiagramText {
  const dx = round(x - t.x)
  return { ...t, x: round(x), y: round(y), runs: t.runs.map((r) => ({ ...r, x: round(r.x + dx) })) }
}

function kindOf(p: StreamPacket): ArrowKind {
  if (p.flags & TCP_RST) return 'rst'
  if (p.flags & TCP_SYN) return p.flags & TCP_ACK ? 'syn-ack' : 'syn'
  if (p.flags & TCP_FIN) return 'fin'
  return p.len > 0 ? 'data' : 'ack'
}

const SYMBOLS: Record<1 | 2 | 3, string> = { 1: 'Seq=x', 2: 'Seq=y, Ack=x+1', 3: 'Seq=x+1, Ack=y+1' }

/** Which packets the diagram shows. */
export function diagramPackets(d: StreamDetail, wholeStream: boolean): StreamPacket[] {
  if (wholeStream) return d.packets
  // The handshake, and any SYN / SYN-ACK retransmitted during it.
  return d.packets.filter((p) => p.handshakeStep !== 0 || (p.retransmission && (p.flags & TCP_SYN) !== 0))
}

export function layoutDiagram(d: StreamDetail, opts: LayoutOptions): DiagramLayout {
  const options: Required<LayoutOptions> = { maxPackets: 300, ...opts }
  const t = DIAGRAM_STRINGS[options.lang]
  const all = diagramPackets(d, options.wholeStream)
  const shown = all.slice(0, options.maxPackets)

  // Texts first (at x = 0) to size the columns, then place them.
  const rows = shown.map((p) => {
    const marks: ArrowMark[] = []
    if (p.retransmission) marks.push('retransmission')
    if (p.dupAck) marks.push('dup-ack')
    const below: DiagramText[] = []
    const symbol = options.textbook && p.handshakeStep !== 0 ? text(SYMBOLS[p.handshakeStep], 0, 0, 'middle', BELOW_SIZE, 'symbol') : undefined
    if (symbol) below.push(symbol)
    const markText = marks.length
      ? text(marks.map((m) => (m === 'retransmission' ? t.retransmission : t.dupAck)).join(', '), 0, 0, 'middle', BELOW_SIZE, 'mark')
      : undefined
    if (markText) below.push(markText)
    return {
      p,
      marks,
      label: text(segmentLabel(p, options.seqFormat), 0, 0, 'middle', LABEL_SIZE, 'label'),
      symbol,
      markText,
      below,
      time: text(formatRelTime(p.rel), 0, 0, 'start', LABEL_SIZE, 'time'),
      frame: text(t.frame(p.no), 0, 0, 'start', SMALL_SIZE, 'frame')
    }
  })

  const title = text(options.wholeStream ? t.titleStream(d.stream) : t.titleHandshake(d.stream), PAD, PAD + TITLE_SIZE, 'start', TITLE_SIZE, 'title')
  const timeHeaderProto = text(t.time, 0, 0, 'start', SMALL_SIZE, 'time-header')
  const timeW = Math.max(timeHeaderProto.width, ...rows.map((r) => Math.max(r.time.width, r.frame.width)), 0)
  const timeRight = PAD + timeW

  const endpoints = [formatEndpoint(d.client), formatEndpoint(d.server)] as const
  const roleProto = [text(t.client, 0, 0, 'middle', ROLE_SIZE, 'lane-role'), text(t.server, 0, 0, 'middle', ROLE_SIZE, 'lane-role')]
  const addrProto = [text(endpoints[0], 0, 0, 'middle', ADDR_SIZE, 'lane-addr'), text(endpoints[1], 0, 0, 'middle', ADDR_SIZE, 'lane-addr')]
  const boxW = [0, 1].map((i) => round(Math.max(roleProto[i]!.width, addrProto[i]!.width) + 24))
  const boxH = 44

  const widest = Math.max(0, ...rows.map((r) => Math.max(r.label.width, ...r.below.map((b) => b.width))))
  const span = Math.ceil(Math.max(MIN_SPAN, widest + 48, boxW[0]! / 2 + boxW[1]! / 2 + 40))
  // Room for the time column and the step badge left of the client lifeline.
  const clientX = Math.ceil(Math.max(timeRight + 12 + boxW[0]! / 2, timeRight + 16 + 2 * BADGE_R + 12))
  const serverX = clientX + span

  const boxTop = PAD + TITLE_SIZE + 14
  const lanesTop = boxTop + boxH
  let y = lanesTop + 12

  const arrows: DiagramArrow[] = rows.map((r) => {
    const { p } = r
    const top = y
    const fromX = p.fromClient ? clientX : serverX
    const toX = p.fromClient ? serverX : clientX
    const dir = p.fromClient ? 1 : -1
    const y1 = top + 22
    const y2 = y1 + SLANT
    const midX = (clientX + serverX) / 2
    const midY = (y1 + y2) / 2
    // Head along the arrow's own direction.
    const len = Math.hypot(toX - fromX, y2 - y1)
    const ux = (toX - fromX) / len
    const uy = (y2 - y1) / len
    const bx = toX - ux * HEAD_LEN
    const by = y2 - uy * HEAD_LEN
    const head: [Point, Point, Point] = [
      { x: round(toX), y: round(y2) },
      { x: round(bx - uy * HEAD_HALF), y: round(by + ux * HEAD_HALF) },
      { x: round(bx + uy * HEAD_HALF), y: round(by - ux * HEAD_HALF) }
    ]
    let belowY = midY + 19
    const placeBelow = (tx: DiagramText | undefined) => {
      if (!tx) return undefined
      const placed = place(tx, midX, belowY)
      belowY += 17
      return placed
    }
    const symbol = placeBelow(r.symbol)
    const markText = placeBelow(r.markText)
    const kind = kindOf(p)
    const classes = ['arrow', kind]
    if (p.handshakeStep !== 0) classes.push('handshake')
    classes.push(...r.marks)
    const arrow: DiagramArrow = {
      no: p.no,
      fromClient: p.fromClient,
      kind,
      step: p.handshakeStep,
      marks: r.marks,
      classes,
      shaft: { x1: fromX, y1: round(y1), x2: round(bx), y2: round(by) },
      head,
      label: place(r.label, midX, midY - 7),
      time: place(r.time, PAD, y1 + 4),
      frame: place(r.frame, PAD, y1 + 18)
    }
    if (symbol) arrow.symbol = symbol
    if (markText) arrow.markText = markText
    if (p.handshakeStep !== 0) {
      const cx = fromX - dir * (BADGE_R + 7)
      arrow.badge = { cx, cy: y1, r: BADGE_R, text: text(String(p.handshakeStep), cx, y1 + 4, 'middle', SMALL_SIZE, 'badge') }
    }
    y = top + 44 + 17 * r.below.length
    return arrow
  })

  const lifelineEnd = y + 8
  const legend: DiagramText[] = []
  let ly = lifelineEnd + 22
  const addLegend = (s: string, cls: TextClass) => {
    legend.push(text(s, PAD, ly, 'start', BELOW_SIZE, cls))
    ly += 18
  }
  if (arrows.length === 0) addLegend(t.noHandshake, 'notice')
  if (options.textbook) {
    const [syn, synAck] = handshakePackets(d)
    // Relative numbers would make x and y 0: the symbols stand for the real initial numbers.
    const fmt = options.seqFormat === 'dec' ? 'dec' : 'hex'
    if (syn) addLegend(t.legendX(formatRaw(syn.seqRaw, fmt)), 'legend')
    if (synAck) addLegend(t.legendY(formatRaw(synAck.seqRaw, fmt)), 'legend')
  }
  if (all.length > shown.length || d.truncated) addLegend(t.truncated(shown.length), 'notice')

  const lanes = (['client', 'server'] as const).map((role, i) => {
    const x = i === 0 ? clientX : serverX
    const w = boxW[i]!
    return {
      role,
      endpoint: endpoints[i]!,
      x,
      box: { x: round(x - w / 2), y: boxTop, width: w, height: boxH },
      roleText: place(roleProto[i]!, x, boxTop + 18),
      addrText: place(addrProto[i]!, x, boxTop + 35),
      lifeline: { y1: lanesTop, y2: lifelineEnd }
    }
  }) as [DiagramLane, DiagramLane]

  const rightEdge = serverX + Math.max(boxW[1]! / 2, BADGE_R * 2 + 7) + PAD
  const width = Math.ceil(Math.max(rightEdge, PAD * 2 + title.width, ...legend.map((l) => PAD * 2 + l.width)))
  const height = Math.ceil(legend.length ? ly - 18 + 12 : lifelineEnd + PAD)

  return {
    version: 1,
    stream: d.stream,
    width,
    height,
    options,
    title,
    timeHeader: place(timeHeaderProto, PAD, lanesTop - 8),
    lanes,
    arrows,
    legend
  }
}
