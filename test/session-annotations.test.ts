// Annotations through the whole app path: annotate, save as pcapng, reopen: everything comes
// back exactly; tshark shows the notes as packet comments; other tools' comments survive.
import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FileAnnotations } from '../src/shared/contract'
import { appHarness } from './app-support'

const corpus = (name: string): string => fileURLToPath(new URL(`../../shared/corpus/${name}`, import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'wirenote-annot-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const app = appHarness()
const call = app.call

function tsharkComments(file: string): string[] {
  const out = execFileSync('tshark', ['-r', file, '-T', 'json', '-e', 'frame.number', '-e', 'frame.comment'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const rows = JSON.parse(out) as { _source: { layers: { 'frame.number': string[]; 'frame.comment'?: string[] } } }[]
  return rows.map((r) => (r._source.layers['frame.comment'] ?? []).join('\u0000'))
}

const notes: FileAnnotations = {
  title: '打开 example.com 时发生了什么 — a <b>visit</b>',
  intro: 'Line one\n\n```wirenote-annotation v1\n{"looks":"like our fence"}\n```\nand `code` | pipes',
  packets: [
    { no: 3, step: '① SYN', note: 'Seq = **x** = 0x4ce45750\n\n> quoted', highlights: [{ name: 'tcp.seq_raw', off: 38, len: 4 }] },
    { no: 4, step: '② SYN-ACK', note: 'Ack = x + 1 😀', highlights: [{ name: 'tcp.ack_raw', off: 42, len: 4 }, { name: 'tcp.seq_raw', off: 38, len: 4 }] },
    { no: 13, step: '', note: 'TLS ClientHello with SNI', highlights: [] }
  ]
}

describe('annotations through save and reopen', () => {
  it('round-trips exactly and reads as packet comments in tshark', async () => {
    await app.start()
    await call('file.openSample', {})
    await call('annotations.set', notes)
    const saved = join(dir, 'visit-annotated.pcapng')
    expect(await call('file.save', { path: saved })).toEqual({ path: saved })
    // Saving made the saved file the open one.
    expect((await call('file.current', {})).path).toBe(saved)
    expect(await call('annotations.get', {})).toEqual({ ...notes, unsaved: false })

    // A fresh app reading the file finds the same annotations.
    await app.start()
    expect((await call('file.open', { path: saved })).packets).toBe(17)
    expect(await call('annotations.get', {})).toEqual({ ...notes, unsaved: false })
    const rows = (await call('view.rows', { start: 0, count: 17 })).rows
    expect(rows.filter((r) => r.annotated).map((r) => r.no)).toEqual([3, 4, 13])

    // Wireshark's view: the human-readable note first in the comment.
    const comments = tsharkComments(saved)
    expect(comments).toHaveLength(17)
    expect(comments[2]).toMatch(/^① SYN\n\nSeq = \*\*x\*\* = 0x4ce45750/)
    expect(comments[3]).toContain('Ack = x + 1 😀')
    expect(comments[0]).toBe('')
    // The details pane shows the note as Wireshark would, not the machine-readable part.
    const details = await call('packet.details', { no: 3 })
    const commentNode = details.tree.find((n) => n.name === 'pkt_comment')
    expect(commentNode?.children?.[0]?.label).toMatch(/^① SYN/)
    expect(JSON.stringify(details.tree)).not.toContain('wirenote-annotation')
  })

  it('keeps comments written by other tools next to ours', async () => {
    await app.start()
    await call('file.open', { path: corpus('pcpp-pcapng-example.pcapng') })
    const before = tsharkComments(corpus('pcpp-pcapng-example.pcapng'))
    expect(before[59]).toBe('Packet #1')
    await call('annotations.set', { title: 'T', intro: '', packets: [{ no: 60, step: 'mine', note: 'note', highlights: [] }] })
    const saved = join(dir, 'foreign.pcapng')
    await call('file.save', { path: saved })
    const after = tsharkComments(saved)
    expect(after).toHaveLength(before.length)
    expect(after[59]!.split('\u0000')).toEqual([expect.stringMatching(/^mine\n\nnote/), 'Packet #1'])
    for (let i = 0; i < before.length; i++) if (i !== 59) expect(after[i], `frame ${i + 1}`).toBe(before[i])
    expect((await call('annotations.get', {})).packets).toEqual([{ no: 60, step: 'mine', note: 'note', highlights: [] }])
    // Nothing else changed: times (this file has 64-bit µs values), lengths, bytes.
    const fields = (f: string): string =>
      execFileSync('tshark', ['-r', f, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.protocols', '-e', 'tcp.seq_raw'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    expect(fields(saved)).toBe(fields(corpus('pcpp-pcapng-example.pcapng')))
  })
})
