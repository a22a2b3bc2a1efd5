#!/usr/bin/env node
// Display-filter speed of the session (file.open, then view.filter through the router, as the
// renderer asks) against `tshark -n -r FILE -Y FILTER -T fields -e frame.number`, filter by
// filter, in the same run. Prints packets/s for both, the ratio, and whether the counts agree.
//
//   node bench/filter.mjs [CAPTURE] [--only N,M] [--no-tshark] [--tree]
//
// --tree also times the tree path on each filter (a tree dissection of every packet, which is
// what view.filter did before the index and summary levels of session/filter-scan.ts).
//
// Without CAPTURE a synthetic capture of 1 M packets (100 000 loopback HTTP connections,
// src/main/synth/bulk.ts) is written to .bench/bulk-100000.pcapng once and reused.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { register } from 'tsx/esm/api'

register()

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BENCH_DIR = join(ROOT, '.bench')

/** What a Wireshark user types all day; the mix covers every path of the scan. */
const FILTERS = [
  'tcp.stream == 4242',
  'tcp.stream in {10, 20, 30}',
  'frame.number > 900000',
  'tcp.stream eq 77 && tcp.len > 0',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.flags.reset == 1 || tcp.flags.fin == 1',
  'ip.addr == 127.0.0.1',
  'tcp.port == 32800',
  'tcp.len > 0',
  'frame.len > 1000',
  'tcp.analysis.flags',
  'http',
  'http.request.method == "GET"',
  'http.response.code == 200',
  'tcp.seq == 1',
  'tcp contains "nginx"'
]

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { only: { type: 'string' }, 'no-tshark': { type: 'boolean', default: false }, tree: { type: 'boolean', default: false } }
})

function log(s) {
  process.stdout.write(s + '\n')
}

async function ensureCapture() {
  if (positionals[0]) return resolve(positionals[0])
  mkdirSync(BENCH_DIR, { recursive: true })
  const path = join(BENCH_DIR, 'bulk-100000.pcapng')
  if (!existsSync(path)) {
    log(`writing ${path} (1 M packets)...`)
    const { writeBulkHttp } = await import('../src/main/synth/bulk.ts')
    writeBulkHttp(path, { connections: 100_000 })
  }
  return path
}

const HAVE_TIME = existsSync('/usr/bin/time')

/** Frames tshark keeps: the number of lines of `-T fields -e frame.number`, wall and CPU seconds. */
function tsharkCount(capture, filter) {
  return new Promise((resolveP, reject) => {
    const t0 = process.hrtime.bigint()
    const args = ['-n', '-r', capture, '-Y', filter, '-T', 'fields', '-e', 'frame.number']
    // /usr/bin/time reports the CPU tshark used: the machine is shared, wall time alone misleads.
    const [cmd, argv] = HAVE_TIME ? ['/usr/bin/time', ['-f', '__CPU__ %U %S', 'tshark', ...args]] : ['tshark', args]
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    let lines = 0
    let err = ''
    child.stdout.on('data', (b) => {
      for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++
    })
    child.stderr.on('data', (b) => (err += b))
    child.on('error', reject)
    child.on('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9
      const m = /__CPU__ ([\d.]+) ([\d.]+)/.exec(err)
      const cpu = m ? Number(m[1]) + Number(m[2]) : null
      err = err.replace(/__CPU__.*\n?/, '')
      if (code !== 0) err = err.replace(/Running as user.*\n?/, '').trim()
      resolveP({ wall, cpu, count: lines, code, err })
    })
  })
}

/** Times the tree-only scan of a filter on its own copy of the capture. */
async function treeTimer(capture) {
  const { OpenCapture } = await import('../src/main/session/open-capture.ts')
  const { FilterScan } = await import('../src/main/session/filter-scan.ts')
  const { compileFilter } = await import('../src/main/filter/index.ts')
  const cap = new OpenCapture(capture)
  while (!cap.done) cap.pump(1 << 20)
  return (text) => {
    const c = compileFilter(text)
    if (!c.ok) throw new Error(`${text}: ${c.error.message}`)
    const t0 = performance.now()
    const scan = new FilterScan(cap, c.filter, { index: false, summary: false })
    while (!scan.step(1000)) {
      // to the end
    }
    return { wall: (performance.now() - t0) / 1000, total: scan.matches.length }
  }
}

const rate = (packets, s) => `${Math.round(packets / s).toLocaleString('en-US').padStart(11)} pkt/s`

async function main() {
  const capture = await ensureCapture()
  const { createServices } = await import('../src/main/app/services.ts')
  const services = await createServices({ mode: 'headless', userDataDir: null })
  const call = async (method, args) => {
    const r = await services.router.dispatch(method, args)
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
    return r.result
  }
  log(`capture: ${capture} (${(statSync(capture).size / 1e6).toFixed(1)} MB)`)
  let t0 = performance.now()
  const opened = await call('file.open', { path: capture })
  const openS = (performance.now() - t0) / 1000
  const packets = opened.packets
  log(`file.open: ${packets} packets in ${openS.toFixed(2)} s (${rate(packets, openS).trim()})`)
  const only = values.only ? new Set(values.only.split(',').map(Number)) : null
  const treePath = values.tree ? await treeTimer(capture) : null
  const rows = []
  let mismatches = 0
  for (const [i, filter] of FILTERS.entries()) {
    if (only && !only.has(i + 1)) continue
    t0 = performance.now()
    const c0 = process.cpuUsage()
    const r = await call('view.filter', { text: filter })
    const ours = (performance.now() - t0) / 1000
    const c1 = process.cpuUsage(c0)
    const oursCpu = (c1.user + c1.system) / 1e6
    if (!r.ok) throw new Error(`filter ${filter}: ${r.error.message}`)
    const ts = values['no-tshark'] ? null : await tsharkCount(capture, filter)
    const same = ts ? ts.count === r.total : null
    if (same === false) mismatches++
    let treeText = ''
    if (treePath) {
      const t = treePath(filter)
      if (t.total !== r.total) mismatches++
      treeText = `  tree path ${t.wall.toFixed(2)} s ${rate(packets, t.wall).trim()} (${(t.wall / ours).toFixed(1)}x slower${t.total !== r.total ? `, COUNT ${t.total}` : ''})`
    }
    rows.push({ filter, ours, oursCpu, total: r.total, ts, same })
    const cpuRatio = ts?.cpu ? `, CPU ${(ts.cpu / oursCpu).toFixed(1)}x` : ''
    const tsText = ts ? `tshark ${ts.wall.toFixed(2).padStart(6)} s ${rate(packets, ts.wall)}  ratio ${(ts.wall / ours).toFixed(1).padStart(5)}x wall${cpuRatio}` : ''
    const check = ts ? (same ? `counts equal (${r.total})` : `COUNTS DIFFER: ours ${r.total}, tshark ${ts.count}${ts.code ? ` (exit ${ts.code}: ${ts.err})` : ''}`) : `${r.total} frames`
    log(`${String(i + 1).padStart(2)}. ${filter.padEnd(44)} ours ${ours.toFixed(2).padStart(6)} s ${rate(packets, ours)}  ${tsText}  ${check}${treeText}`)
  }
  await call('view.filter', { text: '' })
  const sum = (f) => rows.reduce((n, r) => n + f(r), 0)
  const oursTotal = sum((r) => r.ours)
  const oursCpu = sum((r) => r.oursCpu)
  log(`all filters: ours ${oursTotal.toFixed(2)} s wall, ${oursCpu.toFixed(2)} s CPU` +
    (values['no-tshark'] ? '' : `; tshark ${sum((r) => r.ts.wall).toFixed(2)} s wall, ${sum((r) => r.ts.cpu ?? 0).toFixed(2)} s CPU; ratio ${(sum((r) => r.ts.wall) / oursTotal).toFixed(1)}x wall, ${(sum((r) => r.ts.cpu ?? 0) / oursCpu).toFixed(1)}x CPU`))
  if (!values['no-tshark']) log(mismatches === 0 ? 'counts: all equal' : `counts: ${mismatches} filter(s) differ`)
  await services.dispose()
  process.exitCode = mismatches === 0 ? 0 : 1
}

await main()
