// Recursive-descent parser for Wireshark 4.0 display filters. Precedence, loosest first:
// `or`/`||`, `and`/`&&`, `not`/`!`, then relations (`==` ... `matches`, `in`), then `&`.
// Comparisons do not chain. Errors use tshark 4.0's wording and point at the offending token.
import type {
  CompareExpr,
  Expr,
  FilterSyntaxError,
  InExpr,
  Operand,
  ParseResult,
  Quantifier,
  SetElement,
  SliceRange,
  Span
} from './ast'
import { tokenize, type Token } from './lexer'

/** Deeper nesting than this is refused instead of risking the JS stack. */
const MAX_DEPTH = 256

class ParseFail {
  constructor(readonly error: FilterSyntaxError) {}
}

const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Parses a display filter. Blank text is the empty filter (`ast: null`, matches everything). Never throws. */
export function parseFilter(text: string): ParseResult {
  try {
    const p = new Parser(text)
    return { ok: true, ast: p.parseTop() }
  } catch (e) {
    if (e instanceof ParseFail) return { ok: false, error: e.error }
    // A bug must not take down the filter bar: report it as an error at the start.
    return { ok: false, error: { message: `Internal filter parser error: ${String(e)}`, pos: 0, end: text.length } }
  }
}

class Parser {
  private readonly toks: Token[]
  private i = 0
  private depth = 0

  constructor(private readonly text: string) {
    this.toks = tokenize(text)
  }

  parseTop(): Expr | null {
    if (this.peek().kind === 'eof') return null
    const e = this.parseOr()
    if (this.peek().kind !== 'eof') this.unexpected(this.peek())
    return e
  }

  private peek(k = 0): Token {
    const t = this.toks[Math.min(this.i + k, this.toks.length - 1)]
    // A lexical error surfaces as soon as the parser looks at it.
    if (t.kind === 'error') this.fail(t.message ?? 'Invalid filter.', t.errStart ?? t.start, t.errEnd ?? t.end)
    return t
  }

  private next(): Token {
    const t = this.peek()
    if (t.kind !== 'eof') this.i++
    return t
  }

  private fail(message: string, pos: number, end: number): never {
    throw new ParseFail({ message, pos, end })
  }

  private unexpected(t: Token): never {
    if (t.kind === 'eof') this.fail('Unexpected end of filter expression.', this.text.length, this.text.length)
    this.fail(`"${t.text}" was unexpected in this context.`, t.start, t.end)
  }

  private expect(kind: Token['kind']): Token {
    const t = this.peek()
    if (t.kind !== kind) this.unexpected(t)
    return this.next()
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) this.fail('Filter nested too deeply.', t.start, t.end)
  }

  private parseOr(): Expr {
    let left = this.parseAnd()
    while (this.peek().kind === 'or') {
      this.next()
      const right = this.parseAnd()
      left = { kind: 'or', left, right, span: span(left.span.start, right.span.end) }
    }
    return left
  }

  private parseAnd(): Expr {
    let left = this.parseNot()
    while (this.peek().kind === 'and') {
      this.next()
      const right = this.parseNot()
      left = { kind: 'and', left, right, span: span(left.span.start, right.span.end) }
    }
    return left
  }

  private parseNot(): Expr {
    const t = this.peek()
    if (t.kind === 'not') {
      this.enter(t)
      this.next()
      const expr = this.parseNot()
      this.depth--
      return { kind: 'not', expr, span: span(t.start, expr.span.end) }
    }
    if (t.kind === '(') {
      this.enter(t)
      this.next()
      const inner = this.parseOr()
      this.expect(')')
      this.depth--
      // Parentheses leave no node: the printer re-derives them from precedence.
      return inner
    }
    return this.parseRelation()
  }

  private parseRelation(): Expr {
    const first = this.peek()
    let quantifier: Quantifier | undefined
    if (first.kind === 'any' || first.kind === 'all') {
      quantifier = first.kind
      this.next()
    }
    const left = this.parseOperand()
    const t = this.peek()
    if (t.kind === 'cmp') {
      this.next()
      const right = this.parseOperand()
      const e: CompareExpr = {
        kind: 'compare',
        op: t.op ?? '==',
        quantifier: quantifier ?? t.quantifier ?? 'any',
        left,
        right,
        opSpan: span(t.start, t.end),
        span: span(first.start, right.span.end)
      }
      return e
    }
    if (quantifier) this.unexpected(t) // `any`/`all` only qualify a comparison
    if (t.kind === 'in' || (t.kind === 'not' && this.peek(1).kind === 'in')) {
      const negated = t.kind === 'not'
      this.next()
      const inTok = negated ? this.next() : t
      this.expect('{')
      const elements: SetElement[] = []
      while (true) {
        elements.push(this.parseSetElement())
        const sep = this.peek()
        if (sep.kind === ',') {
          this.next()
          continue
        }
        if (sep.kind === '}') break
        this.unexpected(sep)
      }
      const close = this.next()
      const e: InExpr = {
        kind: 'in',
        negated,
        left,
        elements,
        opSpan: span(t.start, inTok.end),
        span: span(first.start, close.end)
      }
      return e
    }
    return { kind: 'test', operand: left, span: left.span }
  }

  private parseSetElement(): SetElement {
    const low = this.parseOperand()
    if (this.peek().kind === '..') {
      this.next()
      const high = this.parseOperand()
      return { kind: 'range', low, high, span: span(low.span.start, high.span.end) }
    }
    return { kind: 'value', value: low, span: low.span }
  }

  /** operand := primary ('&' primary)* */
  private parseOperand(): Operand {
    let left = this.parsePrimary()
    while (this.peek().kind === 'bitand') {
      this.next()
      const right = this.parsePrimary()
      left = { kind: 'bitand', left, right, span: span(left.span.start, right.span.end) }
    }
    return left
  }

  private parsePrimary(): Operand {
    const t = this.peek()
    if (t.kind === 'string') {
      this.next()
      return { kind: 'string', value: t.value ?? '', span: span(t.start, t.end) }
    }
    if (t.kind === 'char') {
      this.next()
      return { kind: 'char', value: t.num ?? 0, span: span(t.start, t.end) }
    }
    if (t.kind !== 'word') this.unexpected(t)
    this.next()
    let operand: Operand
    if (this.peek().kind === '(' && FUNCTION_NAME.test(t.text)) {
      this.enter(t)
      this.next()
      const args: Operand[] = []
      if (this.peek().kind !== ')') {
        while (true) {
          args.push(this.parseOperand())
          if (this.peek().kind === ',') {
            this.next()
            continue
          }
          break
        }
      }
      const close = this.expect(')')
      this.depth--
      operand = { kind: 'call', name: t.text, args, nameSpan: span(t.start, t.end), span: span(t.start, close.end) }
    } else {
      operand = { kind: 'word', text: t.text, span: span(t.start, t.end) }
      if (this.peek().kind === '#') {
        this.next()
        const idx = this.expect('index')
        operand.layer = idx.num ?? 0
        operand.span = span(t.start, idx.end)
      }
    }
    if (this.peek().kind === '[') {
      this.next()
      const ranges: SliceRange[] = []
      while (true) {
        const r = this.expect('range')
        ranges.push(parseRange(r))
        const sep = this.next()
        if (sep.kind === ']') {
          operand = { kind: 'slice', operand, ranges, span: span(operand.span.start, sep.end) }
          break
        }
        if (sep.kind !== ',') this.unexpected(sep)
      }
    }
    return operand
  }
}

const span = (start: number, end: number): Span => ({ start, end })

/** One slice element: `i:j` (offset, length), `i-j` (offset to offset, inclusive), `i`, `:j`, `i:`. */
function parseRange(t: Token): SliceRange {
  const s = t.text.replace(/\s+/g, '')
  const sp = span(t.start, t.end)
  const int = '(-?\\d{1,9})'
  let m: RegExpMatchArray | null
  if ((m = s.match(new RegExp(`^${int}:(\\d{1,9})$`)))) return { start: Number(m[1]), length: Number(m[2]), span: sp }
  if ((m = s.match(new RegExp(`^${int}:$`)))) return { start: Number(m[1]), length: null, span: sp }
  if ((m = s.match(/^:(\d{1,9})$/))) return { start: 0, length: Number(m[1]), span: sp }
  if ((m = s.match(new RegExp(`^${int}$`)))) return { start: Number(m[1]), length: 1, span: sp }
  if ((m = s.match(new RegExp(`^${int}-${int}$`)))) {
    const a = Number(m[1])
    const b = Number(m[2])
    // Wireshark requires the end not to precede the start when both count the same way.
    if ((a >= 0) === (b >= 0) && b >= a) return { start: a, length: b - a + 1, span: sp }
  }
  throw new ParseFail({ message: `"${t.text}" is not a valid range.`, pos: t.start, end: t.end })
}
