// The display-filter syntax tree. Every node carries its source span so that errors found later
// (unknown field, literal not valid for the field's type) can point at the offending text.
// The parser does not know the field registry: an unquoted word such as `tcp.port`, `80`,
// `10.0.0.0/8` or `GET` stays a `word` until the main side resolves it against the registry,
// exactly as Wireshark decides between field and literal during its semantic check.
import { decodeUtf8 } from './utf8'

/** Half-open character range [start, end) in the filter text. */
export interface Span {
  start: number
  end: number
}

/** Comparison operators, canonical spelling. `eq`, `any_eq`, `===`, `~=` etc. are normalised into op + quantifier. */
export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'contains' | 'matches'

/**
 * How the values of a multi-occurrence field combine. `any`: some value (pair) satisfies the test;
 * `all`: the field is present and every value satisfies it. Wireshark 4.0: `==` is any, `!=` is all
 * ("all not equal"), `===` is all-equal, `!==`/`~=` is any-not-equal, the rest default to any.
 */
export type Quantifier = 'any' | 'all'

export type Expr = LogicalExpr | NotExpr | TestExpr | CompareExpr | InExpr

export interface LogicalExpr {
  kind: 'and' | 'or'
  left: Expr
  right: Expr
  span: Span
}

export interface NotExpr {
  kind: 'not'
  expr: Expr
  span: Span
}

/** A lone operand: presence of a field or protocol (`tcp`, `tcp.flags.syn`), or a non-zero `a & b`. */
export interface TestExpr {
  kind: 'test'
  operand: Operand
  span: Span
}

export interface CompareExpr {
  kind: 'compare'
  op: CompareOp
  quantifier: Quantifier
  left: Operand
  right: Operand
  /** The operator token (for "cannot participate in ... comparison" errors). */
  opSpan: Span
  span: Span
}

export interface InExpr {
  kind: 'in'
  /** `x not in {...}`, which Wireshark evaluates as `not (x in {...})`. */
  negated: boolean
  left: Operand
  elements: SetElement[]
  opSpan: Span
  span: Span
}

export type SetElement = SetValue | SetRange

export interface SetValue {
  kind: 'value'
  value: Operand
  span: Span
}

/** `low..high`, inclusive. */
export interface SetRange {
  kind: 'range'
  low: Operand
  high: Operand
  span: Span
}

export type Operand = WordOperand | StringOperand | CharOperand | SliceOperand | CallOperand | BitAndOperand

/** An unquoted token: a field/protocol name or a literal whose meaning depends on the field it meets. */
export interface WordOperand {
  kind: 'word'
  text: string
  /** `ip.addr#2`: only occurrences in the n-th layer of the field's protocol (1-based). */
  layer?: number
  span: Span
}

export interface StringOperand {
  kind: 'string'
  /**
   * The string's bytes as a binary string (one char per byte, 0..255): escapes such as `\xff` denote
   * bytes, and other characters stand for their UTF-8 encoding. Use `stringText` for the text.
   */
  value: string
  span: Span
}

/** `'a'`, `'\x50'`: a character constant, i.e. an integer. */
export interface CharOperand {
  kind: 'char'
  value: number
  span: Span
}

/** `eth.src[0:3]`, `tcp.payload[-4:]`, `ip.src[0,2-3]`: a byte slice of the operand's value. */
export interface SliceOperand {
  kind: 'slice'
  operand: Operand
  ranges: SliceRange[]
  span: Span
}

/** Offset (negative: from the end) and length (null: to the end). */
export interface SliceRange {
  start: number
  length: number | null
  span: Span
}

/** `len(http.host)`, `count(ip.addr)`, `lower(http.request.method)`. */
export interface CallOperand {
  kind: 'call'
  name: string
  args: Operand[]
  nameSpan: Span
  span: Span
}

/** `tcp.flags & 0x12`: bitwise and, true when non-zero as a test; comparable like an integer. */
export interface BitAndOperand {
  kind: 'bitand'
  left: Operand
  right: Operand
  span: Span
}

/** A filter error with the half-open span of the offending text (`pos` = start, as in contract.ts FilterError). */
export interface FilterSyntaxError {
  message: string
  pos: number
  end: number
}

export type ParseResult = { ok: true; ast: Expr | null } | { ok: false; error: FilterSyntaxError }

/** The bytes of a string literal. */
export function stringBytes(s: StringOperand): Uint8Array {
  const out = new Uint8Array(s.value.length)
  for (let i = 0; i < s.value.length; i++) out[i] = s.value.charCodeAt(i)
  return out
}

/** The text of a string literal (its bytes decoded as UTF-8). */
export function stringText(s: StringOperand): string {
  let ascii = true
  for (let i = 0; i < s.value.length; i++) if (s.value.charCodeAt(i) > 0x7f) ascii = false
  return ascii ? s.value : decodeUtf8(stringBytes(s))
}
