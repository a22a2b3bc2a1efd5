// Memory of a long live capture, against tshark as the peer, in the same run on the same load.
//
//   npx tsx bench/capture-memory.ts [--seconds 60] [--every 10] [--concurrency 4]
//
// Load: a private nginx (or a Node server when nginx is missing) on 127.0.0.1 and ApacheBench
// without keep-alive for the whole run: every request is a new TCP connection (~10 packets).
// Loopback only. Both Wirenote (controller in this process + capture helper) and
// `tshark -i lo -f <same filter>` (no -w; tshark + its dumpcap) capture it at the same time.
// Prints RSS and packets every --every seconds, then RSS growth per million packets after the
// first sample (warm-up). Wirenote's must be ≤ 5 MB per million packets (exit status 1 if not).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CaptureController } from '../src/main/capture/controller'

const LIMIT_MB_PER_MPKT = 5
const HOST = '127.0.0.1' // loopback only; do not change

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    every: { type: 'string' },
    concurrency: { type: 'string', default: '4' }
  }
})
const seconds = Number(values.seconds)
const every = Number(values.every ?? Math.min(10, Math.max(1, Math.floor(seconds / 4))))
const concurrency = Number(values.concurrency)

const has = (t: string): boolean => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status === 0
for (const t of ['ab', 'tshark']) {
  if (!has(t)) {
    console.error(`capture-memory: missing tool ${t}`)
    process.exit(2)
  }
}
if (process.getuid?.() !== 0) console.error('capture-memory: not root; capturing needs CAP_NET_RAW and will probably fail')

/** Resident set size of a process, bytes (0 once it is gone). */
function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = []
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      if (text !== '') out.push(...text.split(/\s+/).map(Number))
    }
  } catch {
    // gone
  }
  return out
}

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer().listen(0, HOST, () => {
      const a = s.address()
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0))
    })
  })
}

const mb = (n: number): string => (n / (1 << 20)).toFixed(1)
const work = mkdtempSync(join(tmpdir(), 'wirenote-bench-'))
chmodSync(work, 0o755)
const procs: ChildProcess[] = []
let controller: CaptureController | null = null

async function cleanup(): Promise<void> {
  await controller?.stop().catch(() => undefined)
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL')
  rmSync(work, { recursive: true, force: true })
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)))

async function startServer(port: number): Promise<void> {
  const www = join(work, 'www')
  mkdirSync(www)
  writeFileSync(join(www, 'index.html'), `<!DOCTYPE html><html><body>${'<p>wirenote capture benchmark</p>\n'.repeat(40)}</body></html>\n`)
  if (has('nginx')) {
    mkdirSync(join(work, 'tmp'))
    writeFileSync(
      join(work, 'nginx.conf'),
      `worker_processes 1; daemon off; pid ${work}/nginx.pid; error_log ${work}/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${work}/tmp; proxy_temp_path ${work}/tmp; fastcgi_temp_path ${work}/tmp;
  uwsgi_temp_path ${work}/tmp; scgi_temp_path ${work}/tmp; server { listen ${HOST}:${port}; root ${www}; } }\n`
    )
    procs.push(spawn('nginx', ['-c', join(work, 'nginx.conf'), '-p', work], { stdio: 'ignore' }))
  } else {
    const code = `const b=require('fs').readFileSync(${JSON.stringify(join(www, 'index.html'))});require('http').createServer((q,s)=>s.end(b)).listen(${port},'${HOST}')`
    procs.push(spawn(process.execPath, ['-e', code], { stdio: 'ignore' }))
  }
  for (let i = 0; i < 100; i++) {
    if (spawnSync('ab', ['-q', '-n', '1', `http://${HOST}:${port}/index.html`], { stdio: 'ignore' }).status === 0) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the load server did not come up')
}

interface Row {
  t: number
  wnPackets: number
  helperRss: number
  controllerRss: number
  tsPackets: number
  tsharkRss: number
}

async function main(): Promise<number> {
  const port = await freePort()
  const filter = `tcp port ${port}`
  await startServer(port)

  // The peer: tshark without -w (it still spools through dumpcap to a temp file, as we do).
  let tsPackets = 0
  const tshark = spawn('tshark', ['-i', 'lo', '-f', filter, '-l'], { stdio: ['ignore', 'pipe', 'pipe'] })
  procs.push(tshark)
  tshark.stdout!.on('data', (d: Buffer) => {
    for (const c of d) if (c === 10) tsPackets++
  })
  let tsErr = ''
  tshark.stderr!.on('data', (d: Buffer) => (tsErr += d.toString()))
  for (let i = 0; i < 100 && !/Capturing on/.test(tsErr); i++) await new Promise((r) => setTimeout(r, 100))

  controller = new CaptureController({ spoolDir: join(work, 'spool') })
  await controller.start({ iface: 'lo', filter })

  console.log(`capture-memory: ${seconds} s of ab -c ${concurrency} (no keep-alive) against ${has('nginx') ? 'nginx' : 'a Node server'} on ${HOST}:${port}, filter "${filter}"`)
  const ab = spawn('ab', ['-q', '-r', '-s', '30', '-c', String(concurrency), '-t', String(seconds), '-n', '100000000', `http://${HOST}:${port}/index.html`], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  procs.push(ab)
  let abOut = ''
  ab.stdout!.on('data', (d: Buffer) => (abOut += d.toString()))

  const rows: Row[] = []
  const t0 = Date.now()
  console.log('   t(s)  wirenote pkts  helper RSS  controller RSS  ours total |  tshark pkts  tshark+dumpcap RSS')
  for (let k = 1; k * every <= seconds; k++) {
    await new Promise((r) => setTimeout(r, t0 + k * every * 1000 - Date.now()))
    const st = controller.status()
    const tsRss = rssOf(tshark.pid) + childrenOf(tshark.pid!).reduce((a, p) => a + rssOf(p), 0)
    const row: Row = { t: k * every, wnPackets: st.packets, helperRss: rssOf(st.helperPid), controllerRss: process.memoryUsage.rss(), tsPackets, tsharkRss: tsRss }
    rows.push(row)
    console.log(
      `${String(row.t).padStart(7)}  ${String(row.wnPackets).padStart(13)}  ${mb(row.helperRss).padStart(8)} MB  ${mb(row.controllerRss).padStart(12)} MB  ${mb(row.helperRss + row.controllerRss).padStart(7)} MB |  ${String(row.tsPackets).padStart(11)}  ${mb(row.tsharkRss).padStart(15)} MB`
    )
  }
  await new Promise<void>((r) => (ab.exitCode !== null ? r() : ab.once('exit', () => r())))
  const reqs = /Complete requests:\s+(\d+)/.exec(abOut)?.[1] ?? '?'
  const final = await controller.stop()
  controller = null
  tshark.kill('SIGINT')
  await new Promise((r) => tshark.once('exit', r))

  const first = rows[0]
  const last = rows[rows.length - 1]
  if (first === undefined || last === undefined || rows.length < 2) {
    console.log('capture-memory: run too short for a growth figure (need two samples)')
    return 0
  }
  const growth = (rssA: number, rssB: number, pA: number, pB: number): number => (pB > pA ? ((rssB - rssA) / (pB - pA)) * 1e6 : NaN)
  const ours = growth(first.helperRss + first.controllerRss, last.helperRss + last.controllerRss, first.wnPackets, last.wnPackets)
  const theirs = growth(first.tsharkRss, last.tsharkRss, first.tsPackets, last.tsPackets)
  console.log(`ab: ${reqs} requests; wirenote spooled ${final.packets} packets (${mb(final.spoolBytes)} MB) to ${final.spoolPath.replace(work, '<tmp>')}`)
  console.log(`RSS growth per million packets after the first sample (t=${first.t} s → ${last.t} s):`)
  console.log(`  wirenote (helper + controller): ${mb(ours)} MB/Mpkt   [limit ${LIMIT_MB_PER_MPKT} MB/Mpkt]`)
  console.log(`  tshark -i lo (tshark + dumpcap): ${mb(theirs)} MB/Mpkt`)
  const ratio = theirs / Math.max(ours, 1e-9)
  console.log(`  ratio tshark / wirenote: ${Number.isFinite(ratio) && ours > 0 ? ratio.toFixed(1) : 'n/a (wirenote did not grow)'}`)
  const ok = ours / (1 << 20) <= LIMIT_MB_PER_MPKT
  console.log(ok ? 'capture-memory: PASS' : `capture-memory: FAIL (over ${LIMIT_MB_PER_MPKT} MB per million packets)`)
  return ok ? 0 : 1
}

main().then(
  async (code) => {
    await cleanup()
    process.exit(code)
  },
  async (e: unknown) => {
    console.error(e)
    await cleanup()
    process.exit(1)
  }
)
