// Literals read according to the type of the field they are compared with, as Wireshark's
// semantic check does: `80` for tcp.port, `10.0.0.0/8` for ip.addr, `GET` for a string field.
// Errors carry tshark 4.0's wording and the literal's span.
import { stringBytes, stringText, type Operand } from '../../shared/filter'
import type { FieldDef } from '../dissect/fields'
import { fail } from './errors'
import {
  parseAbsTime,
  parseBytes,
  parseDouble,
  parseEther,
  parseInteger,
  parseIpv4,
  parseIpv6,
  parseRelTime,
  type Parsed
} from './literals'
import { intRange, typeName, type Value } from './types'

/** What a literal is read as: a registry field type, and the field itself when there is one. */
export interface LiteralTarget {
  type: string
  /** The field (for its value strings and name in messages). */
  def?: FieldDef
  /** The operand's text, for messages when there is no field. */
  name: string
}

/** Reads literal operand `o` (source text `src`) as a value of `target`'s type, or fails with tshark's message. */
export function typedLiteral(o: Operand, target: LiteralTarget, src: string): Value {
  const t = target.type
  const take = <T>(p: Parsed<T>): T => (p.ok ? p.value : fail(p.message, o.span))
  const fromString = (): never => fail(`${typeName(t)} cannot be converted from a string (${JSON.stringify(o.kind === 'string' ? stringText(o) : src)}).`, o.span)
  const word = o.kind === 'word' ? o.text : undefined
  const str = o.kind === 'string' ? stringText(o) : undefined
  const chr = o.kind === 'char' ? o.value : undefined
  if (word === undefined && str === undefined && chr === undefined) fail(`${src} is not a literal value.`, o.span)

  const range = intRange(t)
  if (range) {
    if (chr !== undefined) return t === 'uint64' ? BigInt(chr) : chr
    const text = (word ?? str)!
    const strings = target.def?.strings
    // With value strings, Wireshark reports any literal it cannot use as "not among the possible values".
    const notPossible = (): never => fail(`"${text}" cannot be found among the possible values for ${target.def!.name}.`, o.span)
    let v: bigint
    const p = word !== undefined ? parseInteger(word) : undefined
    if (p?.ok) v = p.value
    else {
      const named = valueStringLookup(target.def, text)
      if (named !== undefined) v = BigInt(named)
      else if (strings) return notPossible()
      else if (str !== undefined) return fromString()
      else return fail(p && !p.ok ? p.message : `"${text}" is not a valid number.`, o.span)
    }
    const outOfRange = v > range[1] || (range[0] < 0n && v < range[0])
    if (outOfRange && strings) notPossible()
    if (v > range[1]) fail(`"${text}" too big for this field, maximum ${range[1]}.`, o.span)
    if (range[0] < 0n && v < range[0]) fail(`"${text}" too small for this field, minimum ${range[0]}.`, o.span)
    // tshark 4.0 accepts a negative literal for an unsigned field, and it then equals and orders
    // against nothing (only != holds): NaN behaves exactly so.
    if (v < 0n && range[0] === 0n) return NaN
    return t === 'uint64' ? v : Number(v)
  }
  switch (t) {
    case 'bool': {
      if (chr !== undefined) return chr !== 0 ? 1 : 0
      const text = (word ?? str)!
      if (text === 'True' || text === 'TRUE') return 1
      if (text === 'False' || text === 'FALSE') return 0
      if (word !== undefined) {
        const p = parseInteger(word)
        if (p.ok) return p.value !== 0n ? 1 : 0
      }
      return fail(`"${text}" cannot be found among the possible values for ${target.def?.name ?? target.name}.`, o.span)
    }
    case 'double': {
      if (chr !== undefined) return chr
      if (str !== undefined) return fromString()
      const v = parseDouble(word!)
      return v !== undefined ? v : fail(`"${word}" is not a valid floating point number.`, o.span)
    }
    case 'reltime':
      if (chr !== undefined) return chr
      return take(parseRelTime((word ?? str)!))
    case 'abstime':
      if (chr !== undefined) return fail(`${src} is not a valid absolute time.`, o.span)
      return take(parseAbsTime((word ?? str)!))
    case 'ipv4':
      if (word === undefined) return fromString()
      return take(parseIpv4(word))
    case 'ipv6':
      if (word === undefined) return fromString()
      return take(parseIpv6(word))
    case 'ether':
      if (chr !== undefined) return Uint8Array.of(chr)
      if (str !== undefined) return fromString()
      return take(parseEther(word!))
    case 'string':
      if (chr !== undefined) return String.fromCharCode(chr)
      return (word ?? str)!
    case 'bytes':
    case 'protocol': {
      if (chr !== undefined) return Uint8Array.of(chr)
      if (o.kind === 'string') return stringBytes(o)
      const b = parseBytes(word!)
      return b ?? fail(`"${word}" is not a valid byte string.`, o.span)
    }
    default:
      return fail(`${target.name} (type=${typeName(t)}) cannot be compared with a value.`, o.span)
  }
}

/** The number a value string stands for (case-insensitive, as Wireshark matches them). */
function valueStringLookup(def: FieldDef | undefined, text: string): number | undefined {
  if (!def?.strings) return undefined
  const want = text.toLowerCase()
  for (const [k, v] of Object.entries(def.strings)) if (v.toLowerCase() === want) return Number(k)
  return undefined
}
