// The user's annotations of the open capture: a title and introduction for the file, and per
// packet a note, a step label and highlighted fields.
import type { Annotation, FileAnnotations } from '../../shared/contract'

export class AnnotationStore {
  private title = ''
  private intro = ''
  private readonly packets = new Map<number, Annotation>()

  clear(): void {
    this.title = ''
    this.intro = ''
    this.packets.clear()
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
    for (const p of a.packets) {
      const empty = p.note === '' && p.step === '' && p.highlights.length === 0
      if (!empty) this.packets.set(p.no, structuredClone(p))
    }
  }

  of(no: number): Annotation | undefined {
    return this.packets.get(no)
  }

  frames(): number[] {
    return [...this.packets.keys()]
  }

  /** Picks up annotations saved by Wirenote in the file's packet comments. */
  loadFromComments(_comments: ReadonlyMap<number, readonly string[]>): void {
    // Decoding lands with the annotation format (src/shared/annotations).
  }
}
