// Equality, ordering and containment per value class (see types.ts for the value shapes).
import type { Ipv4Value, Ipv6Value, TimeValue } from './literals'
import type { Value, ValueClass } from './types'

export interface ClassOps {
  eq(a: Value, b: Value): boolean
  /** Negative, zero or positive; absent for classes without an order. */
  cmp?(a: Value, b: Value): number
  contains?(a: Value, b: Value): boolean
  /** The text a regular expression runs over. */
  text?(a: Value): string
}

function bytesCmp(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function bytesIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0
  const first = needle[0]
  const last = hay.length - needle.length
  outer: for (let i = hay.indexOf(first); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer
    return i
  }
  return -1
}

/** Bytes as text for regular expressions: one char per byte, so patterns match ASCII content as PCRE would. */
function latin1(a: Uint8Array): string {
  let s = ''
  for (let i = 0; i < a.length; i += 8192) s += String.fromCharCode(...a.subarray(i, i + 8192))
  return s
}

const v4mask = (bits: number): number => (bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0)

// Addresses with a prefix compare on the shorter prefix, so `ip.addr == 10.0.0.0/8` is a subnet test.
function ipv4Cmp(a: Ipv4Value, b: Ipv4Value): number {
  const m = v4mask(Math.min(a.bits, b.bits))
  return ((a.addr & m) >>> 0) - ((b.addr & m) >>> 0)
}

function ipv6Cmp(a: Ipv6Value, b: Ipv6Value): number {
  const bits = Math.min(a.bits, b.bits)
  for (let i = 0; i < 16; i++) {
    const left = bits - i * 8
    if (left <= 0) return 0
    const m = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff
    const d = (a.bytes[i] & m) - (b.bytes[i] & m)
    if (d !== 0) return d
  }
  return 0
}

/** NaN (an incomparable literal, see compile.ts) orders against nothing: every test on NaN is false. */
const numCmp = (a: Value, b: Value): number => {
  const x = a as number | bigint
  const y = b as number | bigint
  return x < y ? -1 : x > y ? 1 : x == y ? 0 : NaN // eslint-disable-line eqeqeq
}

export const OPS: Record<ValueClass, ClassOps> = {
  // number and bigint compare correctly with each other through == < >.
  // eslint-disable-next-line eqeqeq
  num: { eq: (a, b) => (a as number) == (b as number), cmp: numCmp },
  bool: { eq: (a, b) => a === b, cmp: numCmp },
  time: {
    eq: (a, b) => (a as TimeValue).sec === (b as TimeValue).sec && (a as TimeValue).nsec === (b as TimeValue).nsec,
    cmp: (a, b) => (a as TimeValue).sec - (b as TimeValue).sec || (a as TimeValue).nsec - (b as TimeValue).nsec
  },
  ipv4: { eq: (a, b) => ipv4Cmp(a as Ipv4Value, b as Ipv4Value) === 0, cmp: (a, b) => ipv4Cmp(a as Ipv4Value, b as Ipv4Value) },
  ipv6: { eq: (a, b) => ipv6Cmp(a as Ipv6Value, b as Ipv6Value) === 0, cmp: (a, b) => ipv6Cmp(a as Ipv6Value, b as Ipv6Value) },
  bytes: {
    eq: (a, b) => bytesEq(a as Uint8Array, b as Uint8Array),
    cmp: (a, b) => bytesCmp(a as Uint8Array, b as Uint8Array),
    contains: (a, b) => bytesIndexOf(a as Uint8Array, b as Uint8Array) >= 0,
    text: (a) => latin1(a as Uint8Array)
  },
  string: {
    eq: (a, b) => a === b,
    cmp: (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0),
    contains: (a, b) => (a as string).includes(b as string),
    text: (a) => a as string
  },
  none: { eq: () => false }
}
