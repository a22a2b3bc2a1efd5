// "Export note" from fixtures built from real captures (test/golden/make-fixtures.mjs): the
// Markdown is compared with reviewed golden files; WIRENOTE_UPDATE_GOLDEN=1 rewrites them.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FileAnnotations, PacketDetails, StreamDetail } from '../src/shared/contract'
import { exportNote, safeAssetName, type ExportNoteOptions } from '../src/main/export/note'
import type { NoteSource } from '../src/main/export/source'

interface Fixture {
  fileName: string
  stream: StreamDetail
  details: Record<string, PacketDetails>
  annotations: FileAnnotations
}

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url)
const load = (name: string) => JSON.parse(readFileSync(golden(name), 'utf8')) as Fixture
const update = process.env.WIRENOTE_UPDATE_GOLDEN === '1'

function source(f: Fixture): NoteSource {
  return {
    fileName: f.fileName,
    streamDetail: (n) => {
      if (n !== f.stream.stream) throw new Error(`no stream ${n}`)
      return f.stream
    },
    packetDetails: async (no) => {
      const d = f.details[no]
      if (!d) throw new Error(`no details for ${no}`)
      return d
    },
    packetSummary: (no) => (no === 8 ? 'Client Hello (SNI=<script>x</script>](javascript:alert(1))`.example)' : ''),
    annotations: () => f.annotations
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'wirenote-note-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const date = new Date(Date.UTC(2024, 4, 1, 12, 30, 0))

async function run(fixture: string, goldenName: string, opts: Omit<ExportNoteOptions, 'outDir' | 'stream'>) {
  const outDir = join(tmp, goldenName)
  const result = await exportNote(source(load(fixture)), { stream: 0, outDir, date, ...opts })
  const md = readFileSync(join(outDir, 'note.md'), 'utf8')
  if (update) writeFileSync(golden(goldenName), md)
  return { result, md, outDir, expected: readFileSync(golden(goldenName), 'utf8') }
}

/** The Markdown body without its front matter (YAML data: the user's title as plain text). */
function body(md: string): string {
  return md.replace(/^---\n[\s\S]*?\n---\n/, '')
}

/** Markdown body outside fenced code blocks and code spans (where `<` is shown as is). */
function prose(md: string): string {
  return body(md).replace(/^```[\s\S]*?^```$/gm, '').replace(/(`+)[\s\S]*?\1/g, '')
}

describe('export note', () => {
  it('writes note.md and its images for the corpus handshake (en, Jekyll)', async () => {
    const { result, md, outDir, expected } = await run('stream-fin.fixture.json', 'note-stream-fin-en.md', { frontMatter: 'jekyll', lang: 'en' })
    expect(md).toBe(expected)
    expect(result.dir).toBe(outDir)
    expect(result.files).toEqual([
      'note.md',
      'assets/diagram.png',
      'assets/diagram.svg',
      ...[1, 2, 3, 4].flatMap((n) => [`assets/packet-${n}.png`, `assets/packet-${n}.svg`])
    ])
    for (const f of result.files) expect(lstatSync(join(outDir, f)).size).toBeGreaterThan(100)
    // Every image the note links to exists.
    for (const m of md.matchAll(/\]\((assets\/[^)]+)\)/g)) expect(existsSync(join(outDir, m[1]!))).toBe(true)
    expect(md).toContain('`Ack 0xeed85695 = Seq 0xeed85694 + 1 ✓`')
    expect(md).toContain('| 2 | 0.167499 | 77.67.44.206:80 → 192.168.1.2:49486 | SYN, ACK | `0x91f74ad8` | `0xeed85695` | 0 | 1 |')
    expect(md).toContain('```mermaid\nsequenceDiagram\n')
  })

  it('writes the whole stream in Chinese with Hexo front matter and teardown checks', async () => {
    const { md, expected } = await run('stream-fin.fixture.json', 'note-stream-fin-zh-CN.md', {
      frontMatter: 'hexo',
      lang: 'zh-CN',
      wholeStream: true,
      textbook: true,
      seqFormat: 'dec',
      theme: 'dark',
      mermaid: false,
      categories: ['网络', 'TCP']
    })
    expect(md).toBe(expected)
    expect(md).toContain('第 15 个分组确认第 14 个分组的 FIN：`Ack 4007155717 = Seq 4007155716 + 1 ✓`')
    expect(md).not.toContain('```mermaid')
    expect(md.startsWith('---\ntitle: "What happens when my PC fetches an AVG update over HTTP"\ndate: 2024-05-01 12:30:00\ncategories:\n  - "网络"\n  - "TCP"\n---\n')).toBe(true)
  })

  it('escapes a capture whose URI, Host and SNI carry <script>, ](javascript:...) and backticks', async () => {
    const { md, outDir, expected, result } = await run('hostile.fixture.json', 'note-hostile.md', { frontMatter: 'jekyll', lang: 'en' })
    expect(md).toBe(expected)
    const text = prose(md)
    expect(text).not.toMatch(/<[a-z!/?]/i) // no raw HTML anywhere outside code
    expect(text).not.toMatch(/(?<!\\)\]\(\s*<?\s*javascript:/i) // no script link
    expect(body(md)).not.toMatch(/\{\{|\{%/) // nothing for Liquid/Nunjucks
    // The title is YAML data, quoted and escaped; the heading shows it as text.
    expect(md).toContain('title: "Title with <script>alert(1)</script> and \\"quotes\\": {{ site.title }} {% raw %}"\n')
    expect(md).toContain('# Title with &lt;script&gt;alert(1)&lt;/script&gt; and "quotes": &#123;&#123; site.title &#125;&#125; &#123;&#37; raw &#37;&#125;\n')
    // The hostile values are there, as text.
    expect(md).toContain('GET /&lt;script&gt;alert(1)&lt;/script&gt;\\](javascript:alert(1))\\`rm\\`\\|x HTTP/1.1')
    expect(md).toContain('Client Hello (SNI=&lt;script&gt;x&lt;/script&gt;\\](javascript:alert(1))\\`.example)')
    // Packet 8 (stream 1) is annotated too: its section is in the note.
    expect(result.files).toContain('assets/packet-8.png')
    for (const f of result.files.filter((f) => f.endsWith('.svg'))) {
      const svg = readFileSync(join(outDir, f), 'utf8')
      expect(svg).not.toMatch(/<(script|img|iframe|a|foreignObject)\b/i)
      if (f.includes('packet-')) expect(svg).toContain('&lt;script&gt;')
    }
  })

  it('only the stream\'s annotated packets when asked', async () => {
    const outDir = join(tmp, 'stream-only')
    const r = await exportNote(source(load('hostile.fixture.json')), { stream: 0, outDir, date, packets: 'stream', mermaid: false })
    expect(r.files).toEqual(['note.md', 'assets/diagram.png', 'assets/diagram.svg', 'assets/packet-4.png', 'assets/packet-4.svg'])
  })

  it('never writes outside the chosen folder', async () => {
    expect(safeAssetName('packet-12.png')).toBe('packet-12.png')
    expect(safeAssetName('../../etc/passwd')).toBe('etc-passwd')
    expect(safeAssetName('a/b\\c.png')).toBe('a-b-c.png')
    expect(() => safeAssetName('..')).toThrow()
    expect(() => safeAssetName('a..b')).toThrow()

    const elsewhere = join(tmp, 'elsewhere')
    mkdirSync(elsewhere)
    const linked = join(tmp, 'linked')
    mkdirSync(linked)
    symlinkSync(elsewhere, join(linked, 'assets'))
    await expect(exportNote(source(load('hostile.fixture.json')), { stream: 0, outDir: linked, date })).rejects.toThrow(/symbolic link/)

    const noteLink = join(tmp, 'note-link')
    mkdirSync(noteLink)
    symlinkSync(join(elsewhere, 'target.md'), join(noteLink, 'note.md'))
    await expect(exportNote(source(load('hostile.fixture.json')), { stream: 0, outDir: noteLink, date })).rejects.toThrow(/not a regular file/)
    expect(existsSync(join(elsewhere, 'target.md'))).toBe(false)
    expect(existsSync(join(elsewhere, 'diagram.png'))).toBe(false)
  })
})
