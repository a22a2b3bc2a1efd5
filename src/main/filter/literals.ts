// Text → value conversions for display-filter literals, one per value class, with tshark 4.0's
// error wording. They return a value or a message (never throw); the compiler attaches the
// position of the literal.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message })

/** An IPv4 address with its CIDR prefix length (32 for a host). */
export interface Ipv4Value {
  addr: number
  bits: number
}

/** An IPv6 address (16 bytes) with its prefix length (128 for a host). */
export interface Ipv6Value {
  bytes: Uint8Array
  bits: number
}

export interface TimeValue {
  sec: number
  nsec: number
}

const U64_MAX = (1n << 64n) - 1n

/**
 * Integer syntax of Wireshark 4.0: decimal, 0x hex, 0b binary, leading-0 octal, optional minus.
 * Returns a bigint so that 64-bit values survive; range checks are the caller's.
 */
export function parseInteger(text: string): Parsed<bigint> {
  const m = /^(-?)(0[xX][0-9A-Fa-f]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text)
  if (!m) return bad(`"${text}" is not a valid number.`)
  const body = m[2]
  let v: bigint
  if (/^0[xXbB]/.test(body)) v = BigInt(body)
  else if (body.length > 1 && body[0] === '0') v = BigInt('0o' + body.slice(1))
  else v = BigInt(body)
  if (v > U64_MAX) return bad(`"${text}" causes an integer overflow.`)
  return ok(m[1] ? -v : v)
}

/** Decimal or exponent floats (`1.5`, `1e-3`, `-2`), and plain integers. */
export function parseDouble(text: string): number | undefined {
  if (!/^-?(\d+(\.\d+)?([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(text)) {
    if (/^-?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity
    return undefined
  }
  return Number(text)
}

function parseDottedQuad(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let v = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    v = v * 256 + n
  }
  return v
}

export function parseIpv4(text: string): Parsed<Ipv4Value> {
  const slash = text.indexOf('/')
  const host = slash < 0 ? text : text.slice(0, slash)
  const addr = parseDottedQuad(host)
  if (addr === undefined) return bad(`"${host}" is not a valid hostname or IPv4 address.`)
  if (slash < 0) return ok({ addr, bits: 32 })
  const bitsText = text.slice(slash + 1)
  if (!/^\d{1,9}$/.test(bitsText)) return bad(`"${text}" is not a valid hostname or IPv4 address.`)
  const bits = Number(bitsText)
  if (bits > 32) return bad(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`)
  return ok({ addr, bits })
}

/** Parses an IPv6 address (RFC 4291 text forms, including an embedded dotted quad) to 16 bytes. */
export function ipv6Bytes(text: string): Uint8Array | undefined {
  if (text.length < 2 || text.length > 45) return undefined
  let head = text
  // An embedded dotted quad in the last 32 bits becomes two hex groups.
  const lastColon = head.lastIndexOf(':')
  if (lastColon >= 0 && head.includes('.', lastColon)) {
    const v4 = parseDottedQuad(head.slice(lastColon + 1))
    if (v4 === undefined) return undefined
    head = `${head.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const dbl = head.indexOf('::')
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return undefined
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return []
    const out: number[] = []
    for (const g of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined
      out.push(parseInt(g, 16))
    }
    return out
  }
  let groups: number[]
  if (dbl >= 0) {
    const left = parseGroups(head.slice(0, dbl))
    const right = parseGroups(head.slice(dbl + 2))
    if (!left || !right) return undefined
    const fill = 8 - left.length - right.length
    if (fill < 1) return undefined
    groups = [...left, ...new Array<number>(fill).fill(0), ...right]
  } else {
    const all = parseGroups(head)
    if (!all) return undefined
    groups = all
  }
  if (groups.length !== 8) return undefined
  const out = new Uint8Array(16)
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8
    out[i * 2 + 1] = g & 0xff
  })
  return out
}

export function parseIpv6(text: string): Parsed<Ipv6Value> {
  const slash = text.indexOf('/')
  const host = slash < 0 ? text : text.slice(0, slash)
  const bytes = ipv6Bytes(host)
  if (!bytes) return bad(`"${host}" is not a valid hostname or IPv6 address.`)
  if (slash < 0) return ok({ bytes, bits: 128 })
  const bitsText = text.slice(slash + 1)
  if (!/^\d{1,9}$/.test(bitsText)) return bad(`"${text}" is not a valid hostname or IPv6 address.`)
  const bits = Number(bitsText)
  if (bits > 128) return bad(`Prefix in a IPv6 address should be <= 128, not ${bits}`)
  return ok({ bytes, bits })
}

/**
 * Byte strings: hex pairs separated by ':', '-' or '.', one or two digits per group when
 * separated (`0:1b:2`), or an unseparated even run of hex digits (`474554`); a lone 1-2 digit
 * group is one byte.
 */
export function parseBytes(text: string): Uint8Array | undefined {
  if (text.length === 0) return undefined
  if (/^[0-9A-Fa-f]+$/.test(text)) {
    if (text.length <= 2) return Uint8Array.of(parseInt(text, 16))
    if (text.length % 2 !== 0) return undefined
    const out = new Uint8Array(text.length / 2)
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16)
    return out
  }
  const sep = /[:.-]/.exec(text)?.[0]
  if (!sep) return undefined
  const groups = text.split(sep)
  if (groups.some((g) => !/^[0-9A-Fa-f]{1,2}$/.test(g))) return undefined
  return Uint8Array.from(groups.map((g) => parseInt(g, 16)))
}

export function parseEther(text: string): Parsed<Uint8Array> {
  let bytes: Uint8Array | undefined
  // Cisco style 0011.2233.4455.
  if (/^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4})+$/.test(text)) bytes = parseBytes(text.replace(/\./g, ''))
  else bytes = parseBytes(text)
  if (!bytes) return bad(`"${text}" is not a valid Ethernet address.`)
  if (bytes.length < 6) return bad(`"${text}" contains too few bytes to be a valid Ethernet address.`)
  if (bytes.length > 6) return bad(`"${text}" contains too many bytes to be a valid Ethernet address.`)
  return ok(bytes)
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/**
 * Absolute times as Wireshark 4.0 reads them: "2011-07-04 12:34:56[.frac]" (a 'T' may replace the
 * space), "Nov 12, 1999 08:55:44[.frac]", or a date alone; local time unless followed by "UTC"/"Z".
 */
export function parseAbsTime(text: string): Parsed<TimeValue> {
  const fail = bad<TimeValue>(
    `"${text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`
  )
  let s = text.trim()
  let utc = false
  const z = /\s*(UTC|Z)$/i.exec(s)
  if (z) {
    utc = true
    s = s.slice(0, z.index)
  }
  let y: number, mo: number, d: number
  let rest: string
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\s*(.*))?$/.exec(s)
  if (m) {
    y = Number(m[1])
    mo = Number(m[2])
    d = Number(m[3])
    rest = m[4] ?? ''
  } else {
    m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(.*)$/.exec(s)
    if (!m) return fail
    mo = MONTHS.indexOf(m[1].toLowerCase()) + 1
    if (mo === 0) return fail
    d = Number(m[2])
    y = Number(m[3])
    rest = m[4]
  }
  let hh = 0,
    mi = 0,
    ss = 0,
    nsec = 0
  if (rest !== '') {
    const t = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(rest)
    if (!t) return fail
    hh = Number(t[1])
    mi = Number(t[2])
    ss = Number(t[3] ?? 0)
    nsec = t[4] ? Number(t[4].padEnd(9, '0')) : 0
    if (hh > 23 || mi > 59 || ss > 60) return fail
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return fail
  const ms = utc ? Date.UTC(y, mo - 1, d, hh, mi, ss) : new Date(y, mo - 1, d, hh, mi, ss).getTime()
  if (!Number.isFinite(ms)) return fail
  return ok({ sec: Math.floor(ms / 1000), nsec })
}

/** Relative times: seconds as a decimal number, optionally followed by "s". */
export function parseRelTime(text: string): Parsed<number> {
  const v = parseDouble(text.endsWith('s') ? text.slice(0, -1) : text)
  if (v === undefined || !Number.isFinite(v)) return bad(`"${text}" is not a valid time.`)
  return ok(v)
}
