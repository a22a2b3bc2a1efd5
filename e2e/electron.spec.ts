// The desktop app itself, driven through Playwright's Electron support. It needs an Electron
// binary; where none could be downloaded (as on the machine this project is built on) the
// tests are reported as skipped, not passed.
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './fixtures'

/**
 * The installed Electron binary, or null. Looks before requiring: `require('electron')` starts
 * a download when the binary is missing (electron ≥ 42 installs it lazily), which cannot work
 * where the download host is unreachable.
 */
function electronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH === undefined) {
    const dir = join(repoRoot, 'node_modules/electron')
    const pathFile = join(dir, 'path.txt')
    if (!existsSync(pathFile) || !existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()))) return null
  }
  try {
    const path = createRequire(import.meta.url)('electron') as unknown
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

const binary = electronBinary()
if (!binary) console.log('electron.spec.ts: skipped: no Electron binary (npm could not download it on this machine)')

test.describe('Electron app', () => {
  test.skip(!binary, 'skipped: no Electron binary')

  test('opens the sample, selects a packet and exports a note', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'wirenote-electron-'))
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(repoRoot, 'out/main/index.js'), `--user-data-dir=${userData}`],
      cwd: repoRoot
    })
    try {
      const win = await app.firstWindow()
      // Sandboxed, isolated, no Node: the page sees neither require nor process, only the bridge.
      const page = await win.evaluate(() => {
        const g = globalThis as unknown as { require?: unknown; process?: unknown; wirenote?: Record<string, unknown> }
        return { require: typeof g.require, process: typeof g.process, api: Object.keys(g.wirenote ?? {}).sort() }
      })
      expect(page).toEqual({ require: 'undefined', process: 'undefined', api: ['invoke', 'on', 'pathForFile'] })

      await win.getByTestId('open-sample').click()
      await expect(win.locator('[data-testid="packet-row"][data-no="3"]')).toBeVisible()
      await win.locator('[data-testid="packet-row"][data-no="3"]').click()
      await expect(win.locator('[data-field="tcp.seq_raw"]').first()).toBeVisible()

      const out = mkdtempSync(join(tmpdir(), 'wirenote-electron-note-'))
      const result = await win.evaluate(
        (dir) => (globalThis as unknown as { wirenote: { invoke(m: string, a: unknown): Promise<{ files: string[] }> } }).wirenote.invoke('export.note', { stream: 0, outDir: dir }),
        out
      )
      expect(result.files.length).toBeGreaterThan(0)
      expect(readFileSync(join(out, 'note.md'), 'utf8')).toContain('0x4ce45750')
      expect(readdirSync(join(out, 'assets')).some((f) => f.endsWith('.png'))).toBe(true)
    } finally {
      await app.close()
    }
  })
})
