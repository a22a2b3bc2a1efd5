// Starts `wirenote serve` for each test file (the same command a user runs) and hands the
// test its URL. The server prints one line with the tokenised URL once it listens.
import { test as base, expect, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)))
export const corpus = resolve(repoRoot, '../shared/corpus')

export interface Wirenote {
  url: string
  port: number
  token: string
  proc: ChildProcess
  dataDir: string
}

export async function startServer(extra: string[] = []): Promise<Wirenote> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirenote-e2e-'))
  const proc = spawn(process.execPath, [join(repoRoot, 'bin/wirenote.mjs'), 'serve', '--data-dir', dataDir, ...extra], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let err = ''
  proc.stderr!.on('data', (d) => (err += d))
  const url = await new Promise<string>((ok, fail) => {
    let out = ''
    const timer = setTimeout(() => fail(new Error(`wirenote serve did not start in 30 s\n${out}\n${err}`)), 30_000)
    proc.stdout!.on('data', (d) => {
      out += d
      const m = /running headless at (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!)
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`wirenote serve exited with ${code}\n${out}\n${err}`))
    })
  })
  const u = new URL(url)
  return { url, port: Number(u.port), token: u.searchParams.get('token') ?? '', proc, dataDir }
}

export async function stopServer(w: Wirenote): Promise<void> {
  if (w.proc.exitCode === null) {
    w.proc.kill('SIGTERM')
    await new Promise((r) => w.proc.once('exit', r))
  }
  rmSync(w.dataDir, { recursive: true, force: true })
}

export const test = base.extend<{ wirenote: Wirenote; app: Page }, object>({
  wirenote: async ({}, use) => {
    const w = await startServer()
    await use(w)
    await stopServer(w)
  },
  app: async ({ page, wirenote }, use) => {
    await page.goto(wirenote.url)
    await use(page)
  }
})

export { expect }

/** Opens a capture through the Open dialog, the way a user types a path. */
export async function openPath(page: Page, path: string): Promise<void> {
  await page.getByTestId('open-button').click()
  const dialog = page.getByTestId('open-dialog')
  await dialog.getByTestId('open-path').fill(path)
  await dialog.getByTestId('open-submit').click()
  await expect(page.getByTestId('open-dialog')).toBeHidden({ timeout: 120_000 })
}

/** Where screenshots worth looking at are kept (test artifacts). */
export function shotPath(name: string): string {
  return join(repoRoot, 'test-results', 'screenshots', `${name}.png`)
}

export function row(page: Page, no: number) {
  return page.locator(`[data-testid="packet-row"][data-no="${no}"]`)
}
