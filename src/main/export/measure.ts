// Text for resvg-rendered cards: split into runs that one loaded font draws whole, measured with
// that font's real advance widths, and wrapped or cut to a width. Each run becomes its own
// <text> element at a computed x (see fonts.ts for why).
import { displayText, xmlEscape } from '../../shared/diagram/text'
import { loadFonts, type FontFace, type FontRole } from './fonts'

export interface TextStyle {
  font: 'sans' | 'mono'
  size: number
  bold?: boolean
}

export interface Run {
  text: string
  family: string
  bold: boolean
  width: number
}

const GENERIC: Record<TextStyle['font'], string> = {
  sans: "'DejaVu Sans', 'Noto Sans', sans-serif",
  mono: "'DejaVu Sans Mono', monospace"
}
const CJK_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
/** Characters no loaded font has: left to resvg's fallback, with every font loaded (the CJK name asks png.ts to load it). */
const FALLBACK_FAMILY = "'DejaVu Sans', 'Noto Sans CJK SC', sans-serif"

function isZeroWidth(cp: number): boolean {
  return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x20d0 && cp <= 0x20ff)
}

function isWideGuess(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || cp >= 0x20000
}

interface Slot {
  key: string
  family: string
  /** Advance in em, or undefined when the face lacks the glyph. */
  em: (cp: number) => number | undefined
}

function slot(face: FontFace | undefined, family: string, estimate: (cp: number) => number | undefined): Slot {
  const m = face?.metrics
  return {
    key: family,
    family,
    em: m ? (cp) => {
      const a = m.advance(cp)
      return a === undefined ? undefined : a / m.unitsPerEm
    } : estimate
  }
}

function slots(style: TextStyle): [Slot, Slot] {
  const faces = loadFonts().faces
  const primaryRole: FontRole = style.font === 'mono' ? (style.bold ? 'monoBold' : 'mono') : style.bold ? 'sansBold' : 'sans'
  const primary = slot(faces[primaryRole] ?? faces[style.font], GENERIC[style.font], (cp) => (isWideGuess(cp) ? undefined : style.font === 'mono' ? 0.602 : 0.6))
  const cjk = slot(faces[style.bold ? 'cjkBold' : 'cjk'] ?? faces.cjk, CJK_FAMILY, (cp) => (isWideGuess(cp) ? 1 : undefined))
  return [primary, cjk]
}

/** Splits displayable text into runs of one font each, with their widths in px. */
export function measureRuns(s: string, style: TextStyle): Run[] {
  const [primary, cjk] = slots(style)
  const bold = style.bold ?? false
  const runs: Run[] = []
  let cur: Run | null = null
  for (const ch of displayText(s)) {
    const cp = ch.codePointAt(0)!
    if (isZeroWidth(cp) && cur) {
      cur.text += ch
      continue
    }
    let family: string
    let em = primary.em(cp)
    if (em !== undefined) family = primary.family
    else {
      em = cjk.em(cp)
      // Neither font has it: a run of its own, drawn by resvg's fallback (or a missing-glyph box).
      family = em !== undefined ? cjk.family : FALLBACK_FAMILY
      em ??= 1
    }
    if (!cur || cur.family !== family) {
      cur = { text: '', family, bold, width: 0 }
      runs.push(cur)
    }
    cur.text += ch
    cur.width += em * style.size
  }
  return runs
}

export function textWidth(s: string, style: TextStyle): number {
  return measureRuns(s, style).reduce((w, r) => w + r.width, 0)
}

/** Cuts text to `max` px, ending with an ellipsis when cut. */
export function truncate(s: string, style: TextStyle, max: number): string {
  const shown = displayText(s)
  if (textWidth(shown, style) <= max) return shown
  const room = max - textWidth('…', style)
  let out = ''
  let w = 0
  for (const ch of shown) {
    const cw = textWidth(ch, style)
    if (w + cw > room) break
    out += ch
    w += cw
  }
  return out + '…'
}

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100)
}

/** SVG for runs starting at x (baseline y). Returns the markup and the end x. */
export function runsSvg(runs: Run[], x: number, y: number, size: number, fill: string): { svg: string; end: number } {
  let cx = x
  let svg = ''
  for (const r of runs) {
    if (r.text.trim() !== '') {
      svg += `<text x="${fmt(cx)}" y="${fmt(y)}" font-family="${xmlEscape(r.family)}" font-size="${size}"${r.bold ? ' font-weight="bold"' : ''} fill="${fill}" xml:space="preserve">${xmlEscape(r.text)}</text>`
    }
    cx += r.width
  }
  return { svg, end: cx }
}

export function textSvg(s: string, x: number, y: number, style: TextStyle, fill: string): string {
  return runsSvg(measureRuns(s, style), x, y, style.size, fill).svg
}

// ---- wrapping styled text ----------------------------------------------------------------

export interface Span {
  text: string
  style: TextStyle
  /** Drawn with a background (inline code). */
  code?: boolean
}

/** Splits spans into unbreakable pieces: a word with its trailing spaces, or one wide character. */
function atoms(spans: Span[]): Span[] {
  const out: Span[] = []
  for (const sp of spans) {
    for (const m of displayText(sp.text).matchAll(/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]\s*|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]+\s*|\s+/g)) {
      out.push({ ...sp, text: m[0] })
    }
  }
  return out
}

/** Greedy line breaking of styled spans to `max` px; an atom wider than a line is cut by characters. */
export function wrapSpans(spans: Span[], max: number): Span[][] {
  const lines: Span[][] = [[]]
  let w = 0
  const push = (a: Span, aw: number) => {
    const line = lines[lines.length - 1]!
    const last = line[line.length - 1]
    if (last && last.style === a.style && last.code === a.code) last.text += a.text
    else line.push({ ...a })
    w += aw
  }
  for (const a of atoms(spans)) {
    const aw = textWidth(a.text.trimEnd(), a.style)
    if (w > 0 && w + aw > max) {
      lines.push([])
      w = 0
      if (a.text.trim() === '') continue
    }
    if (aw <= max) {
      push(a, textWidth(a.text, a.style))
      continue
    }
    for (const ch of a.text) {
      const cw = textWidth(ch, a.style)
      if (w > 0 && w + cw > max) {
        lines.push([])
        w = 0
      }
      push({ ...a, text: ch }, cw)
    }
  }
  return lines.map((l) => {
    const last = l[l.length - 1]
    if (last) last.text = last.text.trimEnd()
    return l.filter((s) => s.text !== '')
  })
}
