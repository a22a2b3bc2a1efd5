// Memory of a long live capture, against tshark as the peer, in the same run on the same load.
//
//   npx tsx bench/capture-memory.ts [--seconds 60] [--every 10] [--warmup 10] [--concurrency 4]
//
// Load: a private nginx (or a Node server when nginx is missing) on 127.0.0.1 and ApacheBench
// without keep-alive for the whole run: every request is a new TCP connection (~10 packets), the
// worst case for per-connection state. Loopback only.
//
// Wirenote runs as the app does: a separate main process (this file with --role main) calls
// createServices() and starts the capture through the router ('capture.start', as the UI does),
// so the capture helper spools and the session tails the spool and indexes every packet (TCP
// analysis, reassembly, packet index) while capturing. The peer is `tshark -i lo -f <same
// filter>` (no -w; tshark and its dumpcap), capturing the same traffic at the same time.
//
// Prints every --every seconds the RSS of the helper, of the main process and of tshark (with
// dumpcap), packets captured and indexed, and the bytes the session's index and analysis
// structures hold; then the RSS growth per million packets after the warm-up, three ways: the
// last sample over the --warmup sample, the least-squares slope over the samples from the
// warm-up on, and the highest sample after the warm-up over the warm-up sample (garbage
// collection moves RSS both ways; the last one cannot come out negative). Wirenote's (helper +
// main process) must be ≤ 5 MB per million packets by all three: exit status 1 if not.
//
// Why a warm-up, and why 10 s: during the first seconds every bounded structure fills up to its
// budget (the packet index keeps 8 chunks of 64 Ki entries, ~19 MB, in memory before it spills;
// the stream table 64 chunks of 1024 rows, ~13 MB; V8 sizes its heap and compiles the hot code).
// Those are fixed costs, not growth. At the 80 000-110 000 packets/s this load produces they are
// full by t = 6 s (512 Ki packets); the first sample after that is t = 10 s. What grows after
// it would grow for ever, which is what the limit is about.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const LIMIT_MB_PER_MPKT = 5
const HOST = '127.0.0.1' // loopback only; do not change

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    every: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    role: { type: 'string', default: 'bench' },
    filter: { type: 'string', default: '' }
  }
})

/** What the main process reports for one sample. */
interface MainSample {
  type: 'sample'
  /** Packets the helper spooled (capture.status). */
  captured: number
  /** Packets the session indexed (file.current). */
  indexed: number
  helperPid: number
  heapUsed: number
  arrayBuffers: number
  /** Bytes the session's index and analysis structures hold (counted from the structures). */
  indexBytes: number
  analysisBytes: number
}

// ---- the main process ------------------------------------------------------------------

async function mainProcess(filter: string): Promise<void> {
  const { createServices } = await import('../src/main/app/services')
  const services = await createServices({ mode: 'headless', userDataDir: null })
  // A transport subscribes to the events; count them as one would forward them.
  let events = 0
  services.events.subscribe(() => void events++)
  const send = (o: object): void => void process.stdout.write(JSON.stringify(o) + '\n')
  const call = async <T>(method: string, args: object): Promise<T> => {
    const r = await services.router.dispatch(method, args)
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
    return r.result as T
  }
  /** The open capture's structures, for the byte counts (not part of any API: a bench peek). */
  const structures = (): { indexBytes: number; analysisBytes: number } => {
    const cap = (services.session as unknown as { cap: { index: { residentBytes: number }; decoder: { seq?: { memory?: () => { total: number } } } } | null }).cap
    const seq = cap?.decoder.seq
    return { indexBytes: cap?.index.residentBytes ?? 0, analysisBytes: typeof seq?.memory === 'function' ? seq.memory().total : 0 }
  }
  const sample = async (): Promise<MainSample> => {
    const st = await call<{ packets: number }>('capture.status', {})
    const cur = await call<{ packets: number }>('file.current', {})
    const mem = process.memoryUsage()
    return {
      type: 'sample',
      captured: st.packets,
      indexed: cur.packets,
      helperPid: services.session.capture.status().helperPid,
      heapUsed: mem.heapUsed,
      arrayBuffers: mem.arrayBuffers,
      ...structures()
    }
  }
  const status = await call<{ spoolPath: string }>('capture.start', { iface: 'lo', filter })
  send({ type: 'started', spoolPath: status.spoolPath, helperPid: services.session.capture.status().helperPid })
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'sample') send(await sample())
    else if (line === 'stop') {
      await call('capture.stop', {})
      send({ ...(await sample()), type: 'stopped', events })
      await services.dispose()
      process.exit(0)
    }
  }
  // stdin closed: the bench went away
  await services.dispose()
  process.exit(0)
}

// ---- the bench -------------------------------------------------------------------------

/** Resident set size of a process, bytes (0 once it is gone). */
function rssOf(pid: number | undefined): number {
  if (pid === undefined || pid <= 0) return 0
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

const has = (t: string): boolean => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status === 0
const mb = (n: number): string => (n / (1 << 20)).toFixed(1)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)))

interface Row {
  t: number
  captured: number
  indexed: number
  helperRss: number
  mainRss: number
  heapUsed: number
  arrayBuffers: number
  indexBytes: number
  analysisBytes: number
  tsPackets: number
  tsharkRss: number
}

/** The main process as the bench drives it: JSON lines out, commands in. */
class MainProcess {
  readonly child: ChildProcess
  private readonly waiting: ((o: MainSample & { spoolPath?: string; events?: number }) => void)[] = []
  stderr = ''

  constructor(filter: string) {
    const self = fileURLToPath(import.meta.url)
    // The same loader flags (tsx) this process runs under.
    this.child = spawn(process.execPath, [...process.execArgv, self, '--role', 'main', '--filter', filter], { stdio: ['pipe', 'pipe', 'pipe'] })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return
      const w = this.waiting.shift()
      w?.(JSON.parse(line) as MainSample)
    })
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)))
  }

  next(timeoutMs: number): Promise<MainSample & { spoolPath?: string; events?: number }> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the main process did not answer in ${timeoutMs} ms: ${this.stderr}`)), timeoutMs)
      this.waiting.push((o) => {
        clearTimeout(t)
        resolve(o)
      })
    })
  }

  ask(cmd: 'sample' | 'stop', timeoutMs = 30_000): Promise<MainSample & { spoolPath?: string; events?: number }> {
    const p = this.next(timeoutMs)
    this.child.stdin!.write(cmd + '\n')
    return p
  }
}

async function bench(): Promise<number> {
  const seconds = Number(values.seconds)
  const every = Number(values.every ?? Math.min(10, Math.max(1, Math.floor(seconds / 4))))
  const warmup = Number(values.warmup ?? Math.min(10, every))
  const concurrency = Number(values.concurrency)
  for (const t of ['ab', 'tshark']) {
    if (!has(t)) {
      console.error(`capture-memory: missing tool ${t}`)
      return 2
    }
  }
  if (process.getuid?.() !== 0) console.error('capture-memory: not root; capturing needs CAP_NET_RAW and will probably fail')

  const work = mkdtempSync(join(tmpdir(), 'wirenote-bench-'))
  chmodSync(work, 0o755)
  const procs: ChildProcess[] = []
  let main: MainProcess | null = null
  let spoolPath = ''
  const cleanup = (): void => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
    if (main && main.child.exitCode === null) main.child.kill('SIGKILL')
    rmSync(work, { recursive: true, force: true })
    if (spoolPath) rmSync(spoolPath, { force: true })
  }
  process.on('SIGINT', () => {
    cleanup()
    process.exit(130)
  })

  try {
    const port = await freePort()
    const filter = `tcp port ${port}`
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
    let up = false
    for (let i = 0; i < 100 && !up; i++) {
      up = spawnSync('ab', ['-q', '-n', '1', `http://${HOST}:${port}/index.html`], { stdio: 'ignore' }).status === 0
      if (!up) await sleep(100)
    }
    if (!up) throw new Error('the load server did not come up')

    // The peer: tshark without -w (it still spools through dumpcap to a temp file, as we do).
    let tsPackets = 0
    const tshark = spawn('tshark', ['-i', 'lo', '-f', filter, '-l'], { stdio: ['ignore', 'pipe', 'pipe'] })
    procs.push(tshark)
    tshark.stdout!.on('data', (d: Buffer) => {
      for (const c of d) if (c === 10) tsPackets++
    })
    let tsErr = ''
    tshark.stderr!.on('data', (d: Buffer) => (tsErr += d.toString()))
    for (let i = 0; i < 100 && !/Capturing on/.test(tsErr); i++) await sleep(100)

    main = new MainProcess(filter)
    const started = await main.next(60_000)
    spoolPath = started.spoolPath ?? ''

    console.log(`capture-memory: ${seconds} s of ab -c ${concurrency} (no keep-alive) against ${has('nginx') ? 'nginx' : 'a Node server'} on ${HOST}:${port}, filter "${filter}"`)
    console.log('wirenote = capture helper + main process (createServices, capture.start through the router; the session indexes the spool live)')
    const ab = spawn('ab', ['-q', '-r', '-s', '30', '-c', String(concurrency), '-t', String(seconds), '-n', '100000000', `http://${HOST}:${port}/index.html`], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    procs.push(ab)
    let abOut = ''
    ab.stdout!.on('data', (d: Buffer) => (abOut += d.toString()))

    const rows: Row[] = []
    const t0 = Date.now()
    console.log('  t(s)    captured     indexed   helper RSS    main RSS  (heap, buffers; index, analysis)       ours |  tshark pkts  tshark+dumpcap')
    const take = async (t: number): Promise<Row> => {
      const s = await main!.ask('sample')
      const tsRss = rssOf(tshark.pid) + childrenOf(tshark.pid!).reduce((a, p) => a + rssOf(p), 0)
      const row: Row = {
        t,
        captured: s.captured,
        indexed: s.indexed,
        helperRss: rssOf(s.helperPid),
        mainRss: rssOf(main!.child.pid),
        heapUsed: s.heapUsed,
        arrayBuffers: s.arrayBuffers,
        indexBytes: s.indexBytes,
        analysisBytes: s.analysisBytes,
        tsPackets,
        tsharkRss: tsRss
      }
      console.log(
        `${String(row.t).padStart(6)}  ${String(row.captured).padStart(10)}  ${String(row.indexed).padStart(10)}  ${mb(row.helperRss).padStart(8)} MB  ${mb(row.mainRss).padStart(7)} MB  (${mb(row.heapUsed)}, ${mb(row.arrayBuffers)}; ${mb(row.indexBytes)}, ${mb(row.analysisBytes)} MB)  ${mb(row.helperRss + row.mainRss).padStart(7)} MB |  ${String(row.tsPackets).padStart(11)}  ${mb(row.tsharkRss).padStart(10)} MB`
      )
      return row
    }
    for (let k = 1; k * every <= seconds; k++) {
      await sleep(t0 + k * every * 1000 - Date.now())
      rows.push(await take(k * every))
    }
    await new Promise<void>((r) => (ab.exitCode !== null ? r() : ab.once('exit', () => r())))
    const reqs = /Complete requests:\s+(\d+)/.exec(abOut)?.[1] ?? '?'
    const final = await main.ask('stop', 300_000)
    tshark.kill('SIGINT')
    await new Promise((r) => (tshark.exitCode !== null ? r(null) : tshark.once('exit', r)))

    console.log(`ab: ${reqs} requests; the helper spooled ${final.captured} packets, the session indexed ${final.indexed} (${final.events} events sent)`)
    const first = rows.find((r) => r.t >= warmup) ?? rows[0]
    const last = rows[rows.length - 1]
    if (first === undefined || last === undefined || first === last) {
      console.log('capture-memory: run too short for a growth figure (need two samples after the warm-up)')
      return 0
    }
    const growth = (a: number, b: number, pa: number, pb: number): number => (pb > pa ? ((b - a) / (pb - pa)) * 1e6 : NaN)
    const after = rows.filter((r) => r.t >= first.t)
    /** Least-squares slope of y over packets across the samples after the warm-up, MB per Mpkt. */
    const slope = (y: (r: Row) => number, x: (r: Row) => number): number => {
      const n = after.length
      const mx = after.reduce((a, r) => a + x(r), 0) / n
      const my = after.reduce((a, r) => a + y(r), 0) / n
      const sxy = after.reduce((a, r) => a + (x(r) - mx) * (y(r) - my), 0)
      const sxx = after.reduce((a, r) => a + (x(r) - mx) ** 2, 0)
      return sxx > 0 ? ((sxy / sxx) * 1e6) / (1 << 20) : NaN
    }
    const per = (f: (r: Row) => number): number => growth(f(first), f(last), first.captured, last.captured) / (1 << 20)
    const ours = (r: Row): number => r.helperRss + r.mainRss
    const theirs = growth(first.tsharkRss, last.tsharkRss, first.tsPackets, last.tsPackets) / (1 << 20)
    const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a').padStart(7)
    console.log(`RSS growth per million packets captured, warm-up excluded (t=${first.t} s → ${last.t} s; ${last.captured - first.captured} packets):`)
    console.log('                                    end − warm-up   least-squares slope')
    console.log(`  capture helper:                  ${f2(per((r) => r.helperRss))}         ${f2(slope((r) => r.helperRss, (r) => r.captured))}   MB/Mpkt`)
    console.log(`  main process (session indexing): ${f2(per((r) => r.mainRss))}         ${f2(slope((r) => r.mainRss, (r) => r.captured))}   MB/Mpkt`)
    console.log(`    its index + analysis structures: ${f2(per((r) => r.indexBytes + r.analysisBytes))}       ${f2(slope((r) => r.indexBytes + r.analysisBytes, (r) => r.captured))}   MB/Mpkt (bytes counted in the structures)`)
    const oursEnd = per(ours)
    const oursSlope = slope(ours, (r) => r.captured)
    console.log(`  wirenote (helper + main):        ${f2(oursEnd)}         ${f2(oursSlope)}   MB/Mpkt   [limit ${LIMIT_MB_PER_MPKT} MB/Mpkt]`)
    console.log(`  tshark -i lo (tshark + dumpcap): ${f2(theirs)}         ${f2(slope((r) => r.tsharkRss, (r) => r.tsPackets))}   MB/Mpkt`)
    // RSS moves with garbage collection, so the end-to-end figure can come out negative; the
    // peak after the warm-up over the warm-up sample is a bound that cannot.
    const peak = Math.max(...after.filter((r) => r !== first).map(ours))
    const oursPeak = Math.max(0, growth(ours(first), peak, first.captured, last.captured) / (1 << 20))
    console.log(`  wirenote, highest sample after the warm-up over the warm-up sample: ${oursPeak.toFixed(2)} MB/Mpkt`)
    const worst = Math.max(oursEnd, oursSlope, oursPeak)
    console.log(`  ratio tshark / wirenote (wirenote's worst of the three): ${worst > 0 ? (theirs / worst).toFixed(0) : 'n/a (wirenote did not grow by any measure)'}`)
    const ok = worst <= LIMIT_MB_PER_MPKT
    console.log(ok ? 'capture-memory: PASS' : `capture-memory: FAIL (over ${LIMIT_MB_PER_MPKT} MB per million packets)`)
    return ok ? 0 : 1
  } finally {
    cleanup()
  }
}

if (values.role === 'main') {
  mainProcess(values.filter).catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
} else {
  bench().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    }
  )
}
