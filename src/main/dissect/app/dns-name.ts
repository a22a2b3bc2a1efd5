// DNS names (RFC 1035 §4.1.4): labels with compression pointers. Decoding is bounded: at most
// MAX_JUMPS pointer hops (a pointer loop ends there), at most 255 bytes of name and 127 labels.

export const MAX_JUMPS = 64
const MAX_NAME = 255
const MAX_LABELS = 127

export interface DnsName {
  /** Presentation form ("www.example.com", "<Root>" for the root). */
  name: string
  /** Bytes the name occupies at its position (up to and including the first pointer). */
  len: number
  labels: number
  /** Length of the name in characters, as dns.qry.name.len ("<Root>" counts 0). */
  nameLen: number
  /** Set when the name ran past the message, looped or grew too long. */
  error?: string
}

/**
 * Reads the name at `off` in the message `msgOff..msgEnd` of `d` (pointers are relative to msgOff).
 */
export function readDnsName(d: Uint8Array, msgOff: number, msgEnd: number, off: number): DnsName {
  let p = off
  let len = -1
  let jumps = 0
  let labels = 0
  let out = ''
  let total = 0
  let error: string | undefined
  for (;;) {
    if (p >= msgEnd) {
      error = 'name runs past the end of the message'
      break
    }
    const b = d[p]!
    if (b === 0) {
      if (len < 0) len = p + 1 - off
      break
    }
    const kind = b & 0xc0
    if (kind === 0xc0) {
      if (p + 1 >= msgEnd) {
        error = 'compression pointer cut short'
        break
      }
      if (len < 0) len = p + 2 - off
      if (++jumps > MAX_JUMPS) {
        error = 'too many compression pointers (loop?)'
        break
      }
      const target = msgOff + (((b & 0x3f) << 8) | d[p + 1]!)
      p = target
      continue
    }
    if (kind !== 0) {
      error = `unsupported label type 0x${kind.toString(16)}`
      if (len < 0) len = p + 1 - off
      break
    }
    if (p + 1 + b > msgEnd) {
      error = 'label runs past the end of the message'
      break
    }
    if (++labels > MAX_LABELS || (total += b + 1) > MAX_NAME) {
      error = 'name too long'
      break
    }
    if (out) out += '.'
    for (let i = p + 1; i <= p + b; i++) {
      const c = d[i]!
      // Wireshark escapes non-printables as \ddd-like; keep printable ASCII, escape the rest.
      out += c >= 0x21 && c <= 0x7e && c !== 0x2e && c !== 0x5c ? String.fromCharCode(c) : c === 0x2e ? '\\.' : c === 0x5c ? '\\\\' : `\\${c.toString(8).padStart(3, '0')}`
    }
    p += 1 + b
  }
  if (len < 0) len = Math.max(0, Math.min(p, msgEnd) - off)
  const name = out || '<Root>'
  return { name, len, labels, nameLen: out.length, error }
}
