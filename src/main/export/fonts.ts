// The fonts packet cards and diagram PNGs are rendered with, loaded from explicit files so the
// output does not depend on whatever the system font lookup happens to pick, plus their metrics
// (cmap coverage and advance widths) so text can be split into per-font runs and measured exactly.
//
// Why runs: resvg 2.6 re-shapes a whole <text> chunk with the fallback font as soon as one
// character is missing from the requested font (a single Chinese character turns a hex dump
// line into proportional Noto Latin). Every run we emit therefore names a font that has all of
// its glyphs, and is positioned by us.
import { existsSync, readFileSync } from 'node:fs'

export type FontRole = 'sans' | 'sansBold' | 'mono' | 'monoBold' | 'cjk' | 'cjkBold'

export interface FontFace {
  role: FontRole
  path: string
  /** The family name to put in SVG font-family for this role. */
  family: string
  weight: 'normal' | 'bold'
  metrics: FontMetrics | null
}

export interface FontMetrics {
  unitsPerEm: number
  /** Advance width in font units of the glyph for a code point, or undefined when the font has no glyph. */
  advance(cp: number): number | undefined
}

/** Candidate files per role, first existing one wins. Debian paths first (fonts-dejavu-core, fonts-noto-cjk). */
const CANDIDATES: Record<FontRole, { family: string; weight: 'normal' | 'bold'; paths: string[] }> = {
  sans: {
    family: 'DejaVu Sans',
    weight: 'normal',
    paths: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/local/share/fonts/DejaVuSans.ttf']
  },
  sansBold: {
    family: 'DejaVu Sans',
    weight: 'bold',
    paths: ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf']
  },
  mono: {
    family: 'DejaVu Sans Mono',
    weight: 'normal',
    paths: ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', '/usr/share/fonts/TTF/DejaVuSansMono.ttf']
  },
  monoBold: {
    family: 'DejaVu Sans Mono',
    weight: 'bold',
    paths: ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf', '/usr/share/fonts/TTF/DejaVuSansMono-Bold.ttf']
  },
  cjk: {
    family: 'Noto Sans CJK SC',
    weight: 'normal',
    paths: [
      '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
      '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
      '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc'
    ]
  },
  cjkBold: {
    family: 'Noto Sans CJK SC',
    weight: 'bold',
    paths: ['/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc']
  }
}

export interface FontSet {
  faces: Partial<Record<FontRole, FontFace>>
  /** Font files to hand to resvg. */
  files: string[]
  /** Roles without a file: resvg then also loads system fonts so text still renders (with estimated widths). */
  missing: FontRole[]
}

let cached: FontSet | null = null

/** Finds and parses the fonts once per process. `WIRENOTE_FONT_<ROLE>` overrides a path (e.g. WIRENOTE_FONT_CJK). */
export function loadFonts(): FontSet {
  if (cached) return cached
  const faces: Partial<Record<FontRole, FontFace>> = {}
  const missing: FontRole[] = []
  for (const role of Object.keys(CANDIDATES) as FontRole[]) {
    const c = CANDIDATES[role]
    const override = process.env[`WIRENOTE_FONT_${role.replace(/Bold$/, '_BOLD').toUpperCase()}`]
    const path = [override, ...c.paths].find((p): p is string => !!p && existsSync(p))
    if (!path) {
      missing.push(role)
      continue
    }
    let metrics: FontMetrics | null = null
    try {
      metrics = parseFontMetrics(readFileSync(path))
    } catch {
      metrics = null // still usable by resvg; widths are estimated
    }
    faces[role] = { role, path, family: c.family, weight: c.weight, metrics }
  }
  const files = [...new Set(Object.values(faces).map((f) => f.path))]
  cached = { faces, files, missing }
  return cached
}

// ---- minimal sfnt reader: head, hhea, hmtx, cmap (formats 4 and 12) -----------------------

/** Parses the metrics of a .ttf/.otf, or of the first face of a .ttc (CJK widths are the same in every face). */
export function parseFontMetrics(buf: Uint8Array): FontMetrics {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  let base = 0
  if (v.getUint32(0) === 0x74746366 /* 'ttcf' */) base = v.getUint32(12)
  const numTables = v.getUint16(base + 4)
  const tables = new Map<string, number>()
  for (let i = 0; i < numTables; i++) {
    const rec = base + 12 + i * 16
    const tag = String.fromCharCode(v.getUint8(rec), v.getUint8(rec + 1), v.getUint8(rec + 2), v.getUint8(rec + 3))
    tables.set(tag, v.getUint32(rec + 8))
  }
  const need = (tag: string): number => {
    const off = tables.get(tag)
    if (off === undefined) throw new Error(`font has no ${tag} table`)
    return off
  }
  const unitsPerEm = v.getUint16(need('head') + 18)
  const numHMetrics = v.getUint16(need('hhea') + 34)
  const hmtx = need('hmtx')
  const glyphAdvance = (gid: number): number => v.getUint16(hmtx + 4 * Math.min(gid, numHMetrics - 1))
  const glyphOf = readCmap(v, need('cmap'))
  return {
    unitsPerEm,
    advance(cp) {
      const gid = glyphOf(cp)
      return gid ? glyphAdvance(gid) : undefined
    }
  }
}

function readCmap(v: DataView, cmap: number): (cp: number) => number {
  const n = v.getUint16(cmap + 2)
  let best = -1
  let bestFormat = 0
  for (let i = 0; i < n; i++) {
    const platform = v.getUint16(cmap + 4 + i * 8)
    const encoding = v.getUint16(cmap + 6 + i * 8)
    const off = cmap + v.getUint32(cmap + 8 + i * 8)
    const format = v.getUint16(off)
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))
    if (!unicode) continue
    if (format === 12 && bestFormat !== 12) {
      best = off
      bestFormat = 12
    } else if (format === 4 && bestFormat === 0) {
      best = off
      bestFormat = 4
    }
  }
  if (best < 0) throw new Error('font has no Unicode cmap')
  const sub = best
  if (bestFormat === 12) {
    const groups = v.getUint32(sub + 12)
    return (cp) => {
      let lo = 0
      let hi = groups - 1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        const g = sub + 16 + mid * 12
        const start = v.getUint32(g)
        const end = v.getUint32(g + 4)
        if (cp < start) hi = mid - 1
        else if (cp > end) lo = mid + 1
        else return v.getUint32(g + 8) + (cp - start)
      }
      return 0
    }
  }
  const segX2 = v.getUint16(sub + 6)
  const ends = sub + 14
  const starts = ends + segX2 + 2
  const deltas = starts + segX2
  const rangeOffsets = deltas + segX2
  return (cp) => {
    if (cp > 0xffff) return 0
    for (let i = 0; i < segX2; i += 2) {
      if (cp > v.getUint16(ends + i)) continue
      const start = v.getUint16(starts + i)
      if (cp < start) return 0
      const delta = v.getUint16(deltas + i)
      const ro = v.getUint16(rangeOffsets + i)
      if (ro === 0) return (cp + delta) & 0xffff
      const gidAt = rangeOffsets + i + ro + 2 * (cp - start)
      const gid = v.getUint16(gidAt)
      return gid === 0 ? 0 : (gid + delta) & 0xffff
    }
    return 0
  }
}
