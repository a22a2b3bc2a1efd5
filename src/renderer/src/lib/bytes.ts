// Byte helpers for the hex pane.

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function hexByte(b: number): string {
  return HEX[b]
}

/** The ASCII column as Wireshark shows it: printable ASCII, '.' otherwise. */
export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
}

export function offsetLabel(off: number, width = 4): string {
  return off.toString(16).padStart(width, '0')
}
