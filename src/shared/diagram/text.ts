// Text as the diagram draws it: made safe to display, split into runs that one font can draw
// whole, and measured, so every rendering (Vue SVG, exported SVG, resvg PNG) puts each run at
// the same x. The diagram uses a monospace font for Latin text (widths are exact: every glyph of
// DejaVu Sans Mono, Menlo and Consolas advances 0.6 em) and a CJK font for wide characters
// (1 em). resvg re-shapes a whole <text> with a fallback font as soon as one character is
// missing from its font, which is why runs of different fonts become separate elements.

export type FontClass = 'mono' | 'cjk' | 'other'

export interface TextRun {
  /** Left edge of the run. */
  x: number
  text: string
  font: FontClass
  width: number
}

/** Advance of one DejaVu Sans Mono glyph: 1233 / 2048 em. */
export const MONO_EM = 1233 / 2048

/** CSS font-family lists per run font, for SVG output (resvg gets the first family, browsers the rest). */
export const FONT_FAMILIES: Record<FontClass, string> = {
  mono: "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace",
  cjk: "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
  // Unknown coverage: the CJK family is named so the PNG renderer loads it for fallback too.
  other: "'DejaVu Sans', 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
}

/**
 * Makes a string safe to show as one line of text: controls, lone surrogates, noncharacters and
 * bidirectional overrides become U+FFFD (they are invalid in XML or can disguise text), tabs and
 * line breaks become spaces.
 */
export function displayText(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000
        out += (cp & 0xfffe) === 0xfffe ? '\ufffd' : s[i]! + s[i + 1]!
        i++
      } else out += '\ufffd'
      continue
    }
    if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd'
    else if (c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029 || c === 0x85) out += ' '
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += '\ufffd'
    else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfffe || c === 0xffff) out += '\ufffd'
    else if (c >= 0xfdd0 && c <= 0xfdef) out += '\ufffd'
    else out += s[i]
  }
  return out
}

/** Characters that take no room of their own (combining marks, joiners, variation selectors). */
function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  )
}

/** East Asian wide / fullwidth characters, drawn with the CJK font at 1 em. */
export function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2460 && cp <= 0x24ff) || // ① ... (enclosed alphanumerics: full width in Noto CJK)
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
}

/**
 * Whether DejaVu Sans Mono draws the character (a conservative subset of its coverage: Latin,
 * Greek, Cyrillic, punctuation, arrows, math, box drawing, shapes, ✓ ✗). Anything else gets a
 * run of its own with a generic family and an estimated 1 em width.
 */
export function isMono(cp: number): boolean {
  return (
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0x24f) ||
    (cp >= 0x370 && cp <= 0x3ff) ||
    (cp >= 0x400 && cp <= 0x4ff) ||
    (cp >= 0x2010 && cp <= 0x2027) ||
    (cp >= 0x2030 && cp <= 0x205e) ||
    (cp >= 0x2190 && cp <= 0x21ff) ||
    (cp >= 0x2200 && cp <= 0x22ff) ||
    (cp >= 0x2500 && cp <= 0x259f) ||
    (cp >= 0x25a0 && cp <= 0x25ff) ||
    cp === 0x2713 ||
    cp === 0x2717 ||
    cp === 0xfffd
  )
}

function fontOf(cp: number): FontClass {
  if (isWide(cp)) return 'cjk'
  if (isMono(cp)) return 'mono'
  return 'other'
}

/** Width of a string in em (mono glyphs 0.602 em, wide and unknown ones 1 em). */
export function measureEm(s: string): number {
  let w = 0
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (isZeroWidth(cp)) continue
    w += fontOf(cp) === 'mono' ? MONO_EM : 1
  }
  return w
}

/** Splits already-displayable text into runs of one font, starting at `x`, at font size `size`. */
export function splitRuns(s: string, x: number, size: number): TextRun[] {
  const runs: TextRun[] = []
  let cur: TextRun | null = null
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (isZeroWidth(cp) && cur) {
      cur.text += ch
      continue
    }
    const font = fontOf(cp)
    const w = (font === 'mono' ? MONO_EM : 1) * size
    if (!cur || cur.font !== font) {
      cur = { x: cur ? cur.x + cur.width : x, text: '', font, width: 0 }
      runs.push(cur)
    }
    cur.text += ch
    cur.width += w
  }
  for (const r of runs) {
    r.x = round(r.x)
    r.width = round(r.width)
  }
  return runs
}

/** Cuts text to at most `maxEm` wide, ending with an ellipsis when cut. */
export function truncateEm(s: string, maxEm: number): string {
  if (measureEm(s) <= maxEm) return s
  let out = ''
  let w = MONO_EM // room for the ellipsis
  for (const ch of s) {
    const cw = measureEm(ch)
    if (w + cw > maxEm) break
    out += ch
    w += cw
  }
  return out + '…'
}

/** Two decimals: keeps serialised layouts small and stable. */
export function round(n: number): number {
  return Math.round(n * 100) / 100
}

/** Escapes text for XML character data and attribute values (after displayText, so it is valid XML). */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'))
}
