// "Export note": writes note.md and its images (assets/*.png at 2× and assets/*.svg) into one
// folder, from the open capture (NoteSource). Nothing is written outside that folder.
import { lstat, mkdir, writeFile } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import type { Annotation } from '../../shared/contract'
import type { Lang } from '../../shared/diagram/i18n'
import { layoutDiagram, type SeqFormat } from '../../shared/diagram/layout'
import { diagramToMermaid } from '../../shared/diagram/mermaid'
import { diagramToSvg, type Theme } from '../../shared/diagram/svg'
import { generateNote, type FrontMatter, type NotePacket } from '../../shared/note/markdown'
import { packetCardSvg } from './card'
import { svgToPngAsync } from './png'
import type { NoteSource } from './source'

/** The contract's `export.note` arguments, plus a few that only the CLI and tests set. */
export interface ExportNoteOptions {
  stream: number
  outDir: string
  lang?: Lang
  frontMatter?: FrontMatter
  seqFormat?: SeqFormat
  theme?: Theme
  mermaid?: boolean
  wholeStream?: boolean
  /** Draw the handshake with x / y symbols too (default false). */
  textbook?: boolean
  /** Sections for every annotated packet of the file (default) or only those of the stream. */
  packets?: 'all' | 'stream'
  /** Front matter date (default: now). */
  date?: Date
  /** Front matter categories (default: ["network"]). */
  categories?: string[]
  /** PNG pixel density (default 2). */
  scale?: number
}

export interface ExportNoteResult {
  /** Absolute path of the folder. */
  dir: string
  /** Files written, relative to `dir`, '/'-separated: "note.md", "assets/diagram.png", ... */
  files: string[]
}

export class ExportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ExportError'
  }
}

/** Only names we make: letters, digits, '-', '.'; no path separators, no leading dot. */
export function safeAssetName(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 100)
  if (clean === '' || clean.includes('..')) throw new ExportError(`unsafe asset name: ${JSON.stringify(name)}`)
  return clean
}

function isAnnotated(a: Annotation): boolean {
  return a.note.trim() !== '' || a.step.trim() !== '' || a.highlights.length > 0
}

/** Refuses symlinks (which could point outside the folder) and non-directories where a folder goes. */
async function ensureDir(path: string): Promise<void> {
  const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null
    throw e
  })
  if (st === null) await mkdir(path, { recursive: true })
  else if (st.isSymbolicLink() || !st.isDirectory()) throw new ExportError(`${path} is not a folder (or is a symbolic link)`)
}

export async function exportNote(source: NoteSource, options: ExportNoteOptions): Promise<ExportNoteResult> {
  const o = {
    lang: 'en' as Lang,
    frontMatter: 'none' as FrontMatter,
    seqFormat: 'hex' as SeqFormat,
    theme: 'light' as Theme,
    mermaid: true,
    wholeStream: false,
    textbook: false,
    packets: 'all' as const,
    categories: ['network'],
    scale: 2,
    ...options
  }
  const dir = resolve(o.outDir)
  const assetsDir = join(dir, 'assets')
  const files: { rel: string; data: string | Buffer }[] = []
  const asset = (name: string, data: string | Buffer) => {
    const rel = `assets/${safeAssetName(name)}`
    files.push({ rel, data })
    return rel
  }

  const detail = await source.streamDetail(o.stream)
  const annotations = await source.annotations()

  const layout = layoutDiagram(detail, { seqFormat: o.seqFormat, wholeStream: o.wholeStream, textbook: o.textbook, lang: o.lang })
  const diagramSvg = diagramToSvg(layout, o.theme)
  const diagramPng = await svgToPngAsync(diagramSvg, { scale: o.scale })
  const diagram = {
    png: asset('diagram.png', diagramPng.png),
    svg: asset('diagram.svg', diagramSvg),
    mermaid: o.mermaid ? diagramToMermaid(layout) : null
  }

  const inStream = new Map(detail.packets.map((p) => [p.no, p]))
  const chosen = annotations.packets
    .filter((a) => isAnnotated(a) && (o.packets === 'all' || inStream.has(a.no)))
    .sort((a, b) => a.no - b.no)
  const packets: NotePacket[] = []
  for (const a of chosen) {
    const details = await source.packetDetails(a.no)
    const summary = inStream.get(a.no)?.info ?? (await source.packetSummary(a.no))
    const card = packetCardSvg({ details, annotation: a, summary, theme: o.theme, lang: o.lang })
    const png = await svgToPngAsync(card.svg, { scale: o.scale })
    packets.push({ annotation: a, summary, png: asset(`packet-${a.no}.png`, png.png), svg: asset(`packet-${a.no}.svg`, card.svg) })
  }

  const markdown = generateNote({
    lang: o.lang,
    frontMatter: o.frontMatter,
    seqFormat: o.seqFormat,
    wholeStream: o.wholeStream,
    date: o.date ?? new Date(),
    categories: o.categories,
    fileName: source.fileName,
    stream: detail,
    title: annotations.title,
    intro: annotations.intro,
    diagram,
    packets
  })
  files.unshift({ rel: 'note.md', data: markdown })

  await ensureDir(dir)
  await ensureDir(assetsDir)
  for (const f of files) {
    const target = resolve(dir, ...f.rel.split('/'))
    if (!target.startsWith(dir + sep)) throw new ExportError(`refusing to write outside ${dir}: ${f.rel}`)
    const st = await lstat(target).catch(() => null)
    if (st && (st.isSymbolicLink() || !st.isFile())) throw new ExportError(`${target} exists and is not a regular file`)
    await writeFile(target, f.data)
  }
  return { dir, files: files.map((f) => f.rel) }
}
