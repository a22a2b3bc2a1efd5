// Maps a native scrollbar onto millions of rows. Browsers cap an element's height
// (~33.5 M px in Chromium, less elsewhere), so the spacer is capped and, past the cap,
// scroll pixels are scaled to rows. The row position (a fractional row index at the top
// of the viewport) is the source of truth; scrollTop is derived from it, and read back
// only when the user drags the scrollbar.

/** Well below every engine's height limit (Chromium ~33.5 M px, Firefox ~17.9 M px). */
export const MAX_SPACER_PX = 8_000_000

export interface ScrollGeometry {
  total: number
  rowHeight: number
  viewportHeight: number
  maxSpacer?: number
}

export interface ScrollMetrics {
  /** Height of the scrolled content (capped). */
  spacer: number
  /** Largest scrollTop. */
  maxScrollTop: number
  /** Largest top row position: the last row then sits fully at the bottom. */
  maxPos: number
  /** Rows per scroll pixel (1/rowHeight when no scaling was needed). */
  rowsPerPx: number
  /** Rows that fit in the viewport (fractional). */
  visibleRows: number
}

export function metrics(g: ScrollGeometry): ScrollMetrics {
  const cap = g.maxSpacer ?? MAX_SPACER_PX
  const full = g.total * g.rowHeight
  const spacer = Math.max(Math.min(full, cap), g.viewportHeight)
  const visibleRows = g.viewportHeight / g.rowHeight
  const maxScrollTop = Math.max(0, spacer - g.viewportHeight)
  const maxPos = Math.max(0, g.total - visibleRows)
  const rowsPerPx = maxScrollTop > 0 ? maxPos / maxScrollTop : 0
  return { spacer, maxScrollTop, maxPos, rowsPerPx, visibleRows }
}

export function clampPos(pos: number, m: ScrollMetrics): number {
  if (!(pos > 0)) return 0
  return Math.min(pos, m.maxPos)
}

/** Row position for a scrollTop read from the DOM. */
export function scrollTopToPos(scrollTop: number, m: ScrollMetrics): number {
  if (m.maxScrollTop <= 0) return 0
  if (scrollTop >= m.maxScrollTop - 0.5) return m.maxPos
  return clampPos(scrollTop * m.rowsPerPx, m)
}

/** scrollTop to set for a row position. */
export function posToScrollTop(pos: number, m: ScrollMetrics): number {
  if (m.maxPos <= 0) return 0
  const p = clampPos(pos, m)
  if (p >= m.maxPos) return m.maxScrollTop
  return (p / m.maxPos) * m.maxScrollTop
}

/** The rows to render for a position: [first, end) and the pixel offset of the first. */
export function visibleRange(pos: number, m: ScrollMetrics, total: number, rowHeight: number): { first: number; end: number; offset: number } {
  const p = clampPos(pos, m)
  const first = Math.floor(p)
  const end = Math.min(total, Math.ceil(p + m.visibleRows))
  return { first, end: Math.max(first, end), offset: p === first ? 0 : -(p - first) * rowHeight }
}

/** The smallest move of the position that brings row `index` fully into view. */
export function posToReveal(index: number, pos: number, m: ScrollMetrics): number {
  if (index < pos) return clampPos(index, m)
  const bottom = index + 1 - m.visibleRows
  if (bottom > pos) return clampPos(bottom, m)
  return pos
}

/** Brings row `index` to the middle of the viewport, unless it is already fully in view. */
export function posToCenter(index: number, pos: number, m: ScrollMetrics): number {
  if (index >= pos && index + 1 <= pos + m.visibleRows) return pos
  return clampPos(Math.floor(index - (m.visibleRows - 1) / 2), m)
}
