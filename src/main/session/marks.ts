// The `mark` byte of an index entry: the row colour class and the annotated flag, decided once
// when the packet is indexed so the list never re-derives it.
import type { RowColor } from '../../shared/contract'

const COLORS: RowColor[] = ['', 'handshake', 'syn', 'fin', 'rst', 'retrans', 'bad']
const COLOR_MASK = 0x07
export const MARK_ANNOTATED = 0x80

export function colorCode(color: RowColor): number {
  const i = COLORS.indexOf(color)
  return i < 0 ? 0 : i
}

export function markColor(mark: number): RowColor {
  return COLORS[mark & COLOR_MASK] ?? ''
}

export function withAnnotated(mark: number, annotated: boolean): number {
  return annotated ? mark | MARK_ANNOTATED : mark & ~MARK_ANNOTATED
}
