// Remembers the window's size and position between runs.
import { readFileSync, writeFileSync } from 'node:fs'

export interface Bounds {
  x?: number
  y?: number
  width: number
  height: number
}

export interface WindowState {
  bounds: Bounds
  maximized: boolean
}

const DEFAULT: Bounds = { width: 1280, height: 800 }

export function loadWindowState(path: string): WindowState {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Bounds> & { maximized?: unknown }
    const ok = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
    if (!ok(raw.width, 400, 20000) || !ok(raw.height, 300, 20000)) return { bounds: DEFAULT, maximized: false }
    const b: Bounds = { width: Math.round(raw.width), height: Math.round(raw.height) }
    if (ok(raw.x, -20000, 20000) && ok(raw.y, -20000, 20000)) {
      b.x = Math.round(raw.x)
      b.y = Math.round(raw.y)
    }
    return { bounds: b, maximized: raw.maximized === true }
  } catch {
    return { bounds: DEFAULT, maximized: false }
  }
}

export function saveBounds(path: string, b: Bounds, maximized: boolean): void {
  try {
    writeFileSync(path, JSON.stringify({ ...b, maximized }))
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}
