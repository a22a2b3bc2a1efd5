// Byte slices (`eth.src[0:3]`, `tcp.payload[-4:]`, `x[0,2-3]`) as Wireshark cuts them: a
// range that runs past the value drops the value rather than truncating it.
import type { SliceRange } from '../../shared/filter'

type Range = Pick<SliceRange, 'start' | 'length'>

export function applyRanges(b: Uint8Array, ranges: readonly Range[]): Uint8Array | undefined {
  if (ranges.length === 1) return cut(b, ranges[0])
  const parts: Uint8Array[] = []
  let total = 0
  for (const r of ranges) {
    const p = cut(b, r)
    if (!p) return undefined
    parts.push(p)
    total += p.length
  }
  const out = new Uint8Array(total)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function cut(b: Uint8Array, r: Range): Uint8Array | undefined {
  const start = r.start < 0 ? b.length + r.start : r.start
  if (start < 0 || start > b.length) return undefined
  const end = r.length === null ? b.length : start + r.length
  if (end > b.length) return undefined
  return b.subarray(start, end)
}
