// The exported note: front matter, intro, diagram, handshake table, checks, and one section per
// annotated packet. Every value from the capture goes through mdText/mdCode; the user's intro and
// notes through userMarkdown.
import type { Annotation, StreamDetail, StreamPacket } from '../contract'
import { formatCheck, handshakeChecks, handshakePackets, teardownChecks, type SeqCheck } from '../diagram/checks'
import { flagsText, formatEndpoint, formatRelTime, formatSeq, hex32, TCP_ACK, type SeqFormat } from '../diagram/format'
import type { Lang } from '../diagram/i18n'
import { mdCell, mdCode, mdText, userMarkdown, yamlString } from './escape'
import { NOTE_STRINGS } from './i18n'

export type FrontMatter = 'none' | 'jekyll' | 'hexo'

export interface NotePacket {
  annotation: Annotation
  /** The packet's Info column (wire data). */
  summary: string
  /** Card image paths relative to note.md ("assets/packet-4.png"). */
  png: string
  svg: string
}

export interface NoteInput {
  lang: Lang
  frontMatter: FrontMatter
  seqFormat: SeqFormat
  wholeStream: boolean
  /** Front matter date. */
  date: Date
  categories: string[]
  /** Capture file name, shown in the note. */
  fileName: string
  stream: StreamDetail
  /** The file's title and intro ('' for none: a default title, no intro). */
  title: string
  intro: string
  /** Paths relative to note.md, and the Mermaid text (null: no Mermaid block). */
  diagram: { png: string; svg: string; mermaid: string | null }
  packets: NotePacket[]
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

/** "2024-05-01 12:00:00" in UTC. */
function utcStamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
}

function frontMatter(kind: FrontMatter, title: string, date: Date, categories: string[]): string[] {
  if (kind === 'none') return []
  if (kind === 'jekyll') {
    return ['---', 'layout: post', `title: ${yamlString(title)}`, `date: ${utcStamp(date)} +0000`, `categories: [${categories.map(yamlString).join(', ')}]`, '---', '']
  }
  return ['---', `title: ${yamlString(title)}`, `date: ${utcStamp(date)}`, 'categories:', ...categories.map((c) => `  - ${yamlString(c)}`), '---', '']
}

function handshakeTable(input: NoteInput, rows: StreamPacket[]): string[] {
  const t = NOTE_STRINGS[input.lang]
  const c = t.cols
  const client = formatEndpoint(input.stream.client)
  const server = formatEndpoint(input.stream.server)
  const out = [
    `| ${c.no} | ${c.time} | ${c.path} | ${c.flags} | ${c.seqRaw} | ${c.ackRaw} | ${c.seqRel} | ${c.ackRel} |`,
    '| ---: | ---: | --- | --- | --- | --- | ---: | ---: |'
  ]
  for (const p of rows) {
    const path = p.fromClient ? `${client} → ${server}` : `${server} → ${client}`
    const acked = (p.flags & TCP_ACK) !== 0
    out.push(
      `| ${p.no} | ${formatRelTime(p.rel)} | ${mdCell(path)} | ${mdCell(flagsText(p.flags))} | \`${hex32(p.seqRaw)}\` | ${acked ? `\`${hex32(p.ackRaw)}\`` : '—'} | ${formatSeq(p, 'seq', 'relative')} | ${acked ? formatSeq(p, 'ack', 'relative') : '—'} |`
    )
  }
  return out
}

function checkLine(input: NoteInput, c: SeqCheck): string {
  const t = NOTE_STRINGS[input.lang]
  const fmt = input.seqFormat === 'dec' ? 'dec' : 'hex'
  const words = c.no === null ? t.finUnanswered(String(c.refNo)) : t.check[c.id](String(c.no), String(c.refNo))
  return `- ${words}${input.lang === 'zh-CN' ? '' : ' '}${mdCode(formatCheck(c, fmt))}`
}

function packetSection(input: NoteInput, p: NotePacket): string[] {
  const t = NOTE_STRINGS[input.lang]
  const colon = input.lang === 'zh-CN' ? '：' : ': '
  const a = p.annotation
  const out = [`### ${t.packetHeading(a.no, mdText(a.step))}`, '', `![${t.packetAlt(a.no)}](${p.png})`, '']
  const sep = input.lang === 'zh-CN' ? '' : ' '
  out.push(`${t.summary}${colon}${mdText(p.summary.trim())}${sep}${t.paren(`[${t.packetSvg}](${p.svg})`)}`, '')
  const note = userMarkdown(a.note).trim()
  if (note) out.push(note, '')
  if (a.highlights.length) {
    const fields = a.highlights.map((h) => `${mdCode(h.name)}${sep}${t.paren(h.len > 0 ? t.byteRange(h.off, h.len) : t.offset(h.off))}`)
    out.push(`${t.highlighted}${colon}${fields.join(input.lang === 'zh-CN' ? '，' : ', ')}`, '')
  }
  return out
}

export function generateNote(input: NoteInput): string {
  const t = NOTE_STRINGS[input.lang]
  const d = input.stream
  const client = formatEndpoint(d.client)
  const server = formatEndpoint(d.server)
  const title = input.title.trim() !== '' ? input.title : t.defaultTitle(d.stream, client, server)
  const out: string[] = [...frontMatter(input.frontMatter, title, input.date, input.categories)]
  out.push(`# ${mdText(title)}`, '')
  out.push(t.source(mdText(input.fileName), d.stream, mdText(client), mdText(server)), '')
  const intro = userMarkdown(input.intro).trim()
  if (intro) out.push(intro, '')

  out.push(`## ${t.diagram}`, '', `![${t.diagramAlt(d.stream)}](${input.diagram.png})`, '', `[${t.diagramSvg}](${input.diagram.svg})`, '')
  if (input.diagram.mermaid !== null) out.push('```mermaid', input.diagram.mermaid.trimEnd(), '```', '')

  out.push(`## ${t.handshake}`, '')
  const steps = handshakePackets(d).filter((p): p is StreamPacket => p !== undefined)
  if (steps.length) out.push(...handshakeTable(input, steps), '')
  else out.push(t.noHandshake, '')

  const checks = [...handshakeChecks(d), ...(input.wholeStream ? teardownChecks(d) : [])]
  if (checks.length) {
    out.push(`## ${t.checks}`, '')
    const [syn, synAck] = handshakePackets(d)
    const fmt = input.seqFormat === 'dec' ? 'dec' : 'hex'
    if (syn && synAck) {
      const v = (n: number) => mdCode(fmt === 'dec' ? String(n >>> 0) : hex32(n))
      out.push(t.isn(v(syn.seqRaw), v(synAck.seqRaw)), '')
    }
    out.push(...checks.map((c) => checkLine(input, c)), '')
  }

  if (input.packets.length) {
    out.push(`## ${t.packets}`, '')
    for (const p of input.packets) out.push(...packetSection(input, p))
  }
  while (out[out.length - 1] === '') out.pop()
  return out.join('\n') + '\n'
}
