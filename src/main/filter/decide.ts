// Deciding a display filter from less than a dissection tree: the packet index alone, or a
// summary dissection. A reader supplies a field's occurrences from such a source, or says it
// cannot; the filter's leaves (comparisons, membership, presence) are evaluated on what the
// readers give, and and/or/not combine the outcomes in three-valued logic. UNKNOWN sends the
// frame to the next, costlier level; YES and NO are final, so results equal the tree's as long
// as every reader tells the truth about the tree.
import type { Expr } from '../../shared/filter'
import type { FieldNode } from '../dissect/fields'
import { compileFilterAst, type DisplayFilter, type FieldUse } from './compile'

export const NO = 0
export const YES = 1
export const UNKNOWN = 2
export type Verdict = typeof NO | typeof YES | typeof UNKNOWN

/** The occurrences were written to `out`: exactly these. */
export const EXACT = 0
/** Either exactly the occurrences written to `out`, or none at all (e.g. tcp.stream seen from the index). */
export const MAYBE = 1
/** This source cannot tell for this frame. */
export const DECLINE = 2
export type ReadResult = typeof EXACT | typeof MAYBE | typeof DECLINE

/** Writes the occurrences of one field in the frame `env` describes to `out` (which arrives empty). */
export type FieldReader<E> = (env: E, out: FieldNode[]) => ReadResult

/** The reader for a field read the way `use` says, or undefined when this source never knows it. */
export type ReaderLookup<E> = (use: FieldUse) => FieldReader<E> | undefined

/**
 * Bytes that hold all the data of every occurrence of `protocol` in the frame (its whole tvb, as
 * `contains` searches it), or undefined when this source has none: a literal missing from
 * them is missing from the protocol too, so `protocol contains literal` is false.
 */
export type HaystackLookup<E> = (protocol: string) => ((env: E) => Uint8Array) | undefined

export type Decider<E> = (env: E) => Verdict

/** Leaves with more MAYBE fields than this are UNKNOWN rather than evaluated 2^n times. */
const MAX_MAYBE = 3

const none: readonly FieldNode[] = []

/**
 * A decider for `filter` over frames described by E, or null when no leaf of the filter can be
 * read from this source (every frame would be UNKNOWN).
 */
export function buildDecider<E>(filter: DisplayFilter, readers: ReaderLookup<E>, haystack?: HaystackLookup<E>): Decider<E> | null {
  if (!filter.ast) return () => YES
  return node(filter.ast, filter.source, readers, haystack)
}

function node<E>(e: Expr, text: string | undefined, readers: ReaderLookup<E>, haystack: HaystackLookup<E> | undefined): Decider<E> | null {
  switch (e.kind) {
    case 'and': {
      const l = node(e.left, text, readers, haystack)
      const r = node(e.right, text, readers, haystack)
      if (!l && !r) return null
      if (!l) return (env) => (r!(env) === NO ? NO : UNKNOWN)
      if (!r) return (env) => (l(env) === NO ? NO : UNKNOWN)
      return (env) => {
        const a = l(env)
        if (a === NO) return NO
        const b = r(env)
        if (b === NO) return NO
        return a === YES && b === YES ? YES : UNKNOWN
      }
    }
    case 'or': {
      const l = node(e.left, text, readers, haystack)
      const r = node(e.right, text, readers, haystack)
      if (!l && !r) return null
      if (!l) return (env) => (r!(env) === YES ? YES : UNKNOWN)
      if (!r) return (env) => (l(env) === YES ? YES : UNKNOWN)
      return (env) => {
        const a = l(env)
        if (a === YES) return YES
        const b = r(env)
        if (b === YES) return YES
        return a === NO && b === NO ? NO : UNKNOWN
      }
    }
    case 'not': {
      const x = node(e.expr, text, readers, haystack)
      if (!x) return null
      return (env) => {
        const v = x(env)
        return v === YES ? NO : v === NO ? YES : UNKNOWN
      }
    }
    default: {
      const compiled = compileFilterAst(e, {}, text)
      if (!compiled.ok) return null
      return leaf(compiled.filter, readers) ?? containsHint(e, compiled.filter, readers, haystack)
    }
  }
}

/** A comparison, membership or presence test, compiled on its own and fed by the readers. */
function leaf<E>(f: DisplayFilter, readers: ReaderLookup<E>): Decider<E> | null {
  const fns: FieldReader<E>[] = []
  for (const use of f.uses) {
    if (use.layers) return null
    const r = readers(use)
    if (!r) return null
    fns.push(r)
  }
  const n = fns.length
  const filled: FieldNode[][] = fns.map(() => [])
  const slots: (readonly FieldNode[])[] = filled.slice()
  const maybe: number[] = []
  const empty = new Uint8Array(0)
  if (n === 1) {
    // One field: its "absent" outcome is the same for every frame.
    const read = fns[0]!
    const out = filled[0]!
    const absent = f.evaluate([none], empty) ? YES : NO
    return (env) => {
      out.length = 0
      const r = read(env, out)
      if (r === DECLINE) return UNKNOWN
      const v = out.length === 0 ? absent : f.evaluate(slots, empty) ? YES : NO
      return r === MAYBE && v !== absent ? UNKNOWN : v
    }
  }
  return (env) => {
    maybe.length = 0
    for (let i = 0; i < n; i++) {
      const out = filled[i]!
      out.length = 0
      const r = fns[i]!(env, out)
      if (r === DECLINE) return UNKNOWN
      if (r === MAYBE) maybe.push(i)
      slots[i] = out
    }
    if (maybe.length === 0) return f.evaluate(slots, empty) ? YES : NO
    if (maybe.length > MAX_MAYBE) return UNKNOWN
    // Every combination of present/absent for the MAYBE fields: one answer for all, or UNKNOWN.
    let seen = -1
    for (let mask = 0; mask < 1 << maybe.length; mask++) {
      for (let k = 0; k < maybe.length; k++) slots[maybe[k]!] = mask & (1 << k) ? filled[maybe[k]!]! : none
      const v = f.evaluate(slots, empty) ? YES : NO
      if (seen === -1) seen = v
      else if (seen !== v) return UNKNOWN
    }
    return seen as Verdict
  }
}

/**
 * `protocol contains literal` when the protocol's bytes are out of reach but bytes holding them
 * are not: NO when the protocol is absent or the literal is not in those bytes, else UNKNOWN.
 * Most frames of a capture do not contain what a user searches for, so few reach the tree.
 */
function containsHint<E>(e: Expr, f: DisplayFilter, readers: ReaderLookup<E>, haystack: HaystackLookup<E> | undefined): Decider<E> | null {
  if (!haystack || e.kind !== 'compare' || e.op !== 'contains' || e.quantifier !== 'any') return null
  if (e.left.kind !== 'word' || e.left.layer !== undefined) return null
  if (e.right.kind !== 'string' && e.right.kind !== 'word' && e.right.kind !== 'char') return null
  const use = f.uses[0]
  if (f.uses.length !== 1 || !use || use.def.type !== 'protocol') return null
  const present = readers({ ...use, presence: true, values: false, count: false, layers: false, bytes: false })
  const hay = haystack(use.name)
  if (!present || !hay) return null
  const found: FieldNode[] = []
  const wide: FieldNode = { name: use.name, off: -1, len: 0 }
  const slots: (readonly FieldNode[])[] = [[wide]]
  const empty = new Uint8Array(0)
  return (env) => {
    found.length = 0
    const r = present(env, found)
    if (r === DECLINE) return UNKNOWN
    if (found.length === 0) return r === EXACT ? NO : UNKNOWN
    // A protocol node with no bytes in the frame compares as its value: here, the haystack.
    wide.value = hay(env)
    return f.evaluate(slots, empty) ? UNKNOWN : NO
  }
}
