#!/usr/bin/env node
// Runs Electronegativity over src/ and fails on any HIGH finding. The Electron version is
// passed explicitly because the tool cannot fetch release data offline. The findings are read
// from the table it prints: its CSV report (-o) is sometimes written only in part before the
// process exits.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const r = spawnSync('npx', ['electronegativity', '-i', 'src', '-r', '-v', 'false', '-e', electron], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
// eslint-disable-next-line no-control-regex
const out = (r.stdout ?? '').replace(/\u001b\[[0-9;]*m/g, '')

const noFindings = /No issues found|0 issues/i.test(out)
if (!out.includes('Check ID') && !noFindings) {
  console.error(`electronegativity printed no findings table (exit ${r.status})\n${out}\n${r.stderr}`)
  process.exit(1)
}

/** Each finding is a group of table rows: check id, file and location first; "SEVERITY | CONFIDENCE" below. */
const findings = []
let current = null
for (const line of out.split('\n')) {
  if (!line.includes('│')) continue
  const cells = line.split('│').map((c) => c.trim())
  const first = cells[1] ?? ''
  if (/^[A-Z0-9_]+_CHECK$/.test(first)) {
    current = { check: first, file: cells[2] ?? '', location: cells[3] ?? '', severity: '' }
    findings.push(current)
  } else if (current && /^(HIGH|MEDIUM|LOW|INFORMATIONAL) \|/.test(first)) {
    current.severity = first.split(' ')[0]
  }
}

const bySeverity = { HIGH: [], MEDIUM: [], LOW: [], INFORMATIONAL: [] }
for (const f of findings) (bySeverity[f.severity || 'HIGH'] ??= []).push(`${f.check} ${f.file}:${f.location}${f.severity ? '' : ' (severity not shown: counted as HIGH)'}`)
for (const [sev, list] of Object.entries(bySeverity)) {
  console.log(`${sev}: ${list.length}`)
  for (const f of list) console.log(`  ${f}`)
}
if (bySeverity.HIGH.length > 0) {
  console.error(`electronegativity: ${bySeverity.HIGH.length} HIGH finding(s)`)
  process.exit(1)
}
console.log('electronegativity: no HIGH findings')
