// Hostile strings through every output: SVG (diagram), Mermaid, Markdown.
import { Resvg } from '@resvg/resvg-js'
import { describe, expect, it } from 'vitest'
import type { StreamDetail } from '../src/shared/contract'
import { layoutDiagram } from '../src/shared/diagram/layout'
import { diagramToMermaid, mermaidText } from '../src/shared/diagram/mermaid'
import { diagramToSvg } from '../src/shared/diagram/svg'
import { displayText, xmlEscape } from '../src/shared/diagram/text'
import { mdCode, mdText, userMarkdown, yamlString } from '../src/shared/note/escape'

const HOSTILE = [
  '<script>alert(1)</script>',
  '](javascript:alert(1))',
  '[x](javascript:alert(1))',
  '`backticks` ``double``',
  'a|b||c',
  'line1\nline2\r\nline3\u2028line4',
  'C->>S: injected',
  'x -->> y ; z # w %% comment',
  '%%{init: {"theme":"dark"}}%%',
  '"quotes" & \'apos\'',
  '{{ site.title }} {% include x %}',
  '中文 SNI 握手',
  '\u0000\u0007\u001b[31m\u202eevil\u202c',
  '\ud800 lone surrogate',
  '<img src=x onerror=alert(1)>',
  '&lt;already&gt; &#106;'
]

function hostileStream(addr: string): StreamDetail {
  return {
    stream: 0,
    client: { addr, port: 1 },
    server: { addr: '2001:db8::1', port: 443 },
    handshake: 'complete',
    truncated: false,
    packets: [
      { no: 1, time: 0, rel: 0, fromClient: true, flags: 0x002, seqRaw: 1, ackRaw: 0, seqRel: 0, ackRel: 0, len: 0, window: 0, handshakeStep: 1, retransmission: false, dupAck: false, info: addr },
      { no: 2, time: 0, rel: 0.1, fromClient: false, flags: 0x012, seqRaw: 9, ackRaw: 2, seqRel: 0, ackRel: 1, len: 0, window: 0, handshakeStep: 2, retransmission: true, dupAck: false, info: addr }
    ]
  }
}

describe('SVG', () => {
  it('escapes text for XML and drops characters XML cannot hold', () => {
    expect(xmlEscape(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;')
    expect(displayText('a\u0000b\nc\u202ed\ud800')).toBe('a\ufffdb c\ufffdd\ufffd')
  })

  it.each(HOSTILE)('renders a hostile endpoint as text: %j', (s) => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const svg = diagramToSvg(layoutDiagram(hostileStream(s), { seqFormat: 'hex', wholeStream: true, textbook: true, lang }), 'dark')
      expect(svg).not.toMatch(/<script|<img|<iframe|<[^>]*\son[a-z]+=/i)
      // Every element is one we wrote: svg, rect, line, polygon, circle, text, g.
      for (const m of svg.matchAll(/<\/?([a-zA-Z]+)/g)) expect(['svg', 'rect', 'line', 'polygon', 'circle', 'text', 'g']).toContain(m[1])
      // resvg parses it as XML (throws on malformed documents).
      expect(() => new Resvg(svg, { font: { loadSystemFonts: false } })).not.toThrow()
    }
  })
})

describe('Mermaid', () => {
  it('turns every character with meaning to Mermaid into an entity code', () => {
    expect(mermaidText('a;b#c%d:e<f>g"h\'i`j&k{l}m\\n')).toBe('a#59;b#35;c#37;d#58;e#60;f#62;g#34;h#39;i#96;j#38;k#123;l#125;m#92;n')
    expect(mermaidText('x -->> y')).toBe('x --#62;#62; y')
    expect(mermaidText('line1\nline2\u2028end')).toBe('line1 line2 end')
    expect(mermaidText('中文')).toBe('中文')
  })

  it.each(HOSTILE)('keeps a hostile endpoint inside its label: %j', (s) => {
    const text = diagramToMermaid(layoutDiagram(hostileStream(s), { seqFormat: 'hex', wholeStream: true, textbook: true, lang: 'en' }))
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe('sequenceDiagram')
    expect(lines[2]).toBe('    participant S as Server [2001#58;db8#58;#58;1]#58;443')
    // One statement per line; once Mermaid's entity codes are taken out, nothing is left that
    // Mermaid would split on, comment out, or hand to its HTML label renderer.
    const statement = /^ {4}(participant C as |participant S as |(C|S)(->>|-->>|-x)(C|S): |Note over C,S: )(.*)$/
    for (const line of lines.slice(1)) {
      const m = statement.exec(line)
      expect(m, line).not.toBeNull()
      expect(m![5]!.replace(/#\d+;/g, '')).not.toMatch(/[;#%<>`"'{}&:\\]/)
    }
    expect(text).not.toContain('<script')
  })

  it('marks handshake steps, retransmissions (dashed) and RST (cross)', () => {
    const d = hostileStream('10.0.0.1')
    d.packets.push({ ...d.packets[0]!, no: 3, flags: 0x004, handshakeStep: 0, retransmission: false })
    const text = diagramToMermaid(layoutDiagram(d, { seqFormat: 'relative', wholeStream: true, textbook: false, lang: 'en' }))
    expect(text).toContain('    C->>S: ① [SYN] Seq=0 · 0.000000 s · No. 1\n')
    expect(text).toContain('    S-->>C: ② [SYN, ACK] Seq=0 Ack=1 (retransmission) · 0.100000 s · No. 2\n')
    expect(text).toContain('    C-xS: [RST] Seq=0 · 0.000000 s · No. 3\n')
  })
})

describe('Markdown escaping of wire data', () => {
  it('never lets wire text become markup, a link, HTML or a template tag', () => {
    expect(mdText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(mdText('](javascript:alert(1))')).toBe('\\](javascript:alert(1))')
    expect(mdText('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))')
    expect(mdText('`rm -rf`')).toBe('\\`rm -rf\\`')
    expect(mdText('a|b')).toBe('a\\|b')
    expect(mdText('*_~^$#!\\')).toBe('\\*\\_\\~\\^\\$\\#\\!\\\\')
    expect(mdText('{{ x }} {% y %}')).toBe('&#123;&#123; x &#125;&#125; &#123;&#37; y &#37;&#125;')
    expect(mdText('a\nb\r\nc')).toBe('a b c')
    expect(mdText('&amp;')).toBe('&amp;amp;')
    expect(mdText('中文')).toBe('中文')
    for (const s of HOSTILE) {
      const md = mdText(s)
      expect(md).not.toMatch(/[<>\n]|(?<!\\)[`[\]|]|\{\{|\{%/)
    }
  })

  it('makes code spans with enough backticks', () => {
    expect(mdCode('tcp.seq_raw')).toBe('`tcp.seq_raw`')
    expect(mdCode('a`b')).toBe('``a`b``')
    expect(mdCode('``x')).toBe('``` ``x ```')
    expect(mdCode('{{ x }}')).toBe('`{\u200b{ x }\u200b}`')
  })

  it('quotes YAML scalars', () => {
    expect(yamlString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"')
    expect(yamlString('x: [y] # z')).toBe('"x: [y] # z"')
    expect(yamlString('\u0000\u2028')).toBe('"\\x00\\L"')
  })
})

describe("the user's own Markdown", () => {
  it('keeps Markdown and code, neutralises raw HTML and script links', () => {
    expect(userMarkdown('**bold** and `<b>code</b>` and [ok](https://example.com)')).toBe('**bold** and `<b>code</b>` and [ok](https://example.com)')
    expect(userMarkdown('<script>alert(1)</script>')).toBe('&lt;script>alert(1)&lt;/script>')
    expect(userMarkdown('[x](javascript:alert(1))')).toBe('[x\\](javascript:alert(1))')
    expect(userMarkdown('[x]( JavaScript:alert(1))')).toBe('[x\\]( JavaScript:alert(1))')
    expect(userMarkdown('[x](jav&#x61;script:alert(1))')).toBe('[x\\](jav&#x61;script:alert(1))')
    expect(userMarkdown('[x](javascript&colon;alert(1))')).toBe('[x\\](javascript&colon;alert(1))')
    expect(userMarkdown('![i](data:image/svg+xml,<svg>)')).toBe('![i\\](data:image/svg+xml,&lt;svg>)')
    expect(userMarkdown('[x](<javascript:alert(1)>)')).toBe('[x\\](&lt;javascript:alert(1)>)')
    expect(userMarkdown('[ok](assets/a.png) [ok](#top) [ok](../x) [ok](mailto:a@b.c)')).toBe('[ok](assets/a.png) [ok](#top) [ok](../x) [ok](mailto:a@b.c)')
    expect(userMarkdown('[id]: javascript:alert(1)\n\n[x][id]')).toBe('\\[id]: javascript:alert(1)\n\n[x][id]')
    expect(userMarkdown('<javascript:alert(1)>')).toBe('&lt;javascript:alert(1)>')
  })

  it('leaves fenced code alone and closes an unclosed fence', () => {
    expect(userMarkdown('```html\n<b>x</b>\n```\n<i>')).toBe('```html\n<b>x</b>\n```\n&lt;i>')
    expect(userMarkdown('~~~~\n<b>\n~~~\n~~~~')).toBe('~~~~\n<b>\n~~~\n~~~~')
    expect(userMarkdown('```\n<b>')).toBe('```\n<b>\n```')
  })

  it('does not let a code span reach across paragraphs to shield HTML', () => {
    expect(userMarkdown('`a\n\n<script>x</script>\n\nb`')).toBe('`a\n\n&lt;script>x&lt;/script>\n\nb`')
    expect(userMarkdown('`a\n<b>`')).toBe('`a\n<b>`')
  })
})
