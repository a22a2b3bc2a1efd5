import { describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadWindowState, saveBounds } from '../src/main/app/window-state'

describe('window state', () => {
  it('remembers bounds and maximised state, and ignores junk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wn-win-'))
    try {
      const p = join(dir, 'state.json')
      expect(loadWindowState(p)).toEqual({ bounds: { width: 1280, height: 800 }, maximized: false })
      saveBounds(p, { x: 10, y: 20, width: 1000, height: 700 }, true)
      expect(loadWindowState(p)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true })
      writeFileSync(p, JSON.stringify({ width: 1e9, height: 'x' }))
      expect(loadWindowState(p).bounds).toEqual({ width: 1280, height: 800 })
      writeFileSync(p, '{not json')
      expect(loadWindowState(p).maximized).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
