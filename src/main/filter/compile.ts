// Compiles a display-filter AST against the field registry into a predicate over one dissected
// frame. Semantic errors (unknown field, literal not valid for the field's type, operator not
// applicable) carry the span of the offending token and tshark 4.0's wording.
//
// Evaluation: the compiled filter knows every field name it reads; per frame it walks the tree
// once, collecting the occurrences of just those names (hidden nodes included), then runs
// closures built at compile time. A field's values are all its occurrences: `==` holds when
// any value matches, `!=` when all differ (Wireshark 4.0), presence when any occurrence exists.
import {
  parseFilter,
  printFilter,
  printOperand,
  stringText,
  type CompareExpr,
  type CompareOp,
  type Expr,
  type FilterSyntaxError,
  type InExpr,
  type Operand,
  type Quantifier,
  type Span
} from '../../shared/filter'
// The registry fills as dissector modules load: importing them here means a filter compiled
// before anything was dissected still knows every field.
import '../dissect'
import { lookupField, type FieldDef, type FieldNode } from '../dissect/fields'
import { CompileFail, fail } from './errors'
import { frameLoader, type Frame } from './frame'
import type { Ipv4Value } from './literals'
import { OPS } from './ops'
import { compileRegex } from './regex'
import { applyRanges } from './slice'
import { typedLiteral } from './typed-literal'
import { classOf, ftName, intRange, typeName, nodeValue, valueBytes, type Value, type ValueClass } from './types'

export type FieldLookup = (name: string) => FieldDef | undefined

export interface CompileOptions {
  /** Field registry to resolve names against; defaults to the dissectors' registry. */
  lookup?: FieldLookup
}

/** How a filter reads one field (or protocol): what a reader other than the tree must supply. */
export interface FieldUse {
  readonly name: string
  readonly def: FieldDef
  /** Only whether it occurs (a bare `tcp`, `tcp.analysis.flags`). */
  presence: boolean
  /** Its values (comparisons, slices, functions other than count()). */
  values: boolean
  /** count(): the number of occurrences. */
  count: boolean
  /** `field#n`: the layer number of each occurrence. */
  layers: boolean
  /** A protocol's whole data (`tcp contains ...`): extents in the tree. */
  bytes: boolean
}

export interface DisplayFilter {
  /** Canonical text of the filter ('' for the empty filter, which matches every frame). */
  readonly text: string
  /** Names of the fields and protocols the filter reads. */
  readonly fields: readonly string[]
  /** The parsed filter (null for the empty filter). */
  readonly ast: Expr | null
  /** The text the AST's spans point into (the user's spelling), when it was given. */
  readonly source: string | undefined
  /** How each of `fields` is read, in the same order. */
  readonly uses: readonly FieldUse[]
  /**
   * True when the frame passes. `tree` is a tree-mode dissection ([frame, ...layers]); `data`
   * the frame's captured bytes (protocol `contains`/slices read them). Not re-entrant: one
   * call at a time per compiled filter (it reuses its per-frame buffers).
   */
  match(tree: readonly FieldNode[], data: Uint8Array): boolean
  /**
   * The same test over occurrences the caller gathered itself, e.g. from a summary dissection:
   * `slots[i]` holds the nodes of `fields[i]` in the frame. Layer numbers are unknown here (a
   * `field#n` never matches) and a protocol's data is only its node's own bytes in `data` or,
   * for a node with offset -1, its value: see FieldUse for what a filter needs. Not re-entrant.
   */
  evaluate(slots: readonly (readonly FieldNode[])[], data: Uint8Array): boolean
}

export type CompileResult = { ok: true; filter: DisplayFilter } | { ok: false; error: FilterSyntaxError }

/** Parses and compiles a filter; blank text gives the match-all filter. Never throws. */
export function compileFilter(text: string, opts: CompileOptions = {}): CompileResult {
  const parsed = parseFilter(text)
  if (!parsed.ok) return parsed
  return compileFilterAst(parsed.ast, opts, text)
}

/** Compiles an already parsed filter. `text` (the source) makes messages quote the user's spelling. */
export function compileFilterAst(ast: Expr | null, opts: CompileOptions = {}, text?: string): CompileResult {
  try {
    return { ok: true, filter: new Compiler(opts.lookup ?? lookupField, text).build(ast) }
  } catch (e) {
    if (e instanceof CompileFail) return { ok: false, error: e.error }
    return { ok: false, error: { message: `Internal filter compiler error: ${String(e)}`, pos: 0, end: text?.length ?? 0 } }
  }
}

type Pred = (f: Frame) => boolean
type Values = (f: Frame) => Value[]

/** What an operand evaluates to. `type` is a registry field type (or the type a function/slice yields). */
interface Source {
  type: string
  cls: ValueClass
  /** The operand's text, for messages. */
  name: string
  values: Values
  /**
   * Protocols only: Wireshark's `contains` and `matches` search a protocol's whole tvb (what it
   * carries included), while ==, ordering, slices and len() see just the protocol item's bytes.
   */
  wideValues?: Values
  /** Set for a plain field reference. */
  def?: FieldDef
}

const FUNCTIONS_NOT_SUPPORTED = new Set(['string', 'max', 'min', 'abs'])

function opText(op: CompareOp, q: Quantifier): string {
  if (op === '==') return q === 'all' ? '===' : '=='
  if (op === '!=') return q === 'any' ? '!==' : '!='
  return op
}

/** tshark quotes symbolic operators in "Left side of ..." messages but not word operators. */
const quoteOp = (t: string): string => (/^[a-z]/.test(t) ? t : `"${t}"`)

class Compiler {
  private readonly slotOf = new Map<string, number>()
  private readonly slotNames: string[] = []
  private readonly slotUses: FieldUse[] = []
  private usesLayers = false
  /** Slots of protocols whose bytes the filter reads (contains, matches, slices, ==). */
  private readonly protocolBytes = new Set<number>()

  constructor(
    private readonly lookup: FieldLookup,
    private readonly text: string | undefined
  ) {}

  build(ast: Expr | null): DisplayFilter {
    const pred: Pred = ast ? this.expr(ast) : () => true
    const { frame, load } = frameLoader(this.slotNames, this.usesLayers, this.protocolBytes)
    for (const s of this.protocolBytes) this.slotUses[s]!.bytes = true
    // evaluate() runs the same predicates over a frame whose occurrences the caller supplies.
    const given: Frame = { slots: [], layers: this.slotNames.map(() => []), extents: new Map(), data: new Uint8Array(0) }
    return {
      text: printFilter(ast),
      fields: [...this.slotNames],
      ast,
      source: this.text,
      uses: this.slotUses,
      match(tree: readonly FieldNode[], data: Uint8Array): boolean {
        if (!ast) return true
        load(tree, data)
        return pred(frame)
      },
      evaluate(slots: readonly (readonly FieldNode[])[], data: Uint8Array): boolean {
        if (!ast) return true
        given.slots = slots as FieldNode[][]
        given.data = data
        return pred(given)
      }
    }
  }

  /** The slot of a field, noting how the filter reads it. */
  private slot(name: string, use?: 'presence' | 'values' | 'count' | 'layers'): number {
    let s = this.slotOf.get(name)
    if (s === undefined) {
      s = this.slotNames.length
      this.slotOf.set(name, s)
      this.slotNames.push(name)
      this.slotUses.push({ name, def: this.lookup(name)!, presence: false, values: false, count: false, layers: false, bytes: false })
    }
    if (use) this.slotUses[s]![use] = true
    return s
  }

  private source(o: Operand): string {
    return this.text !== undefined ? this.text.slice(o.span.start, o.span.end) : printOperand(o)
  }

  // ---- expressions -------------------------------------------------------------------

  private expr(e: Expr): Pred {
    switch (e.kind) {
      case 'and': {
        const l = this.expr(e.left)
        const r = this.expr(e.right)
        return (f) => l(f) && r(f)
      }
      case 'or': {
        const l = this.expr(e.left)
        const r = this.expr(e.right)
        return (f) => l(f) || r(f)
      }
      case 'not': {
        const x = this.expr(e.expr)
        return (f) => !x(f)
      }
      case 'test':
        return this.test(e.operand)
      case 'compare':
        return this.compare(e)
      case 'in':
        return this.membership(e)
    }
  }

  private test(o: Operand): Pred {
    switch (o.kind) {
      case 'word': {
        const def = this.lookup(o.text)
        if (!def) fail(`${o.text} is neither a field nor a protocol name.`, o.span)
        return this.presence(def, o.layer)
      }
      case 'string':
      case 'char':
        return fail(`${this.source(o)} is neither a field nor a protocol name.`, o.span)
      case 'call':
        return fail('You cannot test whether a function is present.', o.nameSpan)
      case 'slice': {
        const s = this.operandSource(o)
        return (f) => s.values(f).length > 0
      }
      case 'bitand': {
        const s = this.operandSource(o)
        const nonZero =
          s.cls === 'ipv4' ? (v: Value) => (v as Ipv4Value).addr !== 0 : (v: Value) => v !== 0 && v !== 0n
        return (f) => s.values(f).some(nonZero)
      }
    }
  }

  private presence(def: FieldDef, layer: number | undefined): Pred {
    const slot = this.slot(def.name, 'presence')
    if (layer === undefined) return (f) => f.slots[slot].length > 0
    this.slot(def.name, 'layers')
    this.usesLayers = true
    return (f) => f.layers[slot].includes(layer)
  }

  private compare(e: CompareExpr): Pred {
    const op = opText(e.op, e.quantifier)
    const left = this.leftSource(e.left, quoteOp(op))
    const ops = OPS[left.cls]
    const allowed =
      left.cls !== 'none' &&
      (e.op === '==' || e.op === '!='
        ? true
        : e.op === 'contains'
          ? ops.contains !== undefined
          : e.op === 'matches'
            ? ops.text !== undefined
            : ops.cmp !== undefined)
    if (!allowed) fail(`${left.name} (type=${typeName(left.type)}) cannot participate in ${op} comparison.`, e.left.span)

    if (e.op === 'matches') {
      if (e.right.kind !== 'string') fail('Matches requires a double quoted string on the right side.', e.right.span)
      const re = compileRegex(stringText(e.right), e.right.span)
      const text = ops.text!
      return quantify(e.quantifier, this.wide(left), constant([0]), (a) => re.test(text(a)))
    }
    const right = this.rightSource(e.right, left)
    const { eq, contains } = ops
    const cmp = ops.cmp!
    const tests: Record<Exclude<CompareOp, 'matches'>, (a: Value, b: Value) => boolean> = {
      '==': eq,
      '!=': (a, b) => !eq(a, b),
      contains: contains!,
      '<': (a, b) => cmp(a, b) < 0,
      '>': (a, b) => cmp(a, b) > 0,
      '<=': (a, b) => cmp(a, b) <= 0,
      '>=': (a, b) => cmp(a, b) >= 0
    }
    const test = tests[e.op]
    return quantify(e.quantifier, e.op === 'contains' ? this.wide(left) : left.values, right.values, test)
  }

  /** The values `contains`/`matches` search: a protocol's whole data (see Source.wideValues). */
  private wide(s: Source): Values {
    if (!s.wideValues) return s.values
    if (s.def) this.protocolBytes.add(this.slot(s.def.name))
    return s.wideValues
  }

  private membership(e: InExpr): Pred {
    if (e.left.kind === 'string' || e.left.kind === 'char' || (e.left.kind === 'word' && !this.lookup(e.left.text)))
      fail('Only a field may be tested for membership in a set.', e.left.span)
    const left = this.operandSource(e.left)
    const ops = OPS[left.cls]
    if (left.cls === 'none') fail(`${left.name} (type=${typeName(left.type)}) cannot participate in "in" comparison.`, e.left.span)
    const tests: ((a: Value, f: Frame) => boolean)[] = e.elements.map((el) => {
      if (el.kind === 'value') {
        const r = this.rightSource(el.value, left)
        return (a, f) => r.values(f).some((b) => ops.eq(a, b))
      }
      if (!ops.cmp) fail(`${left.name} (type=${typeName(left.type)}) cannot participate in a range of values.`, el.span)
      const cmp = ops.cmp
      const lo = this.rightSource(el.low, left)
      const hi = this.rightSource(el.high, left)
      return (a, f) => lo.values(f).some((l) => cmp(a, l) >= 0) && hi.values(f).some((h) => cmp(a, h) <= 0)
    })
    const isIn: Pred = (f) => left.values(f).some((a) => tests.some((t) => t(a, f)))
    return e.negated ? (f) => !isIn(f) : isIn
  }

  // ---- operands ----------------------------------------------------------------------

  /** The left side of a comparison must be a field, slice, function or `&` expression. */
  private leftSource(o: Operand, op: string): Source {
    if (o.kind === 'string' || o.kind === 'char' || (o.kind === 'word' && !this.lookup(o.text)))
      fail(`Left side of ${op} expression must be a field or function, not ${this.source(o)}.`, o.span)
    return this.operandSource(o)
  }

  /**
   * The right side: another field (or slice, function ...) of a compatible type, or a literal
   * read according to the left side's type. An unquoted word that names a field is a field.
   */
  private rightSource(o: Operand, left: Source): Source {
    const isField = o.kind === 'slice' || o.kind === 'call' || o.kind === 'bitand' || (o.kind === 'word' && this.lookup(o.text) !== undefined)
    if (!isField) {
      if (o.kind === 'word' && o.layer !== undefined) fail(`${o.text} is neither a field nor a protocol name.`, o.span)
      return { type: left.type, cls: left.cls, name: this.source(o), values: constant([typedLiteral(o, left, this.source(o))]) }
    }
    const right = this.operandSource(o)
    if (right.cls !== left.cls || right.cls === 'none')
      fail(`${left.name} and ${right.name} are not of compatible types.`, o.span)
    return right
  }

  /** An operand that yields values from the frame (anything but a bare literal). */
  private operandSource(o: Operand): Source {
    switch (o.kind) {
      case 'word': {
        const def = this.lookup(o.text)
        if (!def) return fail(`${o.text} is neither a field nor a protocol name.`, o.span)
        return this.fieldSource(def, o.layer, this.source(o))
      }
      case 'string':
      case 'char':
        return fail(`${this.source(o)} is neither a field nor a protocol name.`, o.span)
      case 'slice':
        return this.sliceSource(o.operand, o.ranges, this.source(o))
      case 'call':
        return this.callSource(o.name, o.args, o.nameSpan, o.span, this.source(o))
      case 'bitand':
        return this.bitandSource(o.left, o.right, this.source(o))
    }
  }

  private fieldSource(def: FieldDef, layer: number | undefined, name: string): Source {
    const slot = this.slot(def.name, 'values')
    const t = def.type
    if (layer !== undefined) {
      this.slot(def.name, 'layers')
      this.usesLayers = true
    }
    const read =
      (wide: boolean): Values =>
      (f) => {
        const nodes = f.slots[slot]
        const ls = f.layers[slot]
        const out: Value[] = []
        for (let i = 0; i < nodes.length; i++) {
          if (layer !== undefined && ls[i] !== layer) continue
          const v = nodeValue(t, nodes[i], f.data, wide ? f.extents.get(nodes[i]) : undefined)
          if (v !== undefined) out.push(v)
        }
        return out
      }
    const src: Source = { type: t, cls: classOf(t), name, values: read(false), def }
    if (t === 'protocol') src.wideValues = read(true)
    return src
  }

  private sliceSource(inner: Operand, ranges: { start: number; length: number | null }[], name: string): Source {
    const src = this.operandSource(inner)
    const sliceable = src.cls === 'bytes' || src.cls === 'string' || src.cls === 'ipv4' || src.cls === 'ipv6'
    if (!sliceable)
      fail(`"${src.name}" is a ${typeName(src.type)} and cannot be sliced into a sequence of bytes.`, inner.span)
    const cls = src.cls
    const values: Values = (f) => {
      const out: Value[] = []
      for (const v of src.values(f)) {
        const b = valueBytes(cls, v)
        if (!b) continue
        const cut = applyRanges(b, ranges)
        if (cut) out.push(cut)
      }
      return out
    }
    return { type: 'bytes', cls: 'bytes', name, values }
  }

  private callSource(fn: string, args: Operand[], nameSpan: Span, span: Span, name: string): Source {
    const known = fn === 'len' || fn === 'count' || fn === 'upper' || fn === 'lower'
    if (!known) {
      if (FUNCTIONS_NOT_SUPPORTED.has(fn)) fail(`Function '${fn}' is not supported here yet.`, nameSpan)
      fail(`Function '${fn}' does not exist`, nameSpan)
    }
    if (args.length !== 1) fail(`Function ${fn}() takes exactly one argument.`, args.length > 1 ? args[1].span : span)
    const arg = args[0]
    if (fn === 'count') {
      if (arg.kind !== 'word' || !this.lookup(arg.text)) fail('Only fields can be used as parameter for count()', arg.span)
      const layer = arg.layer
      const slot = this.slot(this.lookup(arg.text)!.name, 'count')
      if (layer !== undefined) {
        this.slot(this.lookup(arg.text)!.name, 'layers')
        this.usesLayers = true
      }
      const values: Values =
        layer === undefined
          ? (f) => {
              const n = f.slots[slot].length
              return n > 0 ? [n] : []
            }
          : (f) => {
              const n = f.layers[slot].filter((l) => l === layer).length
              return n > 0 ? [n] : []
            }
      return { type: 'uint32', cls: 'num', name, values }
    }
    if (fn === 'upper' || fn === 'lower') {
      const src = arg.kind === 'word' && this.lookup(arg.text) ? this.operandSource(arg) : undefined
      if (!src || src.cls !== 'string') fail(`Only string type fields can be used as parameter for ${fn}()`, arg.span)
      const map = fn === 'upper' ? (s: string) => s.toUpperCase() : (s: string) => s.toLowerCase()
      return { type: 'string', cls: 'string', name, values: (f) => src.values(f).map((v) => map(v as string)) }
    }
    // len()
    if (arg.kind === 'string' || arg.kind === 'char' || (arg.kind === 'word' && !this.lookup(arg.text)))
      fail(`${this.source(arg)} is neither a field nor a protocol name.`, arg.span)
    const src = this.operandSource(arg)
    const cls = src.cls
    const values: Values = (f) => {
      const out: Value[] = []
      for (const v of src.values(f)) {
        const b = cls === 'bytes' ? (v as Uint8Array) : valueBytes(cls, v)
        if (b) out.push(b.length)
      }
      return out
    }
    return { type: 'uint32', cls: 'num', name, values }
  }

  private bitandSource(l: Operand, r: Operand, name: string): Source {
    const left = this.leftSource(l, '"&"')
    const intType = left.cls === 'num' && intRange(left.type) !== undefined
    if (!intType && left.cls !== 'ipv4') fail(`${ftName(left.type)} cannot &.`, l.span)
    const right = this.rightSource(r, left)
    const signed = left.type.startsWith('int')
    const and = (a: Value, b: Value): Value => {
      if (left.cls === 'ipv4') return { addr: ((a as Ipv4Value).addr & (b as Ipv4Value).addr) >>> 0, bits: 32 }
      if (Number.isNaN(a) || Number.isNaN(b)) return 0
      if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as number | bigint) & BigInt(b as number | bigint)
      const v = (a as number) & (b as number)
      return signed ? v : v >>> 0
    }
    const values: Values = (f) => {
      const out: Value[] = []
      const rs = right.values(f)
      for (const a of left.values(f)) for (const b of rs) out.push(and(a, b))
      return out
    }
    return { type: left.type, cls: left.cls, name, values }
  }

}

function constant(vs: Value[]): Values {
  return () => vs
}

function quantify(q: Quantifier, left: Values, right: Values, test: (a: Value, b: Value) => boolean): Pred {
  if (q === 'any') {
    return (f) => {
      const ls = left(f)
      if (ls.length === 0) return false
      const rs = right(f)
      for (let i = 0; i < ls.length; i++) for (let j = 0; j < rs.length; j++) if (test(ls[i], rs[j])) return true
      return false
    }
  }
  return (f) => {
    const ls = left(f)
    if (ls.length === 0) return false
    const rs = right(f)
    if (rs.length === 0) return false
    for (let i = 0; i < ls.length; i++) for (let j = 0; j < rs.length; j++) if (!test(ls[i], rs[j])) return false
    return true
  }
}

