import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import {
  decodeFileComments,
  decodePacketComments,
  encodeAnnotation,
  encodeFileComments,
  encodePacketComments,
  MAX_COMMENT_BYTES,
  utf8Length,
  type PacketNote
} from '../src/shared/annotations/format'
import { openCaptureFile } from '../src/main/capfile/open'
import { PcapngWriter } from '../src/main/capfile/pcapng/writer'

const FENCE = '```wirenote-annotation v1'

/** What a pcapng file does to a comment: UTF-8 out and back in. */
const utf8 = (s: string) => new TextDecoder().decode(new TextEncoder().encode(s))

const note: PacketNote = {
  step: 'Step 1 · SYN',
  note: 'The client picks **x**.\n\n客户端选择初始序号。',
  highlights: [
    { name: 'tcp.seq_raw', off: 38, len: 4 },
    { name: 'tcp.flags.syn', off: 47, len: 1 }
  ]
}

// Text made to confuse the format: our fence, JSON, backticks, newlines, lone surrogates.
const tricky = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  { weight: 2, arbitrary: fc.constantFrom('\n', '\r\n', '\n\n', '`', '```', '\u2028', '\u0000', '"', '\\', '}', '{') },
  { weight: 2, arbitrary: fc.constantFrom(FENCE, `${FENCE} 1/2`, '```wirenote-file v1', '```wirenote-annotation v2', '{"v":1,"step":"","note":"","highlights":[]}') },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\udbff\udfff') }
)
const text = fc.string({ unit: tricky, maxLength: 12 })
const highlight = fc.record({ name: text, off: fc.nat(), len: fc.nat() })
const packetNote = fc.record({ step: text, note: text, highlights: fc.array(highlight, { maxLength: 4 }) })
const wellFormed = (s: string) => utf8(s) === s
const foreignComment = fc.string({ unit: tricky, maxLength: 16 }).filter(wellFormed)

describe('annotation comments', () => {
  it('puts the note where Wireshark shows it, and the exact data in a fenced section', () => {
    const [c, ...rest] = encodeAnnotation(note)
    expect(rest).toEqual([])
    expect(c).toBe(
      'Step 1 · SYN\n\nThe client picks **x**.\n\n客户端选择初始序号。\n\nHighlighted: tcp.seq_raw, tcp.flags.syn\n\n' +
        `${FENCE}\n{"v":1,"step":"Step 1 · SYN","note":"The client picks **x**.\\n\\n客户端选择初始序号。","highlights":[{"name":"tcp.seq_raw","off":38,"len":4},{"name":"tcp.flags.syn","off":47,"len":1}]}\n\`\`\``
    )
    expect(decodePacketComments([c!])).toEqual({ annotation: note, foreign: [] })
  })

  it('keeps foreign comments verbatim and in order', () => {
    const foreign = ['from editcap', 'this is a comment,foobar', '']
    const comments = encodePacketComments(note, foreign)
    expect(comments.slice(1)).toEqual(foreign)
    expect(decodePacketComments(comments)).toEqual({ annotation: note, foreign })
    expect(decodePacketComments(foreign)).toEqual({ annotation: null, foreign })
    expect(encodePacketComments(null, foreign)).toEqual(foreign)
  })

  it('treats an edited comment, a newer version or a broken fence as foreign text', () => {
    const [c] = encodeAnnotation(note)
    const edited = c!.replace('The client picks', 'Wireshark user edit: the client picks')
    const v2 = c!.replace(`${FENCE}\n{"v":1`, '```wirenote-annotation v2\n{"v":2')
    const broken = c!.slice(0, -1)
    for (const comment of [edited, v2, broken]) expect(decodePacketComments([comment])).toEqual({ annotation: null, foreign: [comment] })
  })

  it('round-trips notes that contain the fence itself', () => {
    const sneaky: PacketNote = { step: '', note: `look:\n\n${FENCE}\n{"v":1,"step":"x","note":"fake","highlights":[]}\n\`\`\``, highlights: [] }
    const comments = encodeAnnotation(sneaky)
    expect(decodePacketComments(comments.map(utf8)).annotation).toEqual(sneaky)
    // The same text as a foreign comment is not taken for an annotation.
    expect(decodePacketComments([sneaky.note])).toEqual({ annotation: null, foreign: [sneaky.note] })
  })

  it('splits a note too long for one pcapng option over several comments', () => {
    const long: PacketNote = { step: '长', note: '握手'.repeat(40000) + '\n' + 'x'.repeat(70000), highlights: [] }
    const comments = encodeAnnotation(long)
    expect(comments.length).toBeGreaterThan(2)
    for (const c of comments) expect(utf8Length(c)).toBeLessThanOrEqual(MAX_COMMENT_BYTES)
    expect(comments[0]!.startsWith('长\n\n握手握手')).toBe(true)
    expect(decodePacketComments(comments.map(utf8))).toEqual({ annotation: long, foreign: [] })
    // A missing piece: no annotation, and nothing is lost.
    const partial = [comments[0]!, ...comments.slice(2)]
    expect(decodePacketComments(partial)).toEqual({ annotation: null, foreign: partial })
  })

  it('round-trips any annotation exactly, with any foreign comments (property)', () => {
    fc.assert(
      fc.property(fc.option(packetNote, { nil: null }), fc.array(foreignComment, { maxLength: 3 }), (ann, foreign) => {
        // A foreign comment that is byte-for-byte our encoding of some annotation is one.
        fc.pre(foreign.every((f) => decodePacketComments([f]).annotation === null))
        const stored = encodePacketComments(ann, foreign).map(utf8)
        const back = decodePacketComments(stored)
        expect(back.annotation).toEqual(ann)
        expect(back.foreign).toEqual(foreign)
        // And saving again writes the same comments.
        expect(encodePacketComments(back.annotation, back.foreign).map(utf8)).toEqual(stored)
      }),
      { numRuns: 2000 }
    )
  })
})

describe('file title and intro', () => {
  it('round-trips exactly, keeps foreign section comments, and writes nothing when empty', () => {
    const header = { title: 'TCP 握手 <script>', intro: 'Intro\n\n```wirenote-file v1\n{}\n```' }
    const comments = encodeFileComments(header, ['Captured by dumpcap'])
    expect(comments[0]!.startsWith('TCP 握手 <script>\n\nIntro')).toBe(true)
    expect(decodeFileComments(comments.map(utf8))).toEqual({ header, foreign: ['Captured by dumpcap'] })
    expect(encodeFileComments({ title: '', intro: '' }, ['x'])).toEqual(['x'])
    expect(decodeFileComments(['x'])).toEqual({ header: null, foreign: ['x'] })
    // A packet annotation is not a file header and vice versa.
    expect(decodeFileComments(encodeAnnotation(note)).header).toBeNull()
    expect(decodePacketComments(encodeFileComments(header)).annotation).toBeNull()
  })

  it('round-trips any title and intro (property)', () => {
    fc.assert(
      fc.property(text, text, (title, intro) => {
        fc.pre(title !== '' || intro !== '')
        expect(decodeFileComments(encodeFileComments({ title, intro }).map(utf8)).header).toEqual({ title, intro })
      }),
      { numRuns: 1000 }
    )
  })
})

describe('through a pcapng file read by tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirenote-ann-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const header = { title: 'Visit of example.com', intro: 'DNS, then **TCP**.\n\n中文介绍' }
  const annotations: (PacketNote | null)[] = [
    note,
    null,
    { step: '', note: `Contains the fence:\n${FENCE}\n{"v":1}\n\`\`\`\nand a comma, too`, highlights: [{ name: 'ip.src', off: 26, len: 4 }] },
    { step: 'Long', note: 'ü'.repeat(50000), highlights: [] }
  ]
  const foreign = [['a comment from Wireshark'], [], ['x,y', 'second'], []]

  function writeFile(): string {
    const path = join(dir, 'annotated.pcapng')
    const w = PcapngWriter.toFile(path, { section: { userappl: 'Wirenote test', comments: encodeFileComments(header, ['section comment from another tool']) } })
    const ifc = w.addInterface({ linktype: 1, snaplen: 65535, tsresol: 6 })
    const frame = readFileSync(new URL('./golden/hostile-uri-sni.pcap', import.meta.url)).subarray(24 + 16, 24 + 16 + 66)
    annotations.forEach((a, i) => w.writePacket({ interfaceId: ifc, timestamp: { sec: 1700000000 + i, nsec: 0 }, data: frame, comments: encodePacketComments(a, foreign[i]) }))
    w.close()
    return path
  }

  it('tshark reads the file, shows the note first, and every comment decodes back exactly', () => {
    const path = writeFile()
    const json = execFileSync('tshark', ['-r', path, '-T', 'json', '-e', 'frame.number', '-e', 'frame.comment'], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] })
    const frames = JSON.parse(json) as { _source: { layers: { 'frame.comment'?: string[] } } }[]
    expect(frames).toHaveLength(4)
    frames.forEach((f, i) => {
      const comments = f._source.layers['frame.comment'] ?? []
      const back = decodePacketComments(comments)
      expect(back.annotation).toEqual(annotations[i])
      expect(back.foreign).toEqual(foreign[i])
    })
    // What a Wireshark user sees first in packet 1's comments: the step and the note.
    expect(frames[0]!._source.layers['frame.comment']![0]!.startsWith('Step 1 · SYN\n\nThe client picks **x**.')).toBe(true)
    // The plain `-e frame.comment` fields output works too (comments joined with commas).
    const fields = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8', maxBuffer: 1 << 26 })
    expect(fields.split('\n')[0]).toContain('Step 1 · SYN')
    // The section comments: capinfos lists them.
    const info = execFileSync('capinfos', [path], { encoding: 'utf8' })
    expect(info).toContain('Capture comment:')
    expect(info).toContain('Visit of example.com')
    expect(info).toContain('section comment from another tool')
  })

  it("Wirenote's own reader gets the same comments back", () => {
    const path = writeFile()
    const r = openCaptureFile(path)
    const got: (PacketNote | null)[] = []
    for (let rec = r.next(); rec; rec = r.next()) got.push(decodePacketComments(rec.comments).annotation)
    r.close()
    expect(r.error).toBeNull()
    expect(got).toEqual(annotations)
  })
})
