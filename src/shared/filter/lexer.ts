// Display-filter tokens, following the lexical rules of Wireshark 4.0's scanner: an unquoted
// literal starts with [A-Za-z0-9_:], continues with [A-Za-z0-9_:/-] and may have dotted parts,
// so `tcp.port`, `10.0.0.0/8`, `fe80::1`, `00-11-22-33-44-55` and `0x50` are each one word and
// the parser need not know which is which. Keywords are case-sensitive, as in Wireshark.
// Lexical errors (bad escape, unterminated string) become `error` tokens so that the parser
// reports them in source order, as Wireshark's pull scanner does.
import type { CompareOp, Quantifier } from './ast'
import { utf8BinaryString } from './utf8'

export type TokenKind =
  | 'word'
  | 'string'
  | 'char'
  | 'cmp'
  | 'and'
  | 'or'
  | 'not'
  | 'in'
  | 'any'
  | 'all'
  | 'bitand'
  | '('
  | ')'
  | '{'
  | '}'
  | '['
  | ']'
  | ','
  | '..'
  | '#'
  /** A slice element between brackets, e.g. `0:3`, parsed by the parser. */
  | 'range'
  /** The layer number after `#`. */
  | 'index'
  /** A character no rule accepts; the parser reports it as unexpected. */
  | 'junk'
  | 'error'
  | 'eof'

export interface Token {
  kind: TokenKind
  /** Source text of the token. */
  text: string
  start: number
  end: number
  /** string: bytes as a binary string; */
  value?: string
  /** char: the code; index: the layer number. */
  num?: number
  /** cmp: the operator and the quantifier its spelling implies (`===` is all-equal). */
  op?: CompareOp
  quantifier?: Quantifier
  /** error: what is wrong, and where (may be narrower than the token). */
  message?: string
  errStart?: number
  errEnd?: number
}

const KEYWORDS: Record<string, Partial<Token> & { kind: TokenKind }> = {
  and: { kind: 'and' },
  or: { kind: 'or' },
  not: { kind: 'not' },
  in: { kind: 'in' },
  any: { kind: 'any' },
  all: { kind: 'all' },
  bitwise_and: { kind: 'bitand' },
  eq: { kind: 'cmp', op: '==', quantifier: 'any' },
  any_eq: { kind: 'cmp', op: '==', quantifier: 'any' },
  ne: { kind: 'cmp', op: '!=', quantifier: 'all' },
  all_ne: { kind: 'cmp', op: '!=', quantifier: 'all' },
  all_eq: { kind: 'cmp', op: '==', quantifier: 'all' },
  any_ne: { kind: 'cmp', op: '!=', quantifier: 'any' },
  gt: { kind: 'cmp', op: '>', quantifier: 'any' },
  lt: { kind: 'cmp', op: '<', quantifier: 'any' },
  ge: { kind: 'cmp', op: '>=', quantifier: 'any' },
  le: { kind: 'cmp', op: '<=', quantifier: 'any' },
  contains: { kind: 'cmp', op: 'contains', quantifier: 'any' },
  matches: { kind: 'cmp', op: 'matches', quantifier: 'any' }
}

/** Symbolic operators, longest first so that `!==` wins over `!=` and `!`. */
const SYMBOLS: [string, Partial<Token> & { kind: TokenKind }][] = [
  ['===', { kind: 'cmp', op: '==', quantifier: 'all' }],
  ['!==', { kind: 'cmp', op: '!=', quantifier: 'any' }],
  ['==', { kind: 'cmp', op: '==', quantifier: 'any' }],
  ['!=', { kind: 'cmp', op: '!=', quantifier: 'all' }],
  ['~=', { kind: 'cmp', op: '!=', quantifier: 'any' }],
  ['<=', { kind: 'cmp', op: '<=', quantifier: 'any' }],
  ['>=', { kind: 'cmp', op: '>=', quantifier: 'any' }],
  ['&&', { kind: 'and' }],
  ['||', { kind: 'or' }],
  ['..', { kind: '..' }],
  ['<', { kind: 'cmp', op: '<', quantifier: 'any' }],
  ['>', { kind: 'cmp', op: '>', quantifier: 'any' }],
  ['~', { kind: 'cmp', op: 'matches', quantifier: 'any' }],
  ['!', { kind: 'not' }],
  ['&', { kind: 'bitand' }],
  ['(', { kind: '(' }],
  [')', { kind: ')' }],
  ['{', { kind: '{' }],
  ['}', { kind: '}' }],
  [',', { kind: ',' }]
]

export const isKeyword = (w: string): boolean => Object.prototype.hasOwnProperty.call(KEYWORDS, w)

const isStart = (c: string): boolean => /[A-Za-z0-9_:]/.test(c)
const isAlpha = (c: string): boolean => /[A-Za-z0-9_:/-]/.test(c)
const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f'

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'"
}

/** Length of the unquoted word starting at i, or 0. */
export function wordLength(s: string, i: number): number {
  let j = i
  if (s[j] === '-' && j + 1 < s.length && isDigit(s[j + 1])) j++ // negative number (Wireshark: unary minus)
  else if (j >= s.length || !isStart(s[j])) return 0
  while (j < s.length && isAlpha(s[j])) j++
  while (s[j] === '.' && j + 1 < s.length && isAlpha(s[j + 1])) {
    j++
    while (j < s.length && isAlpha(s[j])) j++
  }
  return j - i
}

class LexFail {
  constructor(
    readonly message: string,
    readonly start: number,
    readonly end: number
  ) {}
}

/**
 * Reads an escape sequence at s[i] === '\\' inside a (non-raw) quoted string or char constant.
 * Returns the bytes (binary string) and the index after the sequence.
 */
function readEscape(s: string, i: number): { bytes: string; next: number } {
  const c = s[i + 1]
  if (c === undefined) throw new LexFail('', i, i) // caller turns this into "missing final quote"
  if (c >= '0' && c <= '7') {
    let j = i + 1
    while (j < s.length && j < i + 4 && s[j] >= '0' && s[j] <= '7') j++
    const v = parseInt(s.slice(i + 1, j), 8)
    if (v > 255) throw new LexFail(`${s.slice(i, j)} is larger than 255.`, i, j)
    return { bytes: String.fromCharCode(v), next: j }
  }
  if (c === 'x') {
    let j = i + 2
    while (j < s.length && j < i + 4 && /[0-9A-Fa-f]/.test(s[j])) j++
    if (j === i + 2) throw new LexFail(`\\x is not a valid character escape sequence`, i, i + 2)
    return { bytes: String.fromCharCode(parseInt(s.slice(i + 2, j), 16)), next: j }
  }
  if (c === 'u' || c === 'U') {
    const want = c === 'u' ? 4 : 8
    let j = i + 2
    while (j < s.length && j < i + 2 + want && /[0-9A-Fa-f]/.test(s[j])) j++
    const digits = s.slice(i + 2, j)
    const cp = digits.length === want ? parseInt(digits, 16) : -1
    // C11's rule for universal character names, which Wireshark applies.
    const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && (cp >= 0xa0 || cp === 0x24 || cp === 0x40 || cp === 0x60)
    if (!valid) throw new LexFail(`${s.slice(i, j)} is not a valid universal character name`, i, j)
    return { bytes: utf8BinaryString(String.fromCodePoint(cp)), next: j }
  }
  const simple = SIMPLE_ESCAPES[c]
  if (simple === undefined) {
    const ch = String.fromCodePoint(s.codePointAt(i + 1) ?? 0)
    throw new LexFail(`\\${ch} is not a valid character escape sequence`, i, i + 1 + ch.length)
  }
  return { bytes: simple, next: i + 2 }
}

/** Reads a quoted string whose opening quote is at q; returns the bytes and the index after the closing quote. */
function readString(s: string, q: number, raw: boolean): { value: string; next: number } {
  let out = ''
  let i = q + 1
  let plainFrom = i
  const flushPlain = (to: number): void => {
    if (to > plainFrom) out += utf8BinaryString(s.slice(plainFrom, to))
  }
  while (i < s.length) {
    const c = s[i]
    if (c === '"') {
      flushPlain(i)
      return { value: out, next: i + 1 }
    }
    if (c === '\\') {
      flushPlain(i)
      if (i + 1 >= s.length) break
      if (raw) {
        // Raw strings keep backslashes; only \\ and \" are escapes, and they stay as written.
        out += '\\' + (s[i + 1] === '\\' || s[i + 1] === '"' ? s[i + 1] : '')
        i += s[i + 1] === '\\' || s[i + 1] === '"' ? 2 : 1
      } else {
        const e = readEscape(s, i)
        out += e.bytes
        i = e.next
      }
      plainFrom = i
      continue
    }
    i++
  }
  throw new LexFail('The final quote was missing from a quoted string.', s.length, s.length)
}

function readChar(s: string, q: number): { value: number; next: number } {
  let i = q + 1
  let bytes = ''
  while (i < s.length && s[i] !== "'") {
    if (s[i] === '\\') {
      if (i + 1 >= s.length) break
      const e = readEscape(s, i)
      bytes += e.bytes
      i = e.next
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i) ?? 0)
      bytes += utf8BinaryString(ch)
      i += ch.length
    }
  }
  if (i >= s.length) throw new LexFail('The final quote was missing from a character constant.', s.length, s.length)
  const text = s.slice(q, i + 1)
  if (bytes.length === 0) throw new LexFail(`${text} is not a valid character constant.`, q, i + 1)
  if (bytes.length > 1) throw new LexFail(`${text} is too long to be a valid character constant.`, q, i + 1)
  return { value: bytes.charCodeAt(0), next: i + 1 }
}

/** Splits the filter text into tokens; always ends with an `eof` token and never throws. */
export function tokenize(s: string): Token[] {
  const out: Token[] = []
  let i = 0
  const push = (t: Token): void => {
    out.push(t)
  }
  const fail = (f: LexFail, start: number): void => {
    push({ kind: 'error', text: s.slice(start), start, end: s.length, message: f.message, errStart: f.start, errEnd: f.end })
    i = s.length
  }
  outer: while (i < s.length) {
    const c = s[i]
    if (isSpace(c)) {
      i++
      continue
    }
    const start = i
    try {
      // Raw string r"..." must be checked before words (r is a word character).
      if ((c === 'r' || c === 'R') && s[i + 1] === '"') {
        const r = readString(s, i + 1, true)
        push({ kind: 'string', text: s.slice(start, r.next), start, end: r.next, value: r.value })
        i = r.next
        continue
      }
      if (c === '"') {
        const r = readString(s, i, false)
        push({ kind: 'string', text: s.slice(start, r.next), start, end: r.next, value: r.value })
        i = r.next
        continue
      }
      if (c === "'") {
        const r = readChar(s, i)
        push({ kind: 'char', text: s.slice(start, r.next), start, end: r.next, num: r.value })
        i = r.next
        continue
      }
    } catch (e) {
      if (e instanceof LexFail) {
        if (e.message === '') fail(new LexFail('The final quote was missing from a quoted string.', s.length, s.length), start)
        else fail(e, start)
        break
      }
      throw e
    }
    const wl = wordLength(s, i)
    if (wl > 0) {
      const text = s.slice(i, i + wl)
      const kw = KEYWORDS[text]
      if (kw && isKeyword(text)) push({ ...kw, text, start, end: i + wl })
      else push({ kind: 'word', text, start, end: i + wl })
      i += wl
      continue
    }
    if (c === '[') {
      push({ kind: '[', text: '[', start, end: i + 1 })
      i++
      // Slice mode: everything up to ']' is range elements separated by commas.
      let from = i
      while (true) {
        if (i >= s.length) {
          push({ kind: 'error', text: s.slice(start), start, end: s.length, message: 'The right bracket was missing from a slice.', errStart: s.length, errEnd: s.length })
          break outer
        }
        if (s[i] === ',' || s[i] === ']') {
          const raw = s.slice(from, i)
          const lead = raw.length - raw.trimStart().length
          const trimmed = raw.trim()
          if (trimmed.length > 0) push({ kind: 'range', text: trimmed, start: from + lead, end: from + lead + trimmed.length })
          push({ kind: s[i] === ',' ? ',' : ']', text: s[i], start: i, end: i + 1 })
          i++
          if (s[i - 1] === ']') continue outer
          from = i
          continue
        }
        i++
      }
    }
    if (c === '#') {
      push({ kind: '#', text: '#', start, end: i + 1 })
      i++
      let j = i
      while (j < s.length && isDigit(s[j])) j++
      if (j > i) {
        push({ kind: 'index', text: s.slice(i, j), start: i, end: j, num: Number(s.slice(i, j)) })
        i = j
        continue
      }
      const msg =
        i >= s.length
          ? 'The layer number or range was missing.'
          : s[i] === '['
            ? 'Layer ranges are not supported here: use one layer number, e.g. ip.addr#2.'
            : `Expected digit or "[", not "${s[i]}"`
      push({ kind: 'error', text: s.slice(i), start: i, end: s.length, message: msg, errStart: i, errEnd: Math.min(i + 1, s.length) })
      break
    }
    for (const [sym, tok] of SYMBOLS) {
      if (s.startsWith(sym, i)) {
        push({ ...tok, text: sym, start, end: i + sym.length })
        i += sym.length
        continue outer
      }
    }
    const ch = String.fromCodePoint(s.codePointAt(i) ?? 0)
    push({ kind: 'junk', text: ch, start, end: i + ch.length })
    i += ch.length
  }
  out.push({ kind: 'eof', text: '', start: s.length, end: s.length })
  return out
}
