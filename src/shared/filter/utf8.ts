// UTF-8 by hand: this folder must run in the renderer and in Node without relying on either
// platform's encoding APIs.

/** UTF-8 bytes of a JS string, as a binary string (one char per byte). Lone surrogates become U+FFFD. */
export function utf8BinaryString(text: string): string {
  let out = ''
  for (const ch of text) {
    let cp = ch.codePointAt(0) ?? 0xfffd
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd
    if (cp < 0x80) out += ch
    else if (cp < 0x800) out += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
    else if (cp < 0x10000) out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    else
      out += String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
  }
  return out
}

/** Decodes UTF-8; each byte of an invalid or truncated sequence becomes U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    let need = 0
    let cp = 0
    let min = 0
    if (b < 0x80) {
      out += String.fromCharCode(b)
      i++
      continue
    } else if (b >= 0xc2 && b < 0xe0) {
      need = 1
      cp = b & 0x1f
      min = 0x80
    } else if (b >= 0xe0 && b < 0xf0) {
      need = 2
      cp = b & 0x0f
      min = 0x800
    } else if (b >= 0xf0 && b < 0xf5) {
      need = 3
      cp = b & 0x07
      min = 0x10000
    } else {
      out += '\ufffd'
      i++
      continue
    }
    let ok = i + need < bytes.length
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false
      else cp = (cp << 6) | (c & 0x3f)
    }
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\ufffd'
      i++
      continue
    }
    out += String.fromCodePoint(cp)
    i += need + 1
  }
  return out
}
