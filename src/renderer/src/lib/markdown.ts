// A small Markdown subset parsed to a tree that components render with text nodes only:
// note text may quote wire data, so it never becomes HTML. Links are shown as text with
// their target beside them, never as live anchors.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; c: Inline[]; href: string }

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: 1 | 2 | 3 | 4; c: Inline[] }
  | { t: 'ul' | 'ol'; items: Inline[][] }
  | { t: 'pre'; v: string }
  | { t: 'quote'; c: Inline[] }

export function parseInline(s: string): Inline[] {
  const out: Inline[] = []
  let buf = ''
  const flush = (): void => {
    if (buf) out.push({ t: 'text', v: buf })
    buf = ''
  }
  let i = 0
  while (i < s.length) {
    const ch = s[i]
    if (ch === '\\' && i + 1 < s.length && /[\\`*_[\]()#>-]/.test(s[i + 1])) {
      buf += s[i + 1]
      i += 2
      continue
    }
    if (ch === '`') {
      const end = s.indexOf('`', i + 1)
      if (end > i) {
        flush()
        out.push({ t: 'code', v: s.slice(i + 1, end) })
        i = end + 1
        continue
      }
    }
    if ((ch === '*' || ch === '_') && s[i + 1] === ch) {
      const end = s.indexOf(ch + ch, i + 2)
      if (end > i + 2) {
        flush()
        out.push({ t: 'strong', c: parseInline(s.slice(i + 2, end)) })
        i = end + 2
        continue
      }
    }
    if (ch === '*' || ch === '_') {
      const end = s.indexOf(ch, i + 1)
      if (end > i + 1 && s[i + 1] !== ' ') {
        flush()
        out.push({ t: 'em', c: parseInline(s.slice(i + 1, end)) })
        i = end + 1
        continue
      }
    }
    if (ch === '[') {
      const m = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(s.slice(i))
      if (m) {
        flush()
        out.push({ t: 'link', c: parseInline(m[1]), href: m[2] })
        i += m[0].length
        continue
      }
    }
    buf += ch
    i++
  }
  flush()
  return out
}

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let para: string[] = []
  const endPara = (): void => {
    if (para.length) blocks.push({ t: 'p', c: parseInline(para.join(' ')) })
    para = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (/^\s*```/.test(line)) {
      endPara()
      const body: string[] = []
      i++
      while (i < lines.length && !/^\s*```/.test(lines[i])) body.push(lines[i++])
      blocks.push({ t: 'pre', v: body.join('\n') })
      continue
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line)
    if (h) {
      endPara()
      blocks.push({ t: 'h', level: h[1].length as 1 | 2 | 3 | 4, c: parseInline(h[2]) })
      continue
    }
    const li = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line)
    if (li) {
      endPara()
      const kind = /\d/.test(li[1]) ? 'ol' : 'ul'
      const items: Inline[][] = [parseInline(li[2])]
      while (i + 1 < lines.length) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i + 1])
        if (!m || (/\d/.test(m[1]) ? 'ol' : 'ul') !== kind) break
        items.push(parseInline(m[2]))
        i++
      }
      blocks.push({ t: kind, items })
      continue
    }
    const q = /^\s*>\s?(.*)$/.exec(line)
    if (q) {
      endPara()
      const body = [q[1]]
      while (i + 1 < lines.length && /^\s*>/.test(lines[i + 1])) body.push(lines[++i].replace(/^\s*>\s?/, ''))
      blocks.push({ t: 'quote', c: parseInline(body.join(' ')) })
      continue
    }
    if (!line.trim()) {
      endPara()
      continue
    }
    para.push(line.trim())
  }
  endPara()
  return blocks
}
