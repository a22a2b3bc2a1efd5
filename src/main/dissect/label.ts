// Wireshark-like details-tree lines, built on demand from the field registry so that
// dissection itself never formats strings: "Time to Live: 64", "Protocol: TCP (6)",
// "0... .... = Reserved bit: Not set". Protocol roots and other one-off lines carry an
// explicit label set by their dissector.
import { epochText, escapeText, gText, hexString, utcText } from './format'
import { lookupField, typeBits, type FieldDef, type FieldNode, type FieldValue } from './fields'

/** Bits of a mask once shifted down (Wireshark's hfinfo_mask_bitwidth). */
function maskWidth(mask: number): number {
  let m = mask >>> 0
  if (m === 0) return 0
  while ((m & 1) === 0) m >>>= 1
  return 32 - Math.clz32(m)
}

function shiftOf(mask: number): number {
  let s = 0
  let m = mask >>> 0
  if (m === 0) return 0
  while ((m & 1) === 0) {
    m >>>= 1
    s++
  }
  return s
}

function hexDigits(def: FieldDef): number {
  if (def.mask) return Math.max(1, Math.ceil(maskWidth(def.mask) / 4))
  return Math.ceil(typeBits(def.type) / 4)
}

function hex(def: FieldDef, v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(hexDigits(def), '0')
}

/** "0... .... = " for the bits of `raw` under `mask` in a `bits`-wide field (Wireshark's decode_bitfield_value). */
export function bitString(mask: number, bits: number, raw: number): string {
  let s = ''
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i
    const inMask = Math.floor(mask / bit) % 2 === 1
    s += inMask ? (Math.floor(raw / bit) % 2 === 1 ? '1' : '0') : '.'
    if (i > 0 && i % 4 === 0) s += ' '
  }
  return s + ' = '
}

/** The bit picture of a registered masked field holding `value` (shifted, or a boolean). */
export function bitPattern(def: FieldDef, value: FieldValue | undefined): string {
  const mask = def.mask ?? 0
  const bits = def.maskBits ?? typeBits(def.type)
  const raw = def.type === 'bool' ? (value ? mask : 0) : (Number(value ?? 0) * 2 ** shiftOf(mask)) % 2 ** bits
  return bitString(mask, bits, raw)
}

function intText(def: FieldDef, v: number | bigint): string {
  if (typeof v === 'bigint') {
    const h = '0x' + v.toString(16).padStart(16, '0')
    return def.base === 'hex' ? h : def.base === 'hex_dec' ? `${h} (${v})` : def.base === 'dec_hex' ? `${v} (${h})` : v.toString()
  }
  const name = def.strings ? def.strings[v] : undefined
  if (def.strings) {
    const n = name ?? 'Unknown'
    // BASE_NONE with value strings: the name alone ("Unverified")
    if (def.base === undefined) return name ?? `Unknown (${v})`
    return def.base === 'hex' || def.base === 'hex_dec' ? `${n} (${hex(def, v)})` : `${n} (${v})`
  }
  const unit = def.unit ?? ''
  switch (def.base) {
    case 'oui': {
      const h = (v >>> 0).toString(16).padStart(6, '0')
      return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`
    }
    case 'hex':
      return hex(def, v) + unit
    case 'dec_hex':
      return `${v}${unit} (${hex(def, v)})`
    case 'hex_dec':
      return `${hex(def, v)} (${v})${unit}`
    case 'oct':
      return (v === 0 ? '0' : '0' + v.toString(8)) + unit
    default:
      return String(v) + unit
  }
}

function bytesText(b: Uint8Array): string {
  if (b.length === 0) return '<none>'
  // Wireshark shows at most 36 bytes of a byte field in a label, then an ellipsis
  return b.length > 36 ? hexString(b, 0, 36) + '…' : hexString(b)
}

/** The value part of a label: "TCP (6)", "0x0800", "Set", "10.0.0.1". */
export function valueText(def: FieldDef, value: FieldValue | undefined): string {
  if (value === undefined || value === null) return ''
  switch (def.type) {
    case 'bool': {
      const tfs = def.tfs ?? ['True', 'False']
      return value ? tfs[0] : tfs[1]
    }
    case 'uint8':
    case 'uint16':
    case 'uint24':
    case 'uint32':
    case 'uint64':
    case 'int8':
    case 'int16':
    case 'int32':
    case 'framenum':
      return typeof value === 'number' || typeof value === 'bigint' ? intText(def, value) : String(value)
    case 'double':
      return gText(Number(value)) + (def.unit ?? '')
    case 'bytes':
      return value instanceof Uint8Array ? bytesText(value) : String(value)
    case 'string':
      return escapeText(String(value))
    case 'abstime':
      if (typeof value === 'object' && !(value instanceof Uint8Array)) return def.epoch ? epochText(value) + ' seconds' : utcText(value)
      return String(value)
    case 'reltime':
      if (typeof value === 'number') return value.toFixed(9) + ' seconds'
      if (typeof value === 'object' && !(value instanceof Uint8Array)) return epochText(value) + ' seconds'
      return String(value)
    default:
      return String(value)
  }
}

/** The details-tree line of a node. */
export function labelOf(n: FieldNode): string {
  let text: string
  if (n.label !== undefined) text = n.label
  else {
    const def = lookupField(n.name)
    if (!def) text = n.name
    else if (def.labeler) text = def.labeler(n)
    else if (def.type === 'protocol' || def.type === 'none') text = def.title
    else {
      const prefix = def.mask ? bitPattern(def, n.value) : ''
      text = prefix + def.title + ': ' + valueText(def, n.value)
    }
  }
  return n.generated ? '[' + text + ']' : text
}
