// The diagram layout as a standalone SVG document (export, and the source of the PNG). Every
// text goes through xmlEscape; no attribute value comes from the wire unescaped.
import type { DiagramArrow, DiagramLayout, DiagramText } from './layout'
import { FONT_FAMILIES, xmlEscape } from './text'

export type Theme = 'light' | 'dark'

export interface DiagramPalette {
  background: string
  text: string
  muted: string
  laneFill: string
  laneStroke: string
  lifeline: string
  badgeFill: string
  badgeText: string
  /** Stroke per arrow kind / mark; the first matching class of an arrow wins (marks before kinds). */
  arrows: Record<'handshake' | 'syn' | 'syn-ack' | 'fin' | 'rst' | 'data' | 'ack' | 'retransmission' | 'dup-ack', string>
  mark: string
  symbol: string
}

/** Shared with the renderer so the app and the exports use the same colours. */
export const DIAGRAM_THEMES: Record<Theme, DiagramPalette> = {
  light: {
    background: '#ffffff',
    text: '#1f2328',
    muted: '#59636e',
    laneFill: '#f3f6fa',
    laneStroke: '#8c959f',
    lifeline: '#afb8c1',
    badgeFill: '#0969da',
    badgeText: '#ffffff',
    arrows: {
      handshake: '#0969da',
      syn: '#0969da',
      'syn-ack': '#0969da',
      fin: '#8250df',
      rst: '#cf222e',
      data: '#1a7f37',
      ack: '#57606a',
      retransmission: '#bc4c00',
      'dup-ack': '#bc4c00'
    },
    mark: '#bc4c00',
    symbol: '#8250df'
  },
  dark: {
    background: '#0d1117',
    text: '#e6edf3',
    muted: '#9198a1',
    laneFill: '#161b22',
    laneStroke: '#6e7681',
    lifeline: '#484f58',
    badgeFill: '#2f81f7',
    badgeText: '#ffffff',
    arrows: {
      handshake: '#58a6ff',
      syn: '#58a6ff',
      'syn-ack': '#58a6ff',
      fin: '#bc8cff',
      rst: '#ff7b72',
      data: '#3fb950',
      ack: '#9198a1',
      retransmission: '#f0883e',
      'dup-ack': '#f0883e'
    },
    mark: '#f0883e',
    symbol: '#d2a8ff'
  }
}

/** The stroke colour and dash of an arrow, from its semantic classes. */
export function arrowStyle(a: DiagramArrow, theme: Theme): { stroke: string; dashed: boolean } {
  const p = DIAGRAM_THEMES[theme]
  const dashed = a.marks.length > 0
  const key = a.marks[0] ?? (a.step !== 0 ? 'handshake' : a.kind)
  return { stroke: p.arrows[key], dashed }
}

/** Fill colour of a text class. */
export function textColor(t: DiagramText, theme: Theme): string {
  const p = DIAGRAM_THEMES[theme]
  switch (t.cls) {
    case 'time':
    case 'frame':
    case 'time-header':
    case 'lane-addr':
    case 'legend':
      return p.muted
    case 'mark':
    case 'notice':
      return p.mark
    case 'symbol':
      return p.symbol
    case 'badge':
      return p.badgeText
    default:
      return p.text
  }
}

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100)
}

export function textSvg(t: DiagramText, fill: string): string {
  const weight = t.cls === 'title' || t.cls === 'lane-role' || t.cls === 'badge' ? ' font-weight="bold"' : ''
  return t.runs
    .map(
      (r) =>
        `<text x="${fmt(r.x)}" y="${fmt(t.y)}" font-family="${xmlEscape(FONT_FAMILIES[r.font])}" font-size="${t.size}" fill="${fill}"${weight} xml:space="preserve">${xmlEscape(r.text)}</text>`
    )
    .join('')
}

export function diagramToSvg(layout: DiagramLayout, theme: Theme = 'light'): string {
  const p = DIAGRAM_THEMES[theme]
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`
  )
  out.push(`<rect x="0" y="0" width="${layout.width}" height="${layout.height}" fill="${p.background}"/>`)
  out.push(textSvg(layout.title, textColor(layout.title, theme)))
  out.push(textSvg(layout.timeHeader, textColor(layout.timeHeader, theme)))
  for (const lane of layout.lanes) {
    out.push(
      `<line x1="${fmt(lane.x)}" y1="${fmt(lane.lifeline.y1)}" x2="${fmt(lane.x)}" y2="${fmt(lane.lifeline.y2)}" stroke="${p.lifeline}" stroke-width="1.5" stroke-dasharray="4 4"/>`
    )
    const b = lane.box
    out.push(
      `<rect x="${fmt(b.x)}" y="${fmt(b.y)}" width="${fmt(b.width)}" height="${fmt(b.height)}" rx="6" fill="${p.laneFill}" stroke="${p.laneStroke}"/>`
    )
    out.push(textSvg(lane.roleText, textColor(lane.roleText, theme)))
    out.push(textSvg(lane.addrText, textColor(lane.addrText, theme)))
  }
  for (const a of layout.arrows) {
    const { stroke, dashed } = arrowStyle(a, theme)
    const s = a.shaft
    out.push(`<g data-no="${a.no}">`)
    out.push(
      `<line x1="${fmt(s.x1)}" y1="${fmt(s.y1)}" x2="${fmt(s.x2)}" y2="${fmt(s.y2)}" stroke="${stroke}" stroke-width="1.6"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`
    )
    out.push(`<polygon points="${a.head.map((pt) => `${fmt(pt.x)},${fmt(pt.y)}`).join(' ')}" fill="${stroke}"/>`)
    out.push(textSvg(a.label, textColor(a.label, theme)))
    if (a.symbol) out.push(textSvg(a.symbol, textColor(a.symbol, theme)))
    if (a.markText) out.push(textSvg(a.markText, textColor(a.markText, theme)))
    out.push(textSvg(a.time, textColor(a.time, theme)))
    out.push(textSvg(a.frame, textColor(a.frame, theme)))
    if (a.badge) {
      out.push(`<circle cx="${fmt(a.badge.cx)}" cy="${fmt(a.badge.cy)}" r="${a.badge.r}" fill="${p.badgeFill}"/>`)
      out.push(textSvg(a.badge.text, textColor(a.badge.text, theme)))
    }
    out.push('</g>')
  }
  for (const l of layout.legend) out.push(textSvg(l, textColor(l, theme)))
  out.push('</svg>')
  return out.join('\n') + '\n'
}
