// Generic traversals of a filter AST.
import type { Expr, Operand } from './ast'

/** Calls `visit` for every operand (including nested ones: slice targets, call arguments, set members). */
export function walkOperands(e: Expr, visit: (o: Operand) => void): void {
  const op = (o: Operand): void => {
    visit(o)
    if (o.kind === 'slice') op(o.operand)
    else if (o.kind === 'call') o.args.forEach(op)
    else if (o.kind === 'bitand') {
      op(o.left)
      op(o.right)
    }
  }
  switch (e.kind) {
    case 'and':
    case 'or':
      walkOperands(e.left, visit)
      walkOperands(e.right, visit)
      break
    case 'not':
      walkOperands(e.expr, visit)
      break
    case 'test':
      op(e.operand)
      break
    case 'compare':
      op(e.left)
      op(e.right)
      break
    case 'in':
      op(e.left)
      for (const el of e.elements) {
        if (el.kind === 'range') {
          op(el.low)
          op(el.high)
        } else op(el.value)
      }
      break
  }
}

const SPAN_KEYS = new Set(['span', 'opSpan', 'nameSpan'])

/** A deep copy without source positions: two parses of equivalent text compare equal. */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n: unknown) => stripSpans(n)) as T
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) if (!SPAN_KEYS.has(k)) out[k] = stripSpans(v)
    return out as T
  }
  return node
}
