#!/usr/bin/env node
// The one test command (README, CI): typecheck, build, unit + integration tests (vitest),
// end-to-end tests (Playwright against the headless server), then one closing line
// "wirenote: N passed, N failed, N skipped" that CI reads.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const reports = join(root, 'test-results')
mkdirSync(reports, { recursive: true })

const tally = { passed: 0, failed: 0, skipped: 0 }
const failures = []

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status ?? 1
}

function step(label, cmd, args) {
  const rc = run(label, cmd, args)
  if (rc === 0) tally.passed++
  else { tally.failed++; failures.push(label) }
  return rc
}

step('typecheck', 'npm', ['run', '--silent', 'typecheck'])
const built = step('build', 'npm', ['run', '--silent', 'build']) === 0
step('electronegativity (no HIGH findings)', 'node', ['scripts/electronegativity.mjs'])

const vitestJson = join(reports, 'vitest.json')
const vrc = run('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`])
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'))
  tally.passed += v.numPassedTests
  tally.failed += v.numFailedTests
  tally.skipped += v.numPendingTests + (v.numTodoTests ?? 0)
  if (v.numFailedTests > 0 || vrc !== 0) failures.push('vitest')
  // A suite that fails to load counts as a failure even when no test in it ran.
  if (vrc !== 0 && v.numFailedTests === 0) tally.failed++
} else if (vrc !== 0) { tally.failed++; failures.push('vitest (no report)') }

const hasE2e = existsSync(join(root, 'e2e')) && readdirSync(join(root, 'e2e')).some((f) => f.endsWith('.spec.ts'))
if (hasE2e && built) {
  const pwJson = join(reports, 'playwright.json')
  const prc = run('end-to-end tests', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson })
  if (existsSync(pwJson)) {
    const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {}
    tally.passed += (s.expected ?? 0) + (s.flaky ?? 0)
    tally.failed += s.unexpected ?? 0
    tally.skipped += s.skipped ?? 0
    if ((s.unexpected ?? 0) > 0 || prc !== 0) failures.push('playwright')
    if (prc !== 0 && !(s.unexpected > 0)) tally.failed++
  } else if (prc !== 0) { tally.failed++; failures.push('playwright (no report)') }
}

console.log('')
if (failures.length) console.log(`failed steps: ${failures.join(', ')}`)
console.log(`wirenote: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`)
process.exit(tally.failed > 0 ? 1 : 0)
