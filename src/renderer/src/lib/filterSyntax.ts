// Syntax check as you type, with the shared display-filter parser. The main side parses
// again (and resolves field names) when the filter is applied, so this only colours the
// bar and points at syntax errors.
import { parseFilter } from '../../../shared/filter'
import type { FilterError } from '../../../shared/contract'

/** A filter error with, when known, the end of the offending text. */
export type SpanError = FilterError & { end?: number }

export type SyntaxResult = { state: 'empty' } | { state: 'valid' } | { state: 'invalid'; error: SpanError }

export function checkSyntax(text: string): SyntaxResult {
  if (!text.trim()) return { state: 'empty' }
  const r = parseFilter(text)
  return r.ok ? { state: 'valid' } : { state: 'invalid', error: r.error }
}
