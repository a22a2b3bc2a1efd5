// Escaping for the exported Markdown. Wire data (URIs, host names, SNI, other tools' comments,
// field labels, file names) is text: it must come out as the same characters and never as
// markup, a link, raw HTML, or a Liquid/Nunjucks tag (Jekyll and Hexo run their template
// engines before Markdown). The user's own notes are Markdown, minus raw HTML and script links.

/** Controls, lone surrogates and bidi overrides → U+FFFD; line breaks → space (one line of text). */
function oneLine(s: string): string {
  return s
    .replace(/\r\n|[\r\n\u0085\u2028\u2029\t]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

// `&`, `<`, `>` as entities (kramdown, marked and CommonMark all pass them through as text);
// `{`, `}`, `%` as entities too, so `{{` and `{%` never reach a template engine; the rest of
// the characters with Markdown meaning inline (emphasis, code, links, tables, headings' closing
// `#`, math `$`) backslash-escaped.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '{': '&#123;', '}': '&#125;', '%': '&#37;' }

/** Wire data as inline Markdown text, also safe in a table cell. */
export function mdText(s: string): string {
  return oneLine(s).replace(/[&<>{}%\\`*_[\]|~^$#!]/g, (c) => ENTITIES[c] ?? `\\${c}`)
}

/** A table cell: the same as inline text (`|` is escaped there too). */
export const mdCell = mdText

/**
 * A code span around `s`, fenced with more backticks than any run inside it. Template tags
 * cannot be escaped inside code, so `{{` / `{%` / `%}` / `}}` get a zero-width space between
 * their two characters. Not for table cells (pipes).
 */
export function mdCode(s: string): string {
  const text = oneLine(s).replace(/([{%}])(?=[{%}])/g, '$1\u200b')
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** A YAML double-quoted scalar. */
export function yamlString(s: string): string {
  const body = s
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
      switch (c) {
        case '\\':
          return '\\\\'
        case '"':
          return '\\"'
        case '\n':
          return '\\n'
        case '\t':
          return '\\t'
        case '\r':
          return '\\r'
        case '\u0085':
          return '\\N'
        case '\u2028':
          return '\\L'
        case '\u2029':
          return '\\P'
        default:
          return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')
      }
    })
  return `"${body}"`
}

// ---- the user's own Markdown ------------------------------------------------------------

/** Link destinations let through: web and mail links, fragments, relative paths without a scheme. */
function safeDestination(raw: string): boolean {
  const dest = raw.replace(/^<\s*/, '')
  if (/^(https?:\/\/|mailto:|#|\/|\.\.?\/)/i.test(dest)) return true
  // No scheme: nothing that could be a ':' (or an entity/escape spelling one) before the path starts.
  const head = dest.split(/[/?#]/, 1)[0] ?? ''
  return !/[:&\\]/.test(head) && !/^\s*$/.test(dest)
}

/** Neutralises links whose destination is not safe: `[a](javascript:…)` → `[a\](javascript:…)` (shown as text). */
function neutraliseLinks(text: string): string {
  let out = text.replace(/\]\(\s*([^\s)]*)/g, (m, dest: string) => (safeDestination(dest) ? m : '\\' + m))
  // Reference definitions: "[id]: javascript:..." at the start of a line.
  out = out.replace(/^( {0,3})\[([^\]\n]+)\]:[ \t]*(\S+)/gm, (m, indent: string, label: string, dest: string) =>
    safeDestination(dest) ? m : `${indent}\\[${label}]: ${dest}`
  )
  return out
}

/** Outside code: every `<` becomes `&lt;` (no raw HTML, no autolinks), and unsafe links are broken. */
function neutraliseProse(text: string): string {
  return neutraliseLinks(text.replace(/</g, '&lt;'))
}

/** Splits prose into text and inline code spans (which never cross a blank line), neutralising the text. */
function neutraliseInline(text: string): string {
  let out = ''
  let last = 0
  const runs = /`+/g
  let m: RegExpExecArray | null
  while ((m = runs.exec(text))) {
    const open = m[0]
    const start = m.index
    // The closing run: the same number of backticks, not inside a longer run.
    const close = new RegExp(`(?<!\`)${open}(?!\`)`, 'g')
    close.lastIndex = start + open.length
    const c = close.exec(text)
    if (!c || /\n[ \t]*\n/.test(text.slice(start, c.index))) continue
    out += neutraliseProse(text.slice(last, start)) + text.slice(start, c.index + open.length)
    last = c.index + open.length
    runs.lastIndex = last
  }
  return out + neutraliseProse(text.slice(last))
}

/**
 * The user's note as Markdown: kept as written, except raw HTML (and `<…>` autolinks) outside
 * code spans and fenced code blocks, and links to anything but http(s), mailto and relative
 * paths. Indented code blocks are not recognised (their `<` shows as `&lt;`): use fences.
 */
export function userMarkdown(md: string): string {
  const lines = md.replace(/\r\n?/g, '\n').replace(/\u0000/g, '\ufffd').split('\n')
  const out: string[] = []
  let prose: string[] = []
  let fence: { char: string; len: number } | null = null
  const flush = () => {
    if (prose.length) out.push(neutraliseInline(prose.join('\n')))
    prose = []
  }
  for (const line of lines) {
    const f = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line)
    if (fence) {
      out.push(line)
      if (f && f[1]![0] === fence.char && f[1]!.length >= fence.len && f[2]!.trim() === '') fence = null
      continue
    }
    // A backtick fence's info string may not contain backticks.
    if (f && !(f[1]![0] === '`' && f[2]!.includes('`'))) {
      flush()
      fence = { char: f[1]![0]!, len: f[1]!.length }
      out.push(line)
      continue
    }
    prose.push(line)
  }
  flush()
  // An unclosed fence runs to the end of the note, and the note's end is the end of its block.
  if (fence) out.push(fence.char.repeat(fence.len))
  return out.join('\n')
}
