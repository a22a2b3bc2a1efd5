// The `tshark -T fields` renderer: one line per frame, one column per requested field, every
// occurrence of a field in tree order joined with ',' (tshark's default aggregator).
import type { Dissection } from '../dissect'
import type { FieldNode } from '../dissect/fields'
import { lookupField } from '../dissect/fields'
import { formatNode } from '../dissect/format'

/** Pseudo-fields for the packet-list columns, as tshark's _ws.col.* . */
const COLUMNS: Readonly<Record<string, (d: Dissection) => string>> = {
  '_ws.col.Info': (d) => d.ctx.info,
  '_ws.col.info': (d) => d.ctx.info,
  '_ws.col.Protocol': (d) => d.ctx.protocol,
  '_ws.col.protocol': (d) => d.ctx.protocol,
  '_ws.col.Source': (d) => d.ctx.src,
  '_ws.col.def_src': (d) => d.ctx.src,
  '_ws.col.Destination': (d) => d.ctx.dst,
  '_ws.col.def_dst': (d) => d.ctx.dst
}

/** Is `name` a field this build can print (registered by some dissector, or a column)? */
export function isKnownField(name: string): boolean {
  return lookupField(name) !== undefined || name in COLUMNS
}

export class FieldsRenderer {
  private readonly index = new Map<string, number[]>()
  private readonly columns: ((d: Dissection) => string)[] = []
  private readonly colAt: number[] = []
  private readonly cells: string[]
  private readonly counts: number[]

  constructor(readonly fields: readonly string[], readonly separator = '\t') {
    fields.forEach((f, i) => {
      const col = COLUMNS[f]
      if (col) {
        this.columns.push(col)
        this.colAt.push(i)
        return
      }
      const list = this.index.get(f)
      if (list) list.push(i)
      else this.index.set(f, [i])
    })
    this.cells = new Array<string>(fields.length).fill('')
    this.counts = new Array<number>(fields.length).fill(0)
  }

  header(): string {
    return this.fields.join(this.separator)
  }

  /** The line of one dissected frame (without newline). */
  line(d: Dissection): string {
    const cells = this.cells
    const counts = this.counts
    for (let i = 0; i < cells.length; i++) {
      cells[i] = ''
      counts[i] = 0
    }
    this.walk(d.tree)
    for (let i = 0; i < this.columns.length; i++) cells[this.colAt[i]!] = this.columns[i]!(d)
    return cells.join(this.separator)
  }

  private walk(nodes: readonly FieldNode[]): void {
    const index = this.index
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!
      const at = index.get(n.name)
      if (at !== undefined) {
        const text = formatNode(n)
        for (const c of at) {
          this.cells[c] = this.counts[c]++ === 0 ? text : this.cells[c] + ',' + text
        }
      }
      if (n.children !== undefined) this.walk(n.children)
    }
  }
}
