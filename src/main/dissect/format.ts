// Text of field values exactly as `tshark -T fields` (Wireshark 4.0) prints them, plus the
// address formatters the dissectors share. Checked against tshark output in
// test/dissect-lower-format.test.ts.
import { lookupField, type AbsTime, type FieldDef, type FieldNode, type FieldValue } from './fields'

const HEX2: string[] = []
const DEC: string[] = []
for (let i = 0; i < 256; i++) {
  HEX2.push(i.toString(16).padStart(2, '0'))
  DEC.push(String(i))
}

/** Dotted-quad text of the 4 bytes at `off`. */
export function ipv4String(d: Uint8Array, off: number): string {
  return DEC[d[off]] + '.' + DEC[d[off + 1]] + '.' + DEC[d[off + 2]] + '.' + DEC[d[off + 3]]
}

/** "00:11:22:33:44:55" for the 6 bytes at `off` (lowercase, as tshark prints FT_ETHER). */
export function etherString(d: Uint8Array, off: number): string {
  return (
    HEX2[d[off]] + ':' + HEX2[d[off + 1]] + ':' + HEX2[d[off + 2]] + ':' + HEX2[d[off + 3]] + ':' + HEX2[d[off + 4]] + ':' + HEX2[d[off + 5]]
  )
}

/** RFC 5952 text of the 16 bytes at `off`: lowercase, longest run (≥ 2) of zero groups as "::", IPv4-mapped tail. */
export function ipv6String(d: Uint8Array, off: number): string {
  const g = [0, 0, 0, 0, 0, 0, 0, 0]
  for (let i = 0; i < 8; i++) g[i] = (d[off + 2 * i] << 8) | d[off + 2 * i + 1]
  // ::ffff:a.b.c.d and ::a.b.c.d (deprecated IPv4-compatible, which Wireshark still prints dotted when the tail is not ::1-like)
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return '::ffff:' + ipv4String(d, off + 12)
  }
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  if (bestLen < 2) bestStart = -1
  let s = ''
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::'
      i += bestLen - 1
      continue
    }
    if (s !== '' && !s.endsWith(':')) s += ':'
    s += g[i].toString(16)
  }
  return s
}

/** Bytes as lowercase hex without separators (tshark's FT_BYTES). */
export function hexString(b: Uint8Array, start = 0, end = b.length): string {
  let s = ''
  for (let i = start; i < end; i++) s += HEX2[b[i]]
  return s
}

/** Hex text of an unsigned value with `digits` digits, e.g. 0x0800. */
export function hexPad(v: number, digits: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(digits, '0')
}

/** Nanoseconds as the 9 decimals tshark prints; out-of-range values (corrupt files) literally, as tshark does. */
function nsecText(nsec: number): string {
  return nsec >= 0 && nsec < 1e9 ? String(nsec).padStart(9, '0') : String(nsec)
}

/** "sec.nnnnnnnnn" (frame.time_epoch, FT_RELATIVE_TIME values). */
export function epochText(t: AbsTime): string {
  if (t.sec < 0 || t.nsec < 0) {
    // tshark prints a negative relative time with one leading sign
    const neg = t.sec < 0 ? -t.sec : t.sec
    return '-' + String(neg) + '.' + nsecText(t.nsec < 0 ? -t.nsec : t.nsec)
  }
  return String(t.sec) + '.' + nsecText(t.nsec)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Year, month (1-12) and day of a count of days since 1970-01-01 (H. Hinnant's civil_from_days): any year, unlike Date. */
function civil(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

/** "Jan 30, 2007 16:51:32.803243000 UTC": tshark's FT_ABSOLUTE_TIME text (local time there; always UTC here). */
export function utcText(t: AbsTime): string {
  if (!Number.isFinite(t.sec)) return 'Not representable'
  const days = Math.floor(t.sec / 86400)
  const rest = t.sec - days * 86400
  const [y, m, d] = civil(days)
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0')
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0')
  const ss = String(rest % 60).padStart(2, '0')
  return `${MONTHS[m - 1]} ${String(d).padStart(2, ' ')}, ${y} ${hh}:${mm}:${ss}.${nsecText(t.nsec)} UTC`
}

/** Wireshark 4.0's format_text(): control characters escaped (\r, \n, \xNN); backslashes stay as they are. */
export function escapeText(s: string): string {
  // fast path: nothing to escape
  let plain = true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) {
      plain = false
      break
    }
  }
  if (plain) return s
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x20 && c !== 0x7f) {
      out += s[i]
      continue
    }
    switch (c) {
      case 0x07:
        out += '\\a'
        break
      case 0x08:
        out += '\\b'
        break
      case 0x0c:
        out += '\\f'
        break
      case 0x0a:
        out += '\\n'
        break
      case 0x0d:
        out += '\\r'
        break
      case 0x09:
        out += '\\t'
        break
      case 0x0b:
        out += '\\v'
        break
      default:
        out += '\\x' + HEX2[c]
    }
  }
  return out
}

/** C's "%.15g" (tshark's FT_DOUBLE text). */
export function gText(v: number, precision = 15): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'
  const exp = Math.floor(Math.log10(Math.abs(v)))
  if (exp < -4 || exp >= precision) {
    let [m, e] = v.toExponential(precision - 1).split('e')
    if (m.includes('.')) m = m.replace(/\.?0+$/, '')
    const en = Number(e)
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`
  }
  let s = v.toFixed(Math.max(0, precision - 1 - exp))
  if (s.includes('.')) s = s.replace(/\.?0+$/, '')
  return s
}

/** Hex digits tshark uses for an integer type in `-T fields` (the type's width, not the mask's). */
function typeHexDigits(def: FieldDef): number {
  switch (def.type) {
    case 'uint8':
    case 'int8':
      return 2
    case 'uint16':
    case 'int16':
      return 4
    case 'uint24':
      return 6
    case 'uint64':
      return 16
    default:
      return 8
  }
}

/** The `tshark -T fields` text of one value of field `def`. */
export function formatValue(def: FieldDef, value: FieldValue | undefined): string {
  if (value === undefined || value === null) return def.type === 'none' ? '1' : ''
  switch (def.type) {
    case 'uint8':
    case 'uint16':
    case 'uint24':
    case 'uint32':
    case 'framenum': {
      const v = Number(value)
      if (def.base === 'hex' || def.base === 'hex_dec') return hexPad(v, typeHexDigits(def))
      if (def.base === 'oct') return v === 0 ? '0' : '0' + v.toString(8)
      return String(v >>> 0)
    }
    case 'uint64': {
      const v = typeof value === 'bigint' ? value : BigInt(value as number)
      if (def.base === 'hex' || def.base === 'hex_dec') return '0x' + v.toString(16).padStart(16, '0')
      return v.toString()
    }
    case 'int8':
    case 'int16':
    case 'int32':
      return String(value)
    case 'bool':
      return value ? '1' : '0'
    case 'double':
      return gText(Number(value))
    case 'bytes':
      return value instanceof Uint8Array ? (value.length === 0 ? '<none>' : hexString(value)) : String(value)
    case 'string':
      return escapeText(String(value))
    case 'abstime':
      return typeof value === 'object' && !(value instanceof Uint8Array)
        ? def.epoch
          ? epochText(value)
          : utcText(value)
        : String(value)
    case 'reltime':
      if (typeof value === 'number') return value.toFixed(9)
      return typeof value === 'object' && !(value instanceof Uint8Array) ? epochText(value) : String(value)
    case 'none':
      return '1'
    default:
      return typeof value === 'string' ? value : String(value)
  }
}

/**
 * The `tshark -T fields` text of one node. Protocol roots print their summary line, or for
 * `data` the bytes, as tshark 4.0 does; FT_NONE fields print "1" (present).
 */
export function formatNode(n: FieldNode): string {
  const def = lookupField(n.name)
  if (!def) return n.value === undefined ? '' : String(n.value)
  if (def.type === 'protocol') {
    if (n.name === 'data') {
      const child = n.children?.find((c) => c.name === 'data.data')
      return child && child.value instanceof Uint8Array ? hexString(child.value) : ''
    }
    return n.label ?? n.name
  }
  return formatValue(def, n.value)
}

/** All occurrences of `name` joined with ',' as tshark prints a column. */
export function formatColumn(nodes: readonly FieldNode[], name: string): string {
  let out = ''
  let first = true
  const walk = (list: readonly FieldNode[]): void => {
    for (const n of list) {
      if (n.name === name) {
        out += (first ? '' : ',') + formatNode(n)
        first = false
      }
      if (n.children) walk(n.children)
    }
  }
  walk(nodes)
  return out
}
