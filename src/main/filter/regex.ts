// Regular expressions for `matches`.
import type { Span } from '../../shared/filter'
import { fail } from './errors'

/**
 * Wireshark's `matches` is PCRE2, case-insensitive by default. A leading inline flag group such
 * as `(?-i)` or `(?s)` is turned into JS flags, since V8 (Node 20) lacks inline modifiers.
 */
export function compileRegex(pattern: string, span: Span): RegExp {
  const flags = new Set(['i'])
  let p = pattern
  const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(p)
  if (m) {
    for (const c of m[1]) {
      if (!'ims'.includes(c)) fail(`Regex compilation error: unsupported inline flag "${c}".`, span)
      flags.add(c)
    }
    for (const c of m[2] ?? '') {
      if (!'ims'.includes(c)) fail(`Regex compilation error: unsupported inline flag "${c}".`, span)
      flags.delete(c)
    }
    p = p.slice(m[0].length)
  }
  try {
    return new RegExp(p, [...flags].join(''))
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/^.*: /, '') : String(e)
    return fail(`Regex compilation error: ${PCRE_WORDING[msg] ?? msg}.`, span)
  }
}

/** V8's regex errors in PCRE2's words, as tshark prints them. */
const PCRE_WORDING: Record<string, string> = {
  'Unterminated character class': 'missing terminating ] for character class',
  'Unterminated group': 'missing closing parenthesis',
  "Unmatched ')'": 'unmatched closing parenthesis',
  'Nothing to repeat': 'quantifier does not follow a repeatable item',
  '\\ at end of pattern': '\\ at end of pattern',
  'Invalid group': 'unrecognized character after (? or (?-',
  'numbers out of order in {} quantifier': 'numbers out of order in {} quantifier',
  'Range out of order in character class': 'range out of order in character class'
}
