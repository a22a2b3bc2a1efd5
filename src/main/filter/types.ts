// How each registry field type behaves in a filter: its comparison class, how a tree value is
// normalised for comparison, and tshark 4.0's names for it in error messages.
import type { FieldNode, FieldType } from '../dissect/fields'
import { ipv6Bytes, parseBytes, type Ipv4Value, type Ipv6Value, type TimeValue } from './literals'

/**
 * Comparison classes. Types in one class compare with each other: all integers and doubles are
 * `num` (number or bigint), MAC addresses, byte fields and protocols are `bytes`.
 */
export type ValueClass = 'num' | 'bool' | 'time' | 'ipv4' | 'ipv6' | 'bytes' | 'string' | 'none'

/** Runtime value of each class: num → number | bigint, bool → 0 | 1, time → TimeValue, ipv4 → Ipv4Value, ipv6 → Ipv6Value, bytes → Uint8Array, string → string. */
export type Value = number | bigint | TimeValue | Ipv4Value | Ipv6Value | Uint8Array | string

const INT_RANGE: Partial<Record<FieldType, [bigint, bigint]>> = {
  uint8: [0n, 0xffn],
  uint16: [0n, 0xffffn],
  uint24: [0n, 0xffffffn],
  uint32: [0n, 0xffffffffn],
  framenum: [0n, 0xffffffffn],
  uint64: [0n, 0xffffffffffffffffn],
  int8: [-0x80n, 0x7fn],
  int16: [-0x8000n, 0x7fffn],
  int32: [-0x80000000n, 0x7fffffffn]
}

/** [min, max] of an integer field type, or undefined for non-integers. */
export function intRange(t: string): [bigint, bigint] | undefined {
  if (t in INT_RANGE) return INT_RANGE[t as FieldType]
  const m = /^(u?)int(\d+)$/.exec(t)
  if (!m) return undefined
  const bits = BigInt(m[2])
  return m[1] ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n]
}

export function classOf(t: string): ValueClass {
  switch (t) {
    case 'bool':
      return 'bool'
    case 'double':
    case 'reltime':
      return 'num'
    case 'abstime':
      return 'time'
    case 'ipv4':
      return 'ipv4'
    case 'ipv6':
      return 'ipv6'
    case 'ether':
    case 'bytes':
    case 'protocol':
      return 'bytes'
    case 'string':
      return 'string'
    case 'none':
      return 'none'
    default:
      return intRange(t) ? 'num' : 'none'
  }
}

/** Wireshark 4.0's ftype pretty names, as in "tcp.port (type=Unsigned integer (2 bytes)) cannot ...". */
export function typeName(t: string): string {
  const ints: Record<string, string> = {
    uint8: 'Unsigned integer (1 byte)',
    uint16: 'Unsigned integer (2 bytes)',
    uint24: 'Unsigned integer (3 bytes)',
    uint32: 'Unsigned integer (4 bytes)',
    uint64: 'Unsigned integer (8 bytes)',
    int8: 'Signed integer (1 byte)',
    int16: 'Signed integer (2 bytes)',
    int32: 'Signed integer (4 bytes)'
  }
  if (ints[t]) return ints[t]
  const names: Record<string, string> = {
    protocol: 'Protocol',
    none: 'Label',
    bool: 'Boolean',
    double: 'Floating point (double-precision)',
    ipv4: 'IPv4 address',
    ipv6: 'IPv6 address',
    ether: 'Ethernet or other MAC address',
    string: 'Character string',
    bytes: 'Byte sequence',
    abstime: 'Date and time',
    reltime: 'Time offset',
    framenum: 'Frame number'
  }
  return names[t] ?? t
}

/** Wireshark's FT_ enum names, used by its arithmetic error messages ("FT_BOOLEAN cannot &."). */
export function ftName(t: string): string {
  const names: Record<string, string> = {
    bool: 'FT_BOOLEAN',
    double: 'FT_DOUBLE',
    ipv4: 'FT_IPv4',
    ipv6: 'FT_IPv6',
    ether: 'FT_ETHER',
    string: 'FT_STRING',
    bytes: 'FT_BYTES',
    abstime: 'FT_ABSOLUTE_TIME',
    reltime: 'FT_RELATIVE_TIME',
    framenum: 'FT_FRAMENUM',
    protocol: 'FT_PROTOCOL',
    none: 'FT_NONE'
  }
  return names[t] ?? 'FT_' + t.toUpperCase()
}

const encoder = new TextEncoder()

function dottedToInt(s: string): number | undefined {
  const p = s.split('.')
  if (p.length !== 4) return undefined
  let v = 0
  for (const x of p) {
    const n = Number(x)
    if (!(n >= 0 && n <= 255) || x === '') return undefined
    v = v * 256 + n
  }
  return v
}

/**
 * A tree node's value normalised for comparison (`extentEnd`: protocols only, see below), or undefined when the node carries nothing
 * comparable (a dissector bug or a value-less node): such occurrences simply never match.
 */
export function nodeValue(t: string, n: FieldNode, data: Uint8Array, extentEnd = -1): Value | undefined {
  const v = n.value
  switch (t) {
    case 'bool':
      if (typeof v === 'boolean') return v ? 1 : 0
      if (typeof v === 'number') return v !== 0 ? 1 : 0
      if (typeof v === 'bigint') return v !== 0n ? 1 : 0
      return undefined
    case 'double':
      if (typeof v === 'number') return v
      if (typeof v === 'bigint') return Number(v)
      return undefined
    case 'reltime':
      if (typeof v === 'number') return v
      if (v && typeof v === 'object' && 'sec' in v) return v.sec + v.nsec / 1e9
      return undefined
    case 'abstime':
      if (v && typeof v === 'object' && 'sec' in v) return v
      if (typeof v === 'number') {
        const sec = Math.floor(v)
        return { sec, nsec: Math.round((v - sec) * 1e9) }
      }
      return undefined
    case 'ipv4':
      if (typeof v === 'string') {
        const addr = dottedToInt(v)
        return addr === undefined ? undefined : { addr, bits: 32 }
      }
      if (typeof v === 'number') return { addr: v >>> 0, bits: 32 }
      if (v instanceof Uint8Array && v.length === 4) return { addr: ((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0, bits: 32 }
      return undefined
    case 'ipv6':
      if (typeof v === 'string') {
        const bytes = ipv6Bytes(v)
        return bytes ? { bytes, bits: 128 } : undefined
      }
      if (v instanceof Uint8Array && v.length === 16) return { bytes: v, bits: 128 }
      return undefined
    case 'ether':
      if (v instanceof Uint8Array) return v
      if (typeof v === 'string') return parseBytes(v)
      return undefined
    case 'bytes':
      if (v instanceof Uint8Array) return v
      if (typeof v === 'string') return encoder.encode(v)
      return undefined
    case 'protocol':
      // Wireshark compares a protocol as its whole tvb: from its first byte to the end of the
      // data it was handed (payload included), which is what extentEnd measures (see compile.ts).
      // A protocol dissected from reassembled data has no bytes in this frame (off -1); its
      // dissector may hand them over as the node's value.
      if (n.off < 0) return v instanceof Uint8Array ? v : new Uint8Array(0)
      return data.subarray(n.off, Math.min(data.length, Math.max(n.off + n.len, extentEnd)))
    case 'string':
      if (typeof v === 'string') return v
      if (v === undefined || v === null || v instanceof Uint8Array || typeof v === 'object') return undefined
      return String(v)
    case 'none':
      return undefined
    default:
      if (typeof v === 'number' || typeof v === 'bigint') return v
      if (typeof v === 'boolean') return v ? 1 : 0
      return undefined
  }
}

/** The bytes a slice cuts from a value, or undefined for types that are not byte sequences. */
export function valueBytes(cls: ValueClass, v: Value): Uint8Array | undefined {
  switch (cls) {
    case 'bytes':
      return v as Uint8Array
    case 'string':
      return encoder.encode(v as string)
    case 'ipv4': {
      const a = (v as Ipv4Value).addr
      return Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff)
    }
    case 'ipv6':
      return (v as Ipv6Value).bytes
    default:
      return undefined
  }
}
