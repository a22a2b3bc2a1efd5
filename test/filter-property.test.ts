// Property tests: print ∘ parse is the identity on trees (spans aside), and no input makes the
// parser or the compiler throw.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseFilter, printFilter, stripSpans, type Expr, type Operand, type SetElement } from '../src/shared/filter'
import { isKeyword } from '../src/shared/filter/lexer'
import { compileFilter } from '../src/main/filter'
import type { FieldDef, FieldType } from '../src/main/dissect/fields'

const span = { start: 0, end: 0 }

const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((s) => !isKeyword(s))
const fieldName = fc
  .array(fc.stringMatching(/^[a-z][a-z0-9_-]{0,5}$/), { minLength: 1, maxLength: 3 })
  .map((p) => p.join('.'))
  .filter((s) => !isKeyword(s) && !s.endsWith('-'))
const literalWord = fc.oneof(
  fc.integer({ min: -1000, max: 100000 }).map(String),
  fc.integer({ min: 0, max: 0xffff }).map((n) => '0x' + n.toString(16)),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.option(fc.nat(32))).map(
    ([a, b, c, d, m]) => `${a}.${b}.${c}.${d}${m === null ? '' : '/' + m}`
  ),
  fc.array(fc.nat(255), { minLength: 1, maxLength: 8 }).map((bs) => bs.map((b) => b.toString(16).padStart(2, '0')).join(':')),
  fc.constantFrom('fe80::1', '::1', '2001:db8::/32', '00-11-22-33-44-55', '0011.2233.4455', '1.5e-3', 'True', 'GET')
)
const word = fc.oneof(fieldName, literalWord)

const binaryString = fc.array(fc.nat(255), { maxLength: 12 }).map((cs) => String.fromCharCode(...cs))

const primary: fc.Arbitrary<Operand> = fc.letrec<{ primary: Operand; operand: Operand; call: Operand }>((tie) => ({
  primary: fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('word' as const), text: word, span: fc.constant(span) }) },
    {
      weight: 1,
      arbitrary: fc
        .record({ text: fieldName, layer: fc.nat(9) })
        .map(({ text, layer }): Operand => ({ kind: 'word', text, layer, span }))
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('string' as const), value: binaryString, span: fc.constant(span) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('char' as const), value: fc.nat(255), span: fc.constant(span) }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(fieldName.map((text): Operand => ({ kind: 'word', text, span })), tie('call')),
          fc.array(
            fc.record({ start: fc.integer({ min: -20, max: 20 }), length: fc.option(fc.nat(20)), span: fc.constant(span) }),
            { minLength: 1, maxLength: 3 }
          )
        )
        .map(([operand, ranges]): Operand => ({ kind: 'slice', operand, ranges, span }))
    },
    { weight: 1, arbitrary: tie('call') }
  ),
  call: fc
    .record({ name: ident, args: fc.array(tie('operand'), { maxLength: 2, depthIdentifier: 'args' }) })
    .map(({ name, args }): Operand => ({ kind: 'call', name, args, nameSpan: span, span })),
  // `&` is left-associative and operands cannot be parenthesised: right sides are primaries.
  operand: fc
    .tuple(tie('primary'), fc.array(tie('primary'), { maxLength: 2 }))
    .map(([first, rest]) => rest.reduce((left: Operand, right): Operand => ({ kind: 'bitand', left, right, span }), first))
})).operand

const element: fc.Arbitrary<SetElement> = fc.oneof(
  primary.map((value): SetElement => ({ kind: 'value', value, span })),
  fc.tuple(primary, primary).map(([low, high]): SetElement => ({ kind: 'range', low, high, span }))
)

const expr: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primary.map((operand): Expr => ({ kind: 'test', operand, span })),
    fc
      .record({
        op: fc.constantFrom('==', '!=', '<', '>', '<=', '>=', 'contains', 'matches'),
        quantifier: fc.constantFrom('any', 'all'),
        left: primary,
        right: primary
      })
      .map((r): Expr => ({ kind: 'compare', ...r, opSpan: span, span })),
    fc
      .record({ negated: fc.boolean(), left: primary, elements: fc.array(element, { minLength: 1, maxLength: 3 }) })
      .map((r): Expr => ({ kind: 'in', ...r, opSpan: span, span })),
    tie('expr').map((e): Expr => ({ kind: 'not', expr: e, span })),
    fc.record({ kind: fc.constantFrom('and', 'or'), left: tie('expr'), right: tie('expr') }).map((r): Expr => ({ ...r, span }))
  )
})).expr

const FIELDS: Record<string, FieldType> = {
  tcp: 'protocol',
  'tcp.port': 'uint16',
  'tcp.flags.syn': 'bool',
  'ip.addr': 'ipv4',
  'ipv6.addr': 'ipv6',
  'eth.src': 'ether',
  'http.host': 'string',
  'tcp.payload': 'bytes',
  'frame.time': 'abstime',
  'frame.time_relative': 'reltime',
  'tcp.analysis': 'none',
  a: 'uint64',
  b: 'int32',
  c: 'double'
}
const lookup = (name: string): FieldDef | undefined => (FIELDS[name] ? { name, title: name, type: FIELDS[name] } : undefined)

describe('filter properties', () => {
  it('print then parse gives the same tree', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printFilter(e)
        const r = parseFilter(text)
        if (!r.ok) throw new Error(`${text}: ${r.error.message} at ${r.error.pos}`)
        expect(stripSpans(r.ast)).toEqual(stripSpans(e))
        // And printing is a fixed point.
        expect(printFilter(r.ast)).toBe(text)
      }),
      { numRuns: 1500 }
    )
  })

  it('spans lie inside the text and cover their children', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printFilter(e)
        const r = parseFilter(text)
        if (!r.ok || !r.ast) throw new Error('unparsable')
        const check = (node: unknown, outer: { start: number; end: number }): void => {
          if (!node || typeof node !== 'object') return
          const s = (node as { span?: { start: number; end: number } }).span
          let inner = outer
          if (s) {
            expect(s.start).toBeGreaterThanOrEqual(outer.start)
            expect(s.end).toBeLessThanOrEqual(outer.end)
            expect(s.start).toBeLessThanOrEqual(s.end)
            inner = s
          }
          for (const v of Object.values(node)) check(v, inner)
        }
        check(r.ast, { start: 0, end: text.length })
      }),
      { numRuns: 300 }
    )
  })

  const filterish = fc
    .array(
      fc.constantFrom(
        'tcp', 'tcp.port', 'ip.addr', 'eth.src', 'http.host', 'a', 'b', 'c', 'frame.time', 'tcp.analysis', 'tcp.payload',
        '==', '!=', '===', '!==', '~=', '~', '<', '>=', 'eq', 'contains', 'matches', 'and', 'or', 'not', '!', '&&', '||', '&',
        'in', 'any', 'all', '(', ')', '{', '}', '[', ']', ',', '..', ':', '#', '1', '0x1f', '-3', '10.0.0.0/8', 'fe80::/10',
        '"x"', '"\\x', "'a'", "'", '"', 'r"\\d"', '0:3', 'len', 'count', 'lower', '1.5', 'True', ' ', '  ', '\\', '$', '网'
      ),
      { maxLength: 14 }
    )
    .map((parts) => parts.join(''))

  it('never throws on garbage: always a tree or a positioned error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), filterish), (text) => {
        const r = parseFilter(text)
        if (!r.ok) {
          expect(typeof r.error.message).toBe('string')
          expect(r.error.message.length).toBeGreaterThan(0)
          expect(r.error.pos).toBeGreaterThanOrEqual(0)
          expect(r.error.end).toBeLessThanOrEqual(text.length)
          expect(r.error.pos).toBeLessThanOrEqual(r.error.end)
        }
        const c = compileFilter(text, { lookup })
        if (!c.ok) {
          expect(c.error.message).not.toMatch(/^Internal/)
          expect(c.error.pos).toBeGreaterThanOrEqual(0)
          expect(c.error.end).toBeLessThanOrEqual(text.length)
        } else {
          // A compiled filter evaluates on an empty tree without throwing.
          expect(typeof c.filter.match([], new Uint8Array(0))).toBe('boolean')
        }
      }),
      { numRuns: 3000 }
    )
  })
})
