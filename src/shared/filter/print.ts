// Canonical text of a filter AST: parsing the output gives the same tree (spans aside). Used to
// normalise filters (history, "apply as filter") and by the round-trip property test.
import type { Expr, Operand, SetElement, SliceRange } from './ast'

const PREC: Record<Expr['kind'], number> = { or: 1, and: 2, not: 3, compare: 4, in: 4, test: 4 }

export function printFilter(e: Expr | null): string {
  return e ? printExpr(e, 0) : ''
}

function printExpr(e: Expr, min: number): string {
  const p = PREC[e.kind]
  let s: string
  switch (e.kind) {
    case 'or':
    case 'and':
      // Left-associative: the right operand needs parentheses at equal precedence.
      s = `${printExpr(e.left, p)} ${e.kind} ${printExpr(e.right, p + 1)}`
      break
    case 'not':
      s = `not ${printExpr(e.expr, p)}`
      break
    case 'test':
      s = printOperand(e.operand)
      break
    case 'compare': {
      let op: string = e.op
      let prefix = ''
      if (e.op === '==') op = e.quantifier === 'all' ? '===' : '=='
      else if (e.op === '!=') op = e.quantifier === 'any' ? '!==' : '!='
      else if (e.quantifier === 'all') prefix = 'all '
      s = `${prefix}${printOperand(e.left)} ${op} ${printOperand(e.right)}`
      break
    }
    case 'in':
      s = `${printOperand(e.left)} ${e.negated ? 'not in' : 'in'} {${e.elements.map(printElement).join(', ')}}`
      break
  }
  return p < min ? `(${s})` : s
}

function printElement(el: SetElement): string {
  return el.kind === 'range' ? `${printOperand(el.low)}..${printOperand(el.high)}` : printOperand(el.value)
}

export function printOperand(o: Operand): string {
  switch (o.kind) {
    case 'word':
      return o.layer === undefined ? o.text : `${o.text}#${o.layer}`
    case 'string':
      return `"${escapeBytes(o.value, '"')}"`
    case 'char':
      return `'${escapeBytes(String.fromCharCode(o.value), "'")}'`
    case 'slice':
      return `${printOperand(o.operand)}[${o.ranges.map(printRange).join(',')}]`
    case 'call':
      return `${o.name}(${o.args.map(printOperand).join(', ')})`
    case 'bitand':
      return `${printOperand(o.left)} & ${printOperand(o.right)}`
  }
}

function printRange(r: SliceRange): string {
  return r.length === null ? `${r.start}:` : `${r.start}:${r.length}`
}

/** Escapes a binary string for a quoted literal: printable ASCII stays, the rest becomes \xHH. */
function escapeBytes(bytes: string, quote: string): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i)
    const ch = bytes[i]
    if (ch === '\\' || ch === quote) out += '\\' + ch
    else if (c >= 0x20 && c < 0x7f) out += ch
    else out += '\\x' + c.toString(16).padStart(2, '0')
  }
  return out
}
