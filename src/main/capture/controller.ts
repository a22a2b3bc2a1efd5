// Main-process side of live capture: lists interfaces, starts and stops the capture helper,
// and turns its progress lines into CaptureStatus events (throttled). It never holds packets:
// the session tails the spool file the helper writes, up to the size announced by 'spool'.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { CaptureStatus, InterfaceDesc } from '../../shared/contract'
import { CaptureError, interfaceDownError, type CaptureErrorCode } from './errors'
import { resolveHelperCommand, type HelperCommand } from './helper-command'
import { listInterfaces } from './interfaces'
import { parseHelperLine, type HelperMessage } from './protocol'

export const DROPS_NOTE =
  'Kernel drops are not shown: the capture library (npm cap) exposes no drop counter. ' +
  'Counted are the packets the capture helper received and wrote to the spool file.'

export interface ControllerStatus extends CaptureStatus {
  /** The display is paused: the capture goes on, 'spool' events are held back. */
  paused: boolean
  /** Bytes of whole pcapng blocks in the spool: a reader may read this far. */
  spoolBytes: number
  helperPid: number
  /** Resident set size of the helper process, bytes (0 before its first report). */
  helperRss: number
  /** Epoch ms when the capture started; 0 before. */
  startedAt: number
  errorCode?: CaptureErrorCode
}

export interface SpoolProgress {
  path: string
  /** Whole blocks up to here are on disk. */
  bytes: number
}

export interface ControllerEvents {
  /** Status changes, at most one per `minEventIntervalMs` (default 50 ms: ≤ 20/s). */
  progress: [ControllerStatus]
  /** The spool grew; not emitted while paused (one catch-up event on resume). */
  spool: [SpoolProgress]
  /** The helper exited (after stop(), an error, or a crash). */
  stopped: [ControllerStatus]
  /** A capture error after start (interface down, disk full, helper crash). */
  failed: [CaptureError]
}

export interface CaptureControllerOptions {
  /** Where spool files go (created 0700). Default: <os tmpdir>/wirenote-spool. */
  spoolDir?: string
  helper?: HelperCommand
  /** Command prefix for the helper: ['ip', 'netns', 'exec', 'ns1'], ['pkexec'], ... */
  wrapper?: string[]
  /** Written in the spool's shb_userappl. */
  userappl?: string
  /** Helper flush delay, ms (1..100). */
  flushMs?: number
  startTimeoutMs?: number
  /** How long stop() waits for a clean exit before SIGKILL. */
  stopTimeoutMs?: number
  minEventIntervalMs?: number
  /** Called with every throttled status, like on('progress'). */
  onProgress?: (s: ControllerStatus) => void
}

export interface StartRequest {
  iface: string
  filter?: string
  /** Explicit spool file; default a fresh name in spoolDir. */
  spoolPath?: string
}

interface Sample {
  t: number
  packets: number
}

const STDERR_TAIL = 4096

export class CaptureController extends EventEmitter<ControllerEvents> {
  readonly spoolDir: string
  private readonly helper: HelperCommand
  private child: ChildProcessWithoutNullStreams | null = null
  private exited: Promise<void> = Promise.resolve()
  private stopping = false
  private sawStopped = false
  private stderrTail = ''
  private st: ControllerStatus
  private samples: Sample[] = []
  private lastEmit = 0
  private emitTimer: NodeJS.Timeout | null = null
  private spoolAnnounced = 0

  constructor(private readonly opts: CaptureControllerOptions = {}) {
    super()
    this.spoolDir = opts.spoolDir ?? join(tmpdir(), 'wirenote-spool')
    this.helper = opts.helper ?? resolveHelperCommand()
    this.st = this.idleStatus('', '')
    if (opts.onProgress !== undefined) this.on('progress', opts.onProgress)
  }

  /** Interfaces libpcap can capture on; needs no privileges. Asks the helper when `cap` cannot load here. */
  async interfaces(): Promise<InterfaceDesc[]> {
    try {
      if (this.opts.wrapper === undefined) return listInterfaces()
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e
    }
    const msg = await this.runHelperOnce(['--list'])
    if (msg?.type === 'interfaces') return msg.interfaces
    if (msg?.type === 'error') throw new CaptureError(msg)
    throw this.helperFailed('The capture helper did not list the interfaces', null, null)
  }

  get running(): boolean {
    return this.st.running
  }

  get paused(): boolean {
    return this.st.paused
  }

  status(): ControllerStatus {
    return { ...this.st, rate: this.rate(), rss: process.memoryUsage.rss() }
  }

  /** Start capturing; resolves once the helper has the interface open and the spool started. */
  async start(req: StartRequest): Promise<ControllerStatus> {
    if (this.child !== null) {
      throw new CaptureError({ code: 'invalid-state', message: `A capture on "${this.st.iface}" is already running.`, fix: 'Stop it first.', detail: '' })
    }
    const filter = req.filter ?? ''
    mkdirSync(this.spoolDir, { recursive: true, mode: 0o700 })
    const spool = req.spoolPath ?? join(this.spoolDir, spoolName(req.iface))
    const args = [
      ...this.helper.args,
      '--iface', req.iface,
      '--filter', filter,
      '--spool', spool,
      '--stdin-control',
      '--flush-ms', String(this.opts.flushMs ?? 10),
      '--progress-ms', '100',
      '--userappl', this.opts.userappl ?? 'Wirenote'
    ]
    const child = this.spawnHelper(args)
    this.child = child
    this.stopping = false
    this.sawStopped = false
    this.stderrTail = ''
    this.samples = []
    this.spoolAnnounced = 0
    this.st = { ...this.idleStatus(req.iface, filter), spoolPath: spool }

    let settle: ((e: CaptureError | null) => void) | null = null
    const started = new Promise<void>((resolve, reject) => {
      settle = (e) => {
        settle = null
        if (e === null) resolve()
        else reject(e)
      }
    })
    const timer = setTimeout(() => {
      settle?.(this.helperFailed('The capture helper did not start in time', null, null))
      child.kill('SIGKILL')
    }, this.opts.startTimeoutMs ?? 15_000)

    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        this.onExit(code, signal, settle)
        resolve()
      })
      child.once('error', (e) => {
        clearTimeout(timer)
        settle?.(this.helperFailed(`Could not run the capture helper (${this.helper.command})`, null, null, e.message))
        // A process that never started emits no 'exit'.
        if (child.pid === undefined) {
          this.child = null
          resolve()
        }
      })
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (s: string) => {
      this.stderrTail = (this.stderrTail + s).slice(-STDERR_TAIL)
    })
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = parseHelperLine(line)
      if (m === null) return
      if (m.type === 'started') {
        clearTimeout(timer)
        this.st = { ...this.st, running: true, helperPid: m.pid, spoolPath: m.spool, startedAt: Date.now() }
        settle?.(null)
        this.emitStatus(true)
      } else if (m.type === 'error') {
        const err = new CaptureError(m)
        if (settle !== null) {
          clearTimeout(timer)
          settle(err)
        } else this.fail(err)
      } else this.onMessage(m)
    })

    try {
      await started
    } catch (e) {
      await this.exited
      throw e
    }
    return this.status()
  }

  /** Stop: the helper flushes and closes the spool; killed if it has not exited after stopTimeoutMs. */
  async stop(): Promise<ControllerStatus> {
    const child = this.child
    if (child === null) return this.status()
    this.stopping = true
    try {
      child.stdin.end('stop\n')
    } catch {
      // stdin already closed: the helper is on its way out
    }
    const killed = await Promise.race([
      this.exited.then(() => false),
      delay(this.opts.stopTimeoutMs ?? 5_000).then(() => true)
    ])
    if (killed) {
      child.kill('SIGKILL')
      await this.exited
    }
    return this.status()
  }

  /** Pause the display: the capture continues, 'spool' events wait for resume(). */
  pause(): void {
    if (this.st.paused) return
    this.st = { ...this.st, paused: true }
    this.emitStatus(true)
  }

  resume(): void {
    if (!this.st.paused) return
    this.st = { ...this.st, paused: false }
    this.announceSpool()
    this.emitStatus(true)
  }

  // ---- internals ----

  private spawnHelper(helperArgs: string[]): ChildProcessWithoutNullStreams {
    const wrapper = this.opts.wrapper ?? []
    const [command, ...prefix] = wrapper.length > 0 ? [...wrapper, this.helper.command] : [this.helper.command]
    const child = spawn(command!, [...prefix, ...helperArgs], {
      env: { ...process.env, ...this.helper.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true
    })
    // EPIPE when the helper is already gone: its exit is what matters, and it is handled there.
    child.stdin.on('error', () => {})
    return child
  }

  private async runHelperOnce(extra: string[]): Promise<HelperMessage | null> {
    const child = this.spawnHelper([...this.helper.args, ...extra])
    child.stdin.end()
    let first: HelperMessage | null = null
    createInterface({ input: child.stdout }).on('line', (l) => {
      first ??= parseHelperLine(l)
    })
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve())
      child.once('error', () => resolve())
    })
    return first
  }

  private onMessage(m: HelperMessage): void {
    if (m.type === 'progress') {
      this.st = { ...this.st, packets: m.packets, bytes: m.bytes, spoolBytes: m.spoolBytes, helperRss: m.rss }
      this.samples.push({ t: m.t, packets: m.packets })
      // Keep ~2 s of samples for the 1 s rate.
      while (this.samples.length > 2 && m.t - this.samples[0]!.t > 2000) this.samples.shift()
      this.announceSpool()
      this.emitStatus(false)
    } else if (m.type === 'stopped') {
      this.sawStopped = true
      this.st = { ...this.st, packets: m.packets, bytes: m.bytes, spoolBytes: m.spoolBytes }
      this.announceSpool()
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, settle: ((e: CaptureError | null) => void) | null): void {
    this.child = null
    if (settle !== null) {
      settle(this.helperFailed('The capture helper exited before capturing', code, signal))
    } else if (!this.sawStopped && this.st.error === undefined) {
      // Died without saying goodbye: cap aborts on a poll error, which libpcap raises when the
      // interface goes down or disappears under it.
      const tail = this.stderrTail.trim()
      if (/cb_packets|status == 0/.test(tail)) this.fail(interfaceDownError(this.st.iface, tail))
      else if (!this.stopping || signal !== 'SIGKILL') this.fail(this.helperFailed('The capture helper stopped unexpectedly', code, signal))
    }
    const wasRunning = this.st.running
    this.st = { ...this.st, running: false }
    this.samples = []
    if (!wasRunning) return
    this.emitStatus(true)
    this.emit('stopped', this.status())
  }

  private fail(err: CaptureError): void {
    this.st = { ...this.st, error: err.userText, errorCode: err.code }
    this.emit('failed', err)
    this.emitStatus(true)
  }

  private helperFailed(what: string, code: number | null, signal: NodeJS.Signals | null, detail?: string): CaptureError {
    const how = signal !== null ? ` (killed by ${signal})` : code !== null ? ` (exit status ${code})` : ''
    const tail = detail ?? this.stderrTail.trim()
    return new CaptureError({
      code: 'helper-failed',
      message: `${what}${how}.`,
      fix: 'Whatever it captured before is in the spool file. The helper’s own words are below.',
      detail: tail
    })
  }

  private announceSpool(): void {
    if (this.st.paused || this.st.spoolBytes <= this.spoolAnnounced) return
    this.spoolAnnounced = this.st.spoolBytes
    this.emit('spool', { path: this.st.spoolPath, bytes: this.st.spoolBytes })
  }

  private rate(): number {
    const s = this.samples
    const last = s[s.length - 1]
    if (last === undefined || s.length < 2) return 0
    let base = s[0]!
    for (const x of s) {
      if (last.t - x.t >= 1000) base = x
      else break
    }
    const dt = last.t - base.t
    return dt > 0 ? Math.round(((last.packets - base.packets) * 1000) / dt) : 0
  }

  /** Emit now if the last emit is old enough (or `now`), else once at the end of the interval. */
  private emitStatus(now: boolean): void {
    const min = this.opts.minEventIntervalMs ?? 50
    const since = Date.now() - this.lastEmit
    if (this.emitTimer !== null && !now) return
    if (now || since >= min) {
      if (this.emitTimer !== null) clearTimeout(this.emitTimer)
      this.emitTimer = null
      this.lastEmit = Date.now()
      this.emit('progress', this.status())
      return
    }
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null
      this.lastEmit = Date.now()
      this.emit('progress', this.status())
    }, min - since)
  }

  private idleStatus(iface: string, filter: string): ControllerStatus {
    return {
      running: false,
      iface,
      filter,
      packets: 0,
      bytes: 0,
      rate: 0,
      rss: process.memoryUsage.rss(),
      spoolPath: '',
      dropsNote: DROPS_NOTE,
      paused: false,
      spoolBytes: 0,
      helperPid: 0,
      helperRss: 0,
      startedAt: 0
    }
  }
}

function spoolName(iface: string): string {
  const d = new Date()
  const p = (n: number): string => String(n).padStart(2, '0')
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`
  const safe = iface.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)
  return `wirenote-${safe}-${stamp}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.pcapng`
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref())
