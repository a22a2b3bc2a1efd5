// The diagram layout as a Mermaid `sequenceDiagram`. Labels are made inert for Mermaid's lexer:
// `#` starts a comment, `;` ends a statement, `%%` starts a comment or directive, `<br>` and
// other tags reach the HTML label renderer, quotes and backticks start markdown strings. Mermaid
// decodes entity codes (`#59;`) after parsing, so every such character becomes one and is still
// shown as itself.
import type { DiagramArrow, DiagramLayout } from './layout'
import { DIAGRAM_STRINGS } from './i18n'
import { displayText } from './text'

/** ASCII characters written as Mermaid entity codes wherever they appear. */
const ENTITY = /[#;%:<>"'`&{}\\]/g

/** Makes one line of text safe as a Mermaid participant alias, message or note text. */
export function mermaidText(s: string): string {
  return (
    displayText(s)
      .replace(ENTITY, (c) => `#${c.charCodeAt(0)};`)
      // Keep the label on one line and never let it end in a space Mermaid would trim differently.
      .replace(/\s+/g, ' ')
      .trim()
  )
}

function arrowToken(a: DiagramArrow): string {
  if (a.kind === 'rst') return '-x'
  return a.marks.length ? '-->>' : '->>'
}

const STEP_MARK = ['', '①', '②', '③'] as const

export function diagramToMermaid(layout: DiagramLayout): string {
  const t = DIAGRAM_STRINGS[layout.options.lang]
  const [client, server] = layout.lanes
  const lines = ['sequenceDiagram']
  lines.push(`    participant C as ${mermaidText(`${t.client} ${client.endpoint}`)}`)
  lines.push(`    participant S as ${mermaidText(`${t.server} ${server.endpoint}`)}`)
  for (const a of layout.arrows) {
    const [from, to] = a.fromClient ? ['C', 'S'] : ['S', 'C']
    let msg = a.label.text
    if (a.step) msg = `${STEP_MARK[a.step]} ${msg}`
    if (a.markText) msg += ` (${a.markText.text})`
    msg += ` · ${a.time.text} s · ${a.frame.text}`
    lines.push(`    ${from}${arrowToken(a)}${to}: ${mermaidText(msg)}`)
    if (a.symbol) lines.push(`    Note over C,S: ${mermaidText(a.symbol.text)}`)
  }
  for (const l of layout.legend) lines.push(`    Note over C,S: ${mermaidText(l.text)}`)
  return lines.join('\n') + '\n'
}
