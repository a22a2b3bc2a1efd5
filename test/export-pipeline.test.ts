// `wirenote export` end to end on real captures: the CLI opens the file, the engine decodes it,
// the session feeds the exporter. The hostile capture's HTTP URI and TLS SNI carry `<script>`,
// `](javascript:...)`, backticks and pipes: they must come out as text, never as HTML or links.
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServices } from '../src/main/app/services'
import type { MethodName } from '../src/shared/contract'

const repo = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'wirenote-export-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function wirenote(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repo, 'bin/wirenote.mjs'), ...args], { cwd: repo, encoding: 'utf8', timeout: 120_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Markdown outside code spans and fenced blocks, where Markdown syntax is live. */
function prose(md: string): string {
  return md.replace(/^---\n[\s\S]*?\n---\n/, '').replace(/^```[\s\S]*?^```$/gm, '').replace(/(`+)[\s\S]*?\1/g, '')
}

describe('wirenote export', () => {
  it('writes the handshake note of the bundled sample', () => {
    const out = join(dir, 'sample')
    const r = wirenote('export', join(repo, 'resources/sample/web-visit.pcapng'), '--stream', '0', '--out', out, '--front-matter', 'jekyll')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const md = readFileSync(join(out, 'note.md'), 'utf8')
    expect(md).toMatch(/^---\n(?:.*\n)*?title: /)
    expect(md).toContain('Seq=0x4ce45750')
    expect(md).toContain('Ack 0x4ce45751 = Seq 0x4ce45750 + 1 ✓')
    expect(md).toContain('```mermaid')
    expect(readdirSync(join(out, 'assets')).sort()).toEqual(['diagram.png', 'diagram.svg'])
  })

  it('escapes hostile URIs and SNI from the wire in Markdown, SVG and Mermaid', async () => {
    // Annotating the hostile packets puts their Info (URI, SNI) and details into the note and
    // the cards; the same path as the app: services → session → exporter.
    const svc = await createServices({ mode: 'headless', userDataDir: null })
    try {
      const call = async (m: MethodName, a: unknown): Promise<unknown> => {
        const r = await svc.router.dispatch(m, a)
        if (!r.ok) throw new Error(r.error.message)
        return r.result
      }
      await call('file.open', { path: join(repo, 'test/golden/hostile-uri-sni.pcap') })
      await call('annotations.set', {
        title: 'Title with <img src=x onerror=alert(1)> and ](javascript:alert(1))',
        intro: '',
        packets: [
          { no: 4, step: 'GET', note: 'the request', highlights: [{ name: 'http.request.uri', off: 58, len: 60 }] },
          { no: 8, step: 'SNI', note: 'the client hello', highlights: [] }
        ]
      })
      for (const stream of [0, 1]) {
        const out = join(dir, `hostile-${stream}`)
        await call('export.note', { stream, outDir: out, wholeStream: true, frontMatter: 'hexo' })
        const md = readFileSync(join(out, 'note.md'), 'utf8')
        const live = prose(md)
        expect(live).not.toMatch(/<script/i)
        // `\](` is an escaped bracket: text, not a link.
        expect(live).not.toMatch(/(^|[^\\])\]\(javascript:/im)
        expect(live).not.toMatch(/<[a-z]/i)
        const mermaid = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1] ?? ''
        expect(mermaid).not.toMatch(/<script|javascript:|`/i)
        for (const f of readdirSync(join(out, 'assets')).filter((a) => a.endsWith('.svg'))) {
          const svg = readFileSync(join(out, 'assets', f), 'utf8')
          expect(svg, f).not.toMatch(/<script/i)
          expect(svg, f).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i)
        }
        // The values are there, as text: what the reader of the post should see.
        expect(md).toMatch(/script/)
        expect(readFileSync(join(out, 'assets/packet-4.svg'), 'utf8')).toContain('&lt;script&gt;')
      }
    } finally {
      await svc.dispose()
    }
  })

  it('fails clearly on a missing file and on a stream that does not exist', () => {
    const missing = wirenote('export', join(dir, 'nope.pcap'), '--stream', '0', '--out', join(dir, 'x'))
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/no such file/i)
    const noStream = wirenote('export', join(repo, 'resources/sample/web-visit.pcapng'), '--stream', '9', '--out', join(dir, 'y'))
    expect(noStream.status).toBe(1)
    expect(noStream.stderr).toContain('There is no TCP stream 9: the capture has 2.')
  })
})
