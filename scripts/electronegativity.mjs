#!/usr/bin/env node
// Runs Electronegativity over src/ and fails on any HIGH finding. The Electron version is
// passed explicitly because the tool cannot fetch release data offline.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const dir = mkdtempSync(join(tmpdir(), 'eneg-'))
const csv = join(dir, 'findings.csv')
const r = spawnSync('npx', ['electronegativity', '-i', 'src', '-r', '-v', 'false', '-e', electron, '-o', csv], { cwd: root, encoding: 'utf8' })
let text = ''
try {
  text = readFileSync(csv, 'utf8')
} catch {
  console.error(`electronegativity produced no report (exit ${r.status})\n${r.stdout}\n${r.stderr}`)
  process.exit(1)
}
rmSync(dir, { recursive: true, force: true })
const rows = text.trim().split('\n').slice(1).filter(Boolean)
const bySeverity = { HIGH: [], MEDIUM: [], LOW: [], INFORMATIONAL: [] }
for (const row of rows) {
  const [check, severity, , file, location] = row.split(',')
  const sev = severity.replace(/"/g, '')
  ;(bySeverity[sev] ??= []).push(`${check} ${file.replace(/"/g, '')}:${location.replace(/"/g, '')}`)
}
for (const [sev, list] of Object.entries(bySeverity)) {
  console.log(`${sev}: ${list.length}`)
  for (const f of list) console.log(`  ${f}`)
}
if (bySeverity.HIGH.length > 0) {
  console.error(`electronegativity: ${bySeverity.HIGH.length} HIGH finding(s)`)
  process.exit(1)
}
console.log('electronegativity: no HIGH findings')
