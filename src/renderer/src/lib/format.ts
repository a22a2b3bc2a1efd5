// Number and time formatting shared by the list, status bar and dialogs.

export type TimeFormat = 'rel' | 'abs' | 'delta'

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/** Absolute time as local "YYYY-MM-DD HH:MM:SS.ffffff". */
export function formatAbs(epochSeconds: number): string {
  const whole = Math.floor(epochSeconds)
  const micros = Math.round((epochSeconds - whole) * 1e6)
  const carry = micros >= 1e6 ? 1 : 0
  const d = new Date((whole + carry) * 1000)
  const us = carry ? 0 : micros
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(us, 6)}`
}

export function formatSeconds(s: number): string {
  return s.toFixed(6)
}

export function formatTime(row: { abs: number; rel: number; delta: number }, f: TimeFormat): string {
  if (f === 'abs') return formatAbs(row.abs)
  return formatSeconds(f === 'rel' ? row.rel : row.delta)
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(n: number): string {
  let v = n
  let u = 0
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${v} ${UNITS[u]}` : `${v.toFixed(v < 10 ? 2 : 1)} ${UNITS[u]}`
}

export function formatCount(n: number, locale: string): string {
  return n.toLocaleString(locale)
}
