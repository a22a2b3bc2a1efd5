// How the main process starts the capture helper, in each way Wirenote runs:
//  - from sources (tsx, vitest, the headless server in dev): node --import <tsx loader> helper.ts
//  - from the electron-vite bundle: <runtime> out/main/capture-helper.js, with
//    ELECTRON_RUN_AS_NODE=1 when the runtime is the Electron binary itself
//  - a packaged, capability-granted runtime: WIRENOTE_CAPTURE_RUNTIME / the `runtime` option.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export interface HelperCommand {
  command: string
  /** Arguments before the helper's own (--iface ...). */
  args: string[]
  /** Added to the parent's environment. */
  env: Record<string, string>
}

export interface HelperCommandOptions {
  /** The executable that runs the helper (default: WIRENOTE_CAPTURE_RUNTIME, else this process's). */
  runtime?: string
  /** The helper script (default: helper.ts beside this file, or capture-helper.js beside the bundle). */
  script?: string
}

/** File name of the bundled helper entry that electron-vite must emit next to out/main/index.js. */
export const BUNDLED_HELPER = 'capture-helper.js'

export function resolveHelperCommand(o: HelperCommandOptions = {}): HelperCommand {
  const here = fileURLToPath(import.meta.url)
  const runtime = o.runtime ?? process.env.WIRENOTE_CAPTURE_RUNTIME ?? process.execPath
  const fromSources = here.endsWith('.ts')
  const script = o.script ?? (fromSources ? join(dirname(here), 'helper.ts') : bundledHelperPath())
  const env: Record<string, string> = {}
  // Only the Electron binary needs telling to behave as plain Node.
  if (process.versions.electron !== undefined && runtime === process.execPath) env.ELECTRON_RUN_AS_NODE = '1'
  const args = script.endsWith('.ts') ? ['--import', tsxLoaderUrl(), script] : [script]
  return { command: runtime, args, env }
}

/** The tsx ESM loader as a file URL, so the helper starts from any working directory. */
export function tsxLoaderUrl(): string {
  const require = createRequire(import.meta.url)
  return pathToFileURL(require.resolve('tsx')).href
}

/** out/main/capture-helper.js, whether this code sits in out/main/index.js or in a shared chunk below it. */
export function bundledHelperPath(): string {
  const dir = dirname(fileURLToPath(import.meta.url))
  const candidates = [join(dir, BUNDLED_HELPER), join(dir, '..', BUNDLED_HELPER)]
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!
}
