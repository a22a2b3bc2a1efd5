import { describe, expect, it } from 'vitest'
import { parseFilter, printFilter, stripSpans, stringText, tokenize, walkOperands, type Expr } from '../src/shared/filter'

function ast(text: string): Expr {
  const r = parseFilter(text)
  if (!r.ok) throw new Error(`${text}: ${r.error.message} at ${r.error.pos}`)
  if (!r.ast) throw new Error(`${text}: empty`)
  return r.ast
}

function err(text: string): { message: string; pos: number; end: number } {
  const r = parseFilter(text)
  if (r.ok) throw new Error(`${text}: parsed as ${printFilter(r.ast)}`)
  return r.error
}

const canon = (text: string): string => printFilter(ast(text))

describe('filter parser: structure and precedence', () => {
  it('treats blank text as the empty filter', () => {
    expect(parseFilter('')).toEqual({ ok: true, ast: null })
    expect(parseFilter('  \t ')).toEqual({ ok: true, ast: null })
  })

  it('parses presence tests with spans', () => {
    expect(ast('  tcp.flags.syn ')).toEqual({
      kind: 'test',
      operand: { kind: 'word', text: 'tcp.flags.syn', span: { start: 2, end: 15 } },
      span: { start: 2, end: 15 }
    })
  })

  it('binds not tighter than and, and tighter than or (tshark 4.0)', () => {
    const e = ast('a or b and c')
    expect(e.kind).toBe('or')
    expect(canon('a or b and c')).toBe('a or b and c')
    expect(canon('(a or b) and c')).toBe('(a or b) and c')
    expect(canon('not a and b')).toBe('not a and b')
    expect(canon('!(a && b) || c')).toBe('not (a and b) or c')
    expect(canon('a || (b || c)')).toBe('a or (b or c)')
    expect(canon('((a))')).toBe('a')
    expect(canon('!!a')).toBe('not not a')
  })

  it('accepts English and C-like operators and normalises quantifiers', () => {
    const ops: [string, string][] = [
      ['a eq 1', 'a == 1'],
      ['a ne 1', 'a != 1'],
      ['a gt 1', 'a > 1'],
      ['a lt 1', 'a < 1'],
      ['a ge 1', 'a >= 1'],
      ['a le 1', 'a <= 1'],
      ['a === 1', 'a === 1'],
      ['a all_eq 1', 'a === 1'],
      ['a !== 1', 'a !== 1'],
      ['a ~= 1', 'a !== 1'],
      ['a any_ne 1', 'a !== 1'],
      ['a ~ "x"', 'a matches "x"'],
      ['all a > 1', 'all a > 1'],
      ['any a != 1', 'a !== 1'],
      ['all a == 1', 'a === 1']
    ]
    for (const [i, o] of ops) expect(canon(i), i).toBe(o)
    const c = ast('tcp.port != 80')
    expect(c).toMatchObject({ kind: 'compare', op: '!=', quantifier: 'all', opSpan: { start: 9, end: 11 } })
  })

  it('lexes Wireshark literals as single words', () => {
    for (const w of ['10.0.0.0/8', 'fe80::1/64', '::1', '00:11:22:33:44:55', '00-11-22-33-44-55', '0011.2233.4455', '0x50', '1.5e-3', 'aa:bb:cc', '-1']) {
      const e = ast(`x == ${w}`)
      expect(e.kind === 'compare' && e.right, w).toMatchObject({ kind: 'word', text: w })
    }
    // `80..90` is a range, not a word; `80and` is one (unknown) word, as in tshark.
    expect(tokenize('80..90').map((t) => t.kind)).toEqual(['word', '..', 'word', 'eof'])
    expect(tokenize('tcp.port==80and').map((t) => t.text)).toEqual(['tcp.port', '==', '80and', ''])
  })

  it('parses sets with ranges and "not in"', () => {
    expect(canon('tcp.port in {80, 443, 8000..8080}')).toBe('tcp.port in {80, 443, 8000..8080}')
    expect(canon('tcp.port not in{80,443}')).toBe('tcp.port not in {80, 443}')
    const e = ast('http.request.method in {"GET", HEAD}')
    expect(e).toMatchObject({ kind: 'in', negated: false, elements: [{ kind: 'value' }, { kind: 'value' }] })
  })

  it('parses slices, layers, functions and bitwise and', () => {
    expect(canon('eth.src[0:3] == 00:1b:21')).toBe('eth.src[0:3] == 00:1b:21')
    expect(canon('eth.src[1-3]')).toBe('eth.src[1:3]')
    expect(canon('frame[:4]')).toBe('frame[0:4]')
    expect(canon('tcp.payload[-3:]')).toBe('tcp.payload[-3:]')
    expect(canon('eth.src[0, 2:2]')).toBe('eth.src[0:1,2:2]')
    expect(canon('ip.addr#2 == 1.2.3.4')).toBe('ip.addr#2 == 1.2.3.4')
    expect(canon('len( http.host )==3')).toBe('len(http.host) == 3')
    expect(canon('tcp.flags & 0x12 == 0x12')).toBe('tcp.flags & 0x12 == 0x12')
    expect(canon('tcp.flags bitwise_and 0x02')).toBe('tcp.flags & 0x02')
  })

  it('decodes string escapes, raw strings and character constants', () => {
    const s = (text: string): string => {
      const e = ast(`x == ${text}`)
      if (e.kind !== 'compare' || e.right.kind !== 'string') throw new Error('not a string')
      return stringText(e.right)
    }
    expect(s(String.raw`"a\"b\\c\n\t"`)).toBe('a"b\\c\n\t')
    expect(s(String.raw`"\x47\105T"`)).toBe('GET')
    expect(s(String.raw`"\xc3\xa9"`)).toBe('é')
    expect(s('"网络"')).toBe('网络')
    expect(s(String.raw`"\u00e9"`)).toBe('é')
    expect(s(String.raw`r"\d+\.\""`)).toBe(String.raw`\d+\.\"`)
    const c = ast(String.raw`tcp.port == '\x50'`)
    expect(c.kind === 'compare' && c.right).toMatchObject({ kind: 'char', value: 0x50 })
  })

  it('walks operands', () => {
    const names: string[] = []
    walkOperands(ast('a == 1 and (b in {2..3} or len(c[0:2]) > 1)'), (o) => {
      if (o.kind === 'word') names.push(o.text)
    })
    expect(names).toEqual(['a', '1', 'b', '2', '3', 'c', '1'])
  })

  it('gives the same tree whatever the spacing (spans aside)', () => {
    expect(stripSpans(ast('tcp.port==80&&!ip'))).toEqual(stripSpans(ast(' tcp.port  ==  80 and not ip ')))
  })
})

describe('filter parser: errors with positions (tshark 4.0 wording)', () => {
  // Positions checked against `tshark -Y` 4.0.17's caret lines.
  const cases: [string, string, number, number][] = [
    ['frame.len > 1000 &&', 'Unexpected end of filter expression.', 19, 19],
    ['(tcp', 'Unexpected end of filter expression.', 4, 4],
    ['tcp)', '")" was unexpected in this context.', 3, 4],
    ['()', '")" was unexpected in this context.', 1, 2],
    ['== 80', '"==" was unexpected in this context.', 0, 2],
    ['tcp.port == 80 80', '"80" was unexpected in this context.', 15, 17],
    ['tcp.port = 80', '"=" was unexpected in this context.', 9, 10],
    ['tcp.port == 80 &&& tcp', '"&" was unexpected in this context.', 17, 18],
    ['tcp.port in {80 443}', '"443" was unexpected in this context.', 16, 19],
    ['tcp.port in {}', '"}" was unexpected in this context.', 13, 14],
    ['tcp.port in {80,}', '"}" was unexpected in this context.', 16, 17],
    ['tcp.port == 80..90', '".." was unexpected in this context.', 14, 16],
    ['tcp.port==80and ip', '"ip" was unexpected in this context.', 16, 18],
    ['tcp.port == 80 xor ip', '"xor" was unexpected in this context.', 15, 18],
    ['@tcp.port == 80', '"@" was unexpected in this context.', 0, 1],
    ['http.request.uri == /', '"/" was unexpected in this context.', 20, 21],
    ['"abc', 'The final quote was missing from a quoted string.', 4, 4],
    ['x == "GET\\"', 'The final quote was missing from a quoted string.', 11, 11],
    ['x == "GE\\T"', '\\T is not a valid character escape sequence', 8, 10],
    ['x == "\\400"', '\\400 is larger than 255.', 6, 10],
    ['x == "\\u0047"', '\\u0047 is not a valid universal character name', 6, 12],
    ["x == 'PP'", "'PP' is too long to be a valid character constant.", 5, 9],
    ['eth.src[0:a]', '"0:a" is not a valid range.', 8, 11],
    ['eth.src[]', '"]" was unexpected in this context.', 8, 9],
    ['eth.src[0', 'The right bracket was missing from a slice.', 9, 9],
    ['tcp.port == 80 # comment', 'Expected digit or "[", not " "', 16, 17],
    ['a == b == c', '"==" was unexpected in this context.', 7, 9],
    ['any tcp.port', 'Unexpected end of filter expression.', 12, 12],
    ['all tcp.port in {1}', '"in" was unexpected in this context.', 13, 15]
  ]
  for (const [text, message, pos, end] of cases) {
    it(text, () => {
      expect(err(text)).toEqual({ message, pos, end })
    })
  }

  it('refuses absurd nesting instead of overflowing the stack', () => {
    const deep = '('.repeat(20000) + 'a' + ')'.repeat(20000)
    expect(err(deep).message).toBe('Filter nested too deeply.')
    expect(err('!'.repeat(20000) + 'a').message).toBe('Filter nested too deeply.')
  })
})
