// A packet "card": one SVG image of a packet for a blog post. Title (frame number and summary),
// the step label, the user's note as a callout, the details tree with the highlighted fields
// emphasised, and the hex + ASCII bytes with the same highlights, in the same colours.
import type { Annotation, PacketDetails, TreeNode } from '../../shared/contract'
import type { Lang } from '../../shared/diagram/i18n'
import type { Theme } from '../../shared/diagram/svg'
import { runsSvg, measureRuns, textSvg, truncate, wrapSpans, textWidth, type Span, type TextStyle } from './measure'

export interface CardInput {
  details: PacketDetails
  /** The annotation of this packet (note, step, highlights), or null for a plain card. */
  annotation: Annotation | null
  /** The packet's Info column. */
  summary: string
  theme: Theme
  lang: Lang
}

export interface CardSvg {
  svg: string
  width: number
  height: number
}

interface CardPalette {
  background: string
  border: string
  text: string
  muted: string
  accent: string
  accentText: string
  calloutFill: string
  calloutBar: string
  panel: string
  codeFill: string
  /** One colour per highlight (cycled), for the tree row and the bytes. */
  highlights: string[]
  highlightBars: string[]
}

const PALETTES: Record<Theme, CardPalette> = {
  light: {
    background: '#ffffff',
    border: '#d0d7de',
    text: '#1f2328',
    muted: '#59636e',
    accent: '#0969da',
    accentText: '#ffffff',
    calloutFill: '#ddf4ff',
    calloutBar: '#0969da',
    panel: '#f6f8fa',
    codeFill: '#e6ebf1',
    highlights: ['#fff1a8', '#cfe6ff', '#d4f4d9', '#ffdbe3'],
    highlightBars: ['#d4a72c', '#218bff', '#2da44e', '#e85aad']
  },
  dark: {
    background: '#0d1117',
    border: '#30363d',
    text: '#e6edf3',
    muted: '#9198a1',
    accent: '#2f81f7',
    accentText: '#ffffff',
    calloutFill: '#0c2d6b',
    calloutBar: '#4493f8',
    panel: '#161b22',
    codeFill: '#2d333b',
    highlights: ['#5a4a06', '#0f3a6e', '#17482a', '#5e1f3a'],
    highlightBars: ['#d29922', '#4493f8', '#3fb950', '#db61a2']
  }
}

const CARD_STRINGS: Record<Lang, { title: (no: number) => string; details: string; bytes: string; more: (n: number) => string }> = {
  en: { title: (no) => `No. ${no}`, details: 'Packet details', bytes: 'Bytes', more: (n) => `… ${n} more lines` },
  'zh-CN': { title: (no) => `第 ${no} 个分组`, details: '分组详情', bytes: '字节', more: (n) => `…… 另有 ${n} 行` }
}

const WIDTH = 960
const PAD = 24
const INNER = WIDTH - 2 * PAD
const TITLE: TextStyle = { font: 'sans', size: 17, bold: true }
const PILL: TextStyle = { font: 'sans', size: 12.5, bold: true }
const NOTE: TextStyle = { font: 'sans', size: 14 }
const NOTE_BOLD: TextStyle = { font: 'sans', size: 14, bold: true }
const NOTE_CODE: TextStyle = { font: 'mono', size: 13 }
const CAPTION: TextStyle = { font: 'sans', size: 12, bold: true }
const ROW: TextStyle = { font: 'mono', size: 12.5 }
const ROW_BOLD: TextStyle = { font: 'mono', size: 12.5, bold: true }
const ROW_H = 19
const NOTE_LINE_H = 21
const MAX_NOTE_LINES = 16
const MAX_TREE_ROWS = 44
const CH = ROW.size * (1233 / 2048)

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100)
}

// ---- the note: a little inline Markdown (code, bold, links' text) -------------------------

function noteSpans(line: string): Span[] {
  const spans: Span[] = []
  let text = line.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/^(\s*)[-*+]\s+/, '$1• ')
  const heading = text !== line && /^\s{0,3}#/.test(line)
  // Links show their text; the destination may hold one level of parentheses.
  text = text.replace(/!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
  const re = /(`+)([\s\S]*?)\1|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_/g
  let last = 0
  const base = heading ? NOTE_BOLD : NOTE
  for (const m of text.matchAll(re)) {
    if (m.index > last) spans.push({ text: text.slice(last, m.index), style: base })
    if (m[1]) spans.push({ text: m[2]!.trim() === '' ? m[2]! : m[2]!.trim(), style: NOTE_CODE, code: true })
    else if (m[3] ?? m[4]) spans.push({ text: (m[3] ?? m[4])!, style: NOTE_BOLD })
    else spans.push({ text: (m[5] ?? m[6])!, style: base })
    last = m.index + m[0].length
  }
  if (last < text.length) spans.push({ text: text.slice(last), style: base })
  return spans
}

/** Wrapped note lines; null entries are paragraph gaps. */
function noteLines(note: string, max: number): (Span[] | null)[] {
  const out: (Span[] | null)[] = []
  let inFence = false
  for (const raw of note.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(raw)) {
      inFence = !inFence
      continue
    }
    if (raw.trim() === '') {
      if (out.length && out[out.length - 1] !== null) out.push(null)
      continue
    }
    const spans = inFence ? [{ text: raw, style: NOTE_CODE, code: true }] : noteSpans(raw)
    out.push(...wrapSpans(spans, max))
  }
  while (out.length && out[out.length - 1] === null) out.pop()
  return out
}

// ---- the tree ----------------------------------------------------------------------------

interface TreeRow {
  depth: number
  label: string
  /** null: leaf; true/false: expanded or collapsed subtree. */
  open: boolean | null
  /** Index of the highlight this row shows, or -1. */
  hl: number
  /** Must be shown (top level, highlighted, or on the way to a highlight). */
  essential: boolean
}

function highlightIndex(node: TreeNode, hls: Annotation['highlights'], byName: Map<number, TreeNode>): number {
  for (let i = 0; i < hls.length; i++) {
    const h = hls[i]!
    if (node.name === h.name && node.off === h.off && node.len === h.len) return i
    if (byName.get(i) === node) return i
  }
  return -1
}

/** For highlights with no exact node (offsets moved), the first node of the same name. */
function fallbackNodes(tree: TreeNode[], hls: Annotation['highlights']): Map<number, TreeNode> {
  const exact = new Set<number>()
  const firstByName = new Map<string, TreeNode>()
  const visit = (nodes: TreeNode[]) => {
    for (const n of nodes) {
      hls.forEach((h, i) => {
        if (n.name === h.name && n.off === h.off && n.len === h.len) exact.add(i)
      })
      if (n.name && !firstByName.has(n.name)) firstByName.set(n.name, n)
      if (n.children) visit(n.children)
    }
  }
  visit(tree)
  const out = new Map<number, TreeNode>()
  hls.forEach((h, i) => {
    const n = firstByName.get(h.name)
    if (!exact.has(i) && n) out.set(i, n)
  })
  return out
}

function treeRows(tree: TreeNode[], hls: Annotation['highlights']): TreeRow[] {
  const byName = fallbackNodes(tree, hls)
  const contains = new Map<TreeNode, boolean>()
  const hasHl = (n: TreeNode): boolean => {
    let v = contains.get(n)
    if (v === undefined) {
      v = (n.children ?? []).some((c) => highlightIndex(c, hls, byName) >= 0 || hasHl(c))
      contains.set(n, v)
    }
    return v
  }
  const anyHl = tree.some((n) => highlightIndex(n, hls, byName) >= 0 || hasHl(n))
  // Nothing highlighted: open the innermost protocol, the one the packet is about.
  const openAnyway = anyHl ? null : tree[tree.length - 1]
  const rows: TreeRow[] = []
  const walk = (nodes: TreeNode[], depth: number) => {
    for (const n of nodes) {
      const hl = highlightIndex(n, hls, byName)
      const inside = hasHl(n) || n === openAnyway
      const hasKids = (n.children?.length ?? 0) > 0
      rows.push({ depth, label: n.label, open: hasKids ? inside : null, hl, essential: depth === 0 || hl >= 0 || inside })
      if (inside && n.children) walk(n.children, depth + 1)
    }
  }
  walk(tree, 0)
  return rows
}

/**
 * Keeps essential rows and, of the others, those nearest a highlighted row (the first ones when
 * nothing is highlighted) as long as they fit, marking gaps with an ellipsis row (null).
 */
function limitRows(rows: TreeRow[], max: number): (TreeRow | null)[] {
  if (rows.length <= max) return rows
  const marked = rows.flatMap((r, i) => (r.hl >= 0 ? [i] : []))
  const distance = (i: number) => (marked.length ? Math.min(...marked.map((m) => Math.abs(m - i))) : i)
  const budget = Math.max(0, max - rows.filter((r) => r.essential).length)
  const others = rows.map((r, i) => (r.essential ? -1 : i)).filter((i) => i >= 0)
  const keep = new Set(others.sort((a, b) => distance(a) - distance(b) || a - b).slice(0, budget))
  const out: (TreeRow | null)[] = []
  rows.forEach((r, i) => {
    if (r.essential || keep.has(i)) out.push(r)
    else if (out[out.length - 1] !== null) out.push(null)
  })
  return out
}

// ---- the bytes ---------------------------------------------------------------------------

/** Hex dump lines to show: all of a short packet; else the headers and the lines around highlights. */
function hexLines(n: number, hls: Annotation['highlights']): (number | null)[] {
  const total = Math.ceil(n / 16)
  if (total <= 20) return Array.from({ length: total }, (_, i) => i)
  const keep = new Set<number>([0, 1, 2, 3])
  for (const h of hls) {
    const first = Math.floor(h.off / 16)
    const last = Math.floor((h.off + Math.max(h.len, 1) - 1) / 16)
    for (let l = Math.max(0, first - 1); l <= Math.min(total - 1, last + 1) && l - first < 40; l++) keep.add(l)
  }
  const out: (number | null)[] = []
  for (let l = 0; l < total; l++) {
    if (keep.has(l)) out.push(l)
    else if (out[out.length - 1] !== null) out.push(null)
  }
  return out
}

/** Character columns of a dump line: offset, two spaces, 16 hex bytes (extra space after 8), two spaces, ASCII. */
function hexColumn(offW: number, i: number): number {
  return offW + 2 + i * 3 + (i >= 8 ? 1 : 0)
}
function asciiColumn(offW: number): number {
  return offW + 2 + 16 * 3 + 1 + 2
}

// ---- the card ----------------------------------------------------------------------------

export function packetCardSvg(input: CardInput): CardSvg {
  const p = PALETTES[input.theme]
  const s = CARD_STRINGS[input.lang]
  const a = input.annotation
  const hls = a?.highlights ?? []
  const bytes = Buffer.from(input.details.bytes, 'base64')
  const body: string[] = []
  let y = PAD

  // Title.
  const title = truncate(`${s.title(input.details.no)} · ${input.summary}`, TITLE, INNER)
  body.push(textSvg(title, PAD, y + 17, TITLE, p.text))
  y += 17 + 12

  if (a && a.step.trim() !== '') {
    const step = truncate(a.step, PILL, INNER - 16)
    const w = textWidth(step, PILL) + 16
    body.push(`<rect x="${PAD}" y="${y}" width="${fmt(w)}" height="22" rx="11" fill="${p.accent}"/>`)
    body.push(textSvg(step, PAD + 8, y + 15.5, PILL, p.accentText))
    y += 22 + 12
  }

  if (a && a.note.trim() !== '') {
    let lines = noteLines(a.note, INNER - 32)
    if (lines.length > MAX_NOTE_LINES) lines = [...lines.slice(0, MAX_NOTE_LINES - 1), [{ text: '…', style: NOTE }]]
    const h = lines.reduce((acc, l) => acc + (l === null ? 8 : NOTE_LINE_H), 0) + 20
    body.push(`<rect x="${PAD}" y="${y}" width="${INNER}" height="${h}" rx="6" fill="${p.calloutFill}"/>`)
    body.push(`<rect x="${PAD}" y="${y}" width="4" height="${h}" fill="${p.calloutBar}"/>`)
    let ly = y + 10
    for (const line of lines) {
      if (line === null) {
        ly += 8
        continue
      }
      let x = PAD + 16
      for (const span of line) {
        const runs = measureRuns(span.text, span.style)
        const w = runs.reduce((acc, r) => acc + r.width, 0)
        if (span.code) body.push(`<rect x="${fmt(x - 2)}" y="${fmt(ly + 2)}" width="${fmt(w + 4)}" height="${NOTE_LINE_H - 3}" rx="3" fill="${p.codeFill}"/>`)
        const drawn = runsSvg(runs, x, ly + 15.5, span.style.size, p.text)
        body.push(drawn.svg)
        x = drawn.end
      }
      ly += NOTE_LINE_H
    }
    y += h + 16
  }

  // Details tree.
  body.push(textSvg(s.details, PAD, y + 12, CAPTION, p.muted))
  y += 20
  const rows = limitRows(treeRows(input.details.tree, hls), MAX_TREE_ROWS)
  const treeH = rows.length * ROW_H + 12
  body.push(`<rect x="${PAD}" y="${y}" width="${INNER}" height="${treeH}" rx="6" fill="${p.panel}" stroke="${p.border}"/>`)
  let ry = y + 6
  for (const r of rows) {
    if (r === null) {
      body.push(textSvg('⋯', PAD + 12, ry + 14, ROW, p.muted))
      ry += ROW_H
      continue
    }
    const indent = PAD + 10 + r.depth * 16
    if (r.hl >= 0) {
      const k = r.hl % p.highlights.length
      body.push(`<rect x="${PAD + 1}" y="${ry}" width="${INNER - 2}" height="${ROW_H}" fill="${p.highlights[k]}"/>`)
      body.push(`<rect x="${PAD + 1}" y="${ry}" width="4" height="${ROW_H}" fill="${p.highlightBars[k]}"/>`)
    }
    const marker = r.open === null ? ' ' : r.open ? '▾' : '▸'
    const style = r.hl >= 0 ? ROW_BOLD : ROW
    body.push(textSvg(marker, indent, ry + 14, ROW, p.muted))
    const label = truncate(r.label, style, WIDTH - PAD - 10 - (indent + CH * 2))
    body.push(textSvg(label, indent + CH * 2, ry + 14, style, p.text))
    ry += ROW_H
  }
  y += treeH + 16

  // Bytes.
  body.push(textSvg(s.bytes, PAD, y + 12, CAPTION, p.muted))
  y += 20
  const lines = hexLines(bytes.length, hls)
  const hexH = lines.length * ROW_H + 12
  body.push(`<rect x="${PAD}" y="${y}" width="${INNER}" height="${hexH}" rx="6" fill="${p.panel}" stroke="${p.border}"/>`)
  const x0 = PAD + 12
  const offW = bytes.length > 0x10000 ? 8 : 4
  let hy = y + 6
  for (const line of lines) {
    if (line === null) {
      body.push(textSvg('⋯', x0, hy + 14, ROW, p.muted))
      hy += ROW_H
      continue
    }
    const start = line * 16
    const end = Math.min(bytes.length, start + 16)
    // Highlight rectangles first, one per contiguous run of bytes of one highlight.
    hls.forEach((h, k) => {
      const from = Math.max(start, h.off)
      const to = Math.min(end, h.off + h.len)
      if (from >= to) return
      const fill = p.highlights[k % p.highlights.length]
      const hx1 = x0 + hexColumn(offW, from - start) * CH - 2
      const hx2 = x0 + (hexColumn(offW, to - 1 - start) + 2) * CH + 2
      body.push(`<rect x="${fmt(hx1)}" y="${hy + 1}" width="${fmt(hx2 - hx1)}" height="${ROW_H - 2}" rx="2" fill="${fill}"/>`)
      const ax1 = x0 + (asciiColumn(offW) + (from - start)) * CH
      body.push(`<rect x="${fmt(ax1)}" y="${hy + 1}" width="${fmt((to - from) * CH)}" height="${ROW_H - 2}" rx="2" fill="${fill}"/>`)
    })
    let hex = ''
    let ascii = ''
    for (let i = 0; i < 16; i++) {
      const b = start + i < end ? bytes[start + i]! : undefined
      hex += (b === undefined ? '  ' : b.toString(16).padStart(2, '0')) + (i === 7 ? '  ' : ' ')
      if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
    }
    const lineText = start.toString(16).padStart(offW, '0') + '  ' + hex + '  ' + ascii
    body.push(textSvg(lineText, x0, hy + 14, ROW, p.text))
    hy += ROW_H
  }
  y += hexH + PAD

  const height = Math.ceil(y)
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">\n` +
    `<rect x="0.5" y="0.5" width="${WIDTH - 1}" height="${height - 1}" rx="10" fill="${p.background}" stroke="${p.border}"/>\n` +
    body.join('\n') +
    '\n</svg>\n'
  return { svg, width: WIDTH, height }
}
