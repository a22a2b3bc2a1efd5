// `npm run build` (electron-vite) output: the three bundles exist, the capture helper is its
// own entry, and native/runtime modules stay external (never bundled): `cap` must be loaded
// from node_modules at run time, rebuilt for Electron's ABI and unpacked from the asar.
// scripts/test.mjs builds before the tests run.
import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const out = fileURLToPath(new URL('../out/', import.meta.url))
const built = existsSync(join(out, 'main/index.js'))

function mainSources(): string {
  const files = [join(out, 'main/index.js'), join(out, 'main/capture-helper.js')]
  const chunks = join(out, 'main/chunks')
  if (existsSync(chunks)) for (const f of readdirSync(chunks)) files.push(join(chunks, f))
  return files.map((f) => readFileSync(f, 'utf8')).join('\n')
}

describe('build output', () => {
  it('exists (run `npm run build` first)', () => {
    expect(built, 'out/main/index.js is missing: run `npm run build`').toBe(true)
  })

  it.runIf(built)('has out/main, out/preload and out/renderer', () => {
    expect(existsSync(join(out, 'main/index.js'))).toBe(true)
    expect(existsSync(join(out, 'main/capture-helper.js'))).toBe(true)
    expect(existsSync(join(out, 'preload/index.cjs'))).toBe(true)
    expect(existsSync(join(out, 'renderer/index.html'))).toBe(true)
    expect(readFileSync(join(out, 'renderer/index.html'), 'utf8')).toContain('Content-Security-Policy')
  })

  it.runIf(built)('keeps cap, ws, resvg and electron external', () => {
    const src = mainSources()
    // cap's own JavaScript (lib/Cap.js) is not in the bundle; the bundle requires it by name.
    const capLib = readFileSync(fileURLToPath(new URL('../node_modules/cap/lib/Cap.js', import.meta.url)), 'utf8')
    const marker = capLib.split('\n').find((l) => l.includes('addon.Cap.'))!.trim()
    expect(src).not.toContain(marker)
    expect(src).toMatch(/\("cap"\)|from "cap"/)
    expect(src).toMatch(/from "electron"/)
    expect(src).toMatch(/"@resvg\/resvg-js"/)
    expect(src).not.toMatch(/class WebSocketServer\b/)
  })

  it.runIf(built)('gives the sandboxed preload a CommonJS bundle that only touches electron', () => {
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8')
    expect(preload).toMatch(/require\("electron"\)/)
    expect(preload).not.toMatch(/require\("(?!electron")[^"]+"\)/)
  })
})
