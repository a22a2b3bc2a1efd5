// The user's annotations of the open capture: a title and introduction for the file, and per
// packet a note, a step label and highlighted fields. Comments other tools wrote are kept
// apart, verbatim, so saving writes them back unchanged (src/shared/annotations/format.ts).
import type { Annotation, FileAnnotations } from '../../shared/contract'
import {
  decodeFileComments,
  decodePacketComments,
  encodeFileComments,
  encodePacketComments,
  humanAnnotationText,
  isEmptyNote
} from '../../shared/annotations/format'

export class AnnotationStore {
  private title = ''
  private intro = ''
  private readonly packets = new Map<number, Annotation>()
  /** Comments of other tools, per frame and on the section header. */
  private readonly foreign = new Map<number, readonly string[]>()
  private foreignFile: readonly string[] = []

  clear(): void {
    this.title = ''
    this.intro = ''
    this.packets.clear()
    this.foreign.clear()
    this.foreignFile = []
  }

  get(): FileAnnotations {
    return {
      title: this.title,
      intro: this.intro,
      packets: [...this.packets.values()].sort((a, b) => a.no - b.no).map((a) => structuredClone(a))
    }
  }

  set(a: FileAnnotations): void {
    this.title = a.title
    this.intro = a.intro
    this.packets.clear()
    for (const p of a.packets) if (!isEmptyNote(p)) this.packets.set(p.no, structuredClone(p))
  }

  of(no: number): Annotation | undefined {
    return this.packets.get(no)
  }

  frames(): number[] {
    return [...this.packets.keys()]
  }

  /** Splits a file's comments into Wirenote's annotations and everyone else's. */
  load(packetComments: ReadonlyMap<number, readonly string[]>, sectionComments: readonly string[]): void {
    this.clear()
    const file = decodeFileComments(sectionComments)
    if (file.header) {
      this.title = file.header.title
      this.intro = file.header.intro
    }
    this.foreignFile = file.foreign
    for (const [no, comments] of packetComments) {
      const { annotation, foreign } = decodePacketComments(comments)
      if (annotation && !isEmptyNote(annotation)) this.packets.set(no, { no, ...annotation })
      if (foreign.length) this.foreign.set(no, foreign)
    }
  }

  /** The comments Wireshark would show for a frame: other tools' first, then our note's text. */
  displayComments(no: number): readonly string[] {
    const foreign = this.foreign.get(no) ?? []
    const a = this.packets.get(no)
    if (!a) return foreign
    const { no: _no, ...note } = a
    return [...foreign, humanAnnotationText(note)]
  }

  /** The opt_comments to save for a frame. */
  packetComments(no: number): string[] {
    const a = this.packets.get(no)
    const note = a ? { step: a.step, note: a.note, highlights: a.highlights } : null
    return encodePacketComments(note, this.foreign.get(no) ?? [])
  }

  /** The Section Header Block comments to save. */
  fileComments(): string[] {
    return encodeFileComments({ title: this.title, intro: this.intro }, this.foreignFile)
  }

  /** Frames that need comments written (annotated or carrying other tools' comments). */
  commentedFrames(): Set<number> {
    return new Set([...this.packets.keys(), ...this.foreign.keys()])
  }
}
