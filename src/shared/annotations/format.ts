// How annotations live in a pcapng file (spec: docs/annotations.md). Each annotation is one
// packet opt_comment: the human-readable note first (what Wireshark shows), then a fenced
// machine-readable section holding the exact values as one line of JSON. Per-file title and
// intro go the same way in the Section Header Block's comments. A comment is ours only if it is
// byte-for-byte what we would write for the data it carries; anything else is a foreign comment,
// kept verbatim. Values too long for one option (16-bit length) are split over several comments.
import type { Annotation } from '../contract'

export const FORMAT_VERSION = 1
export const ANNOTATION_TAG = 'wirenote-annotation'
export const FILE_TAG = 'wirenote-file'
/** opt_comment's length field is 16 bits. */
export const MAX_COMMENT_BYTES = 65535
/** When a record has to be split: JSON bytes per comment, and the most of the human text kept. */
const CHUNK_BYTES = 32768
const HUMAN_BYTES_WHEN_SPLIT = 16384

/** The per-packet part of an annotation (the frame number is the packet the comment is on). */
export type PacketNote = Omit<Annotation, 'no'>

export interface FileHeader {
  title: string
  intro: string
}

export interface DecodedPacketComments {
  annotation: PacketNote | null
  /** Comments that are not ours (other tools, Wireshark edits, newer format versions), in file order. */
  foreign: string[]
}

export interface DecodedFileComments {
  header: FileHeader | null
  foreign: string[]
}

export function isEmptyNote(a: PacketNote): boolean {
  return a.note === '' && a.step === '' && a.highlights.length === 0
}

// ---- text helpers ----------------------------------------------------------------------

/** Lone surrogates → U+FFFD (what UTF-8 in the file would make of them anyway). */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

/** Human-readable text: well-formed, no control characters except tab and newline. */
function humanClean(s: string): string {
  return wellFormed(s).replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd')
}

const encoder = new TextEncoder()

export function utf8Length(s: string): number {
  return encoder.encode(s).length
}

/** The longest prefix of `s` (whole code points) that fits in `bytes` UTF-8 bytes, and the rest. */
function cutUtf8(s: string, bytes: number): [string, string] {
  let used = 0
  let i = 0
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    if (used + n > bytes) break
    used += n
    i += ch.length
  }
  return [s.slice(0, i), s.slice(i)]
}

// ---- records: human text + fenced JSON, split when too long --------------------------------

function encodeRecord(tag: string, human: string, json: string): string[] {
  const single = `${human}\n\n\`\`\`${tag} v${FORMAT_VERSION}\n${json}\n\`\`\``
  if (utf8Length(single) <= MAX_COMMENT_BYTES) return [single]
  const chunks: string[] = []
  for (let rest = json; rest !== ''; ) {
    const [head, tail] = cutUtf8(rest, CHUNK_BYTES)
    chunks.push(head)
    rest = tail
  }
  let shortHuman = human
  if (utf8Length(human) > HUMAN_BYTES_WHEN_SPLIT) shortHuman = cutUtf8(human, HUMAN_BYTES_WHEN_SPLIT - 3)[0] + '…'
  const n = chunks.length
  return chunks.map((c, i) => {
    const fence = `\`\`\`${tag} v${FORMAT_VERSION} ${i + 1}/${n}\n${c}\n\`\`\``
    return i === 0 ? `${shortHuman}\n\n${fence}` : fence
  })
}

interface Piece {
  tag: string
  version: number
  part: number
  total: number
  payload: string
  /** Text before the fence (first piece only). */
  human: string | null
}

const OPENER = /^```(wirenote-[a-z]+) v(\d+)(?: (\d+)\/(\d+))?$/

/** Reads the fenced tail of a comment: "...\n\n```tag vN[ k/n]\n<one line>\n```" (or only the fence for k > 1). */
function parsePiece(comment: string): Piece | null {
  if (!comment.endsWith('\n```')) return null
  const body = comment.slice(0, -4)
  const payloadStart = body.lastIndexOf('\n')
  if (payloadStart < 0) return null
  const payload = body.slice(payloadStart + 1)
  const beforePayload = body.slice(0, payloadStart)
  const openerStart = beforePayload.lastIndexOf('\n') + 1
  const m = OPENER.exec(beforePayload.slice(openerStart))
  if (!m) return null
  const part = m[3] ? Number(m[3]) : 1
  const total = m[4] ? Number(m[4]) : 1
  let human: string | null = null
  if (openerStart > 0) {
    if (!beforePayload.slice(0, openerStart).endsWith('\n\n')) return null
    human = beforePayload.slice(0, openerStart - 2)
  }
  return { tag: m[1]!, version: Number(m[2]), part, total, payload, human }
}

/**
 * Finds the first record of `tag` in the comments whose re-encoding is exactly the comments it
 * spans. Returns its value and the indices it used; every other comment is foreign.
 */
function findRecord<T>(
  comments: readonly string[],
  tag: string,
  fromJson: (v: unknown) => T | null,
  encode: (value: T) => string[]
): { value: T | null; used: Set<number> } {
  for (let i = 0; i < comments.length; i++) {
    const first = parsePiece(comments[i]!)
    if (!first || first.tag !== tag || first.version !== FORMAT_VERSION || first.part !== 1 || first.human === null) continue
    if (first.total < 1 || i + first.total > comments.length) continue
    let json = first.payload
    let ok = true
    for (let k = 2; k <= first.total && ok; k++) {
      const p = parsePiece(comments[i + k - 1]!)
      if (!p || p.tag !== tag || p.version !== FORMAT_VERSION || p.part !== k || p.total !== first.total || p.human !== null) ok = false
      else json += p.payload
    }
    if (!ok) continue
    let parsed: unknown
    try {
      parsed = JSON.parse(json)
    } catch {
      continue
    }
    const value = fromJson(parsed)
    if (value === null) continue
    const again = encode(value)
    const span = comments.slice(i, i + first.total)
    if (again.length !== span.length || again.some((c, k) => c !== span[k])) continue
    return { value, used: new Set(Array.from({ length: first.total }, (_, k) => i + k)) }
  }
  return { value: null, used: new Set() }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

// ---- packet annotations ------------------------------------------------------------------

/** What Wireshark shows: step label, note, highlighted field names; blank lines between. */
export function humanAnnotationText(a: PacketNote): string {
  const parts: string[] = []
  if (a.step !== '') parts.push(humanClean(a.step))
  if (a.note !== '') parts.push(humanClean(a.note))
  if (a.highlights.length) parts.push('Highlighted: ' + a.highlights.map((h) => humanClean(h.name)).join(', '))
  return parts.join('\n\n')
}

function annotationJson(a: PacketNote): string {
  // Fixed key order: the encoding of a value is unique, which is what decoding checks.
  return JSON.stringify({
    v: FORMAT_VERSION,
    step: a.step,
    note: a.note,
    highlights: a.highlights.map((h) => ({ name: h.name, off: h.off, len: h.len }))
  })
}

export function encodeAnnotation(a: PacketNote): string[] {
  return encodeRecord(ANNOTATION_TAG, humanAnnotationText(a), annotationJson(a))
}

function annotationFromJson(v: unknown): PacketNote | null {
  if (!isRecord(v) || v.v !== FORMAT_VERSION || typeof v.step !== 'string' || typeof v.note !== 'string' || !Array.isArray(v.highlights)) return null
  const highlights: PacketNote['highlights'] = []
  for (const h of v.highlights) {
    if (!isRecord(h) || typeof h.name !== 'string' || !isCount(h.off) || !isCount(h.len)) return null
    highlights.push({ name: h.name, off: h.off, len: h.len })
  }
  return { step: v.step, note: v.note, highlights }
}

/** The opt_comments to write for a packet: the annotation's comment(s) first, then the foreign ones unchanged. */
export function encodePacketComments(annotation: PacketNote | null | undefined, foreign: readonly string[] = []): string[] {
  return [...(annotation ? encodeAnnotation(annotation) : []), ...foreign]
}

export function decodePacketComments(comments: readonly string[]): DecodedPacketComments {
  const { value, used } = findRecord(comments, ANNOTATION_TAG, annotationFromJson, encodeAnnotation)
  return { annotation: value, foreign: comments.filter((_, i) => !used.has(i)) }
}

// ---- per-file title and intro (Section Header Block comments) ----------------------------

export function humanFileText(h: FileHeader): string {
  return [h.title, h.intro].filter((s) => s !== '').map(humanClean).join('\n\n')
}

export function encodeFileHeader(h: FileHeader): string[] {
  return encodeRecord(FILE_TAG, humanFileText(h), JSON.stringify({ v: FORMAT_VERSION, title: h.title, intro: h.intro }))
}

function headerFromJson(v: unknown): FileHeader | null {
  if (!isRecord(v) || v.v !== FORMAT_VERSION || typeof v.title !== 'string' || typeof v.intro !== 'string') return null
  return { title: v.title, intro: v.intro }
}

/** The SHB opt_comments to write: the header's comment(s) first (none when title and intro are empty), then the foreign ones. */
export function encodeFileComments(header: FileHeader | null | undefined, foreign: readonly string[] = []): string[] {
  const has = header && (header.title !== '' || header.intro !== '')
  return [...(has ? encodeFileHeader(header) : []), ...foreign]
}

export function decodeFileComments(comments: readonly string[]): DecodedFileComments {
  const { value, used } = findRecord(comments, FILE_TAG, headerFromJson, encodeFileHeader)
  return { header: value, foreign: comments.filter((_, i) => !used.has(i)) }
}
