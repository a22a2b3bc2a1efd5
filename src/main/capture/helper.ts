// The capture helper: the only Wirenote process that needs capture rights. It opens one
// interface with npm `cap`, stamps each packet on arrival, appends it to a pcapng spool and
// tells its parent how far it got (JSON lines on stdout, see protocol.ts). It keeps no
// per-packet state: its memory stays flat however long it runs.
//
//   node --import tsx src/main/capture/helper.ts --iface lo --filter 'tcp port 80' --spool /tmp/x.pcapng
//   node --import tsx src/main/capture/helper.ts --list
//
// Stops cleanly (flush, statistics block, close) on SIGTERM/SIGINT/SIGHUP, on "stop" on stdin
// and on stdin EOF with --stdin-control (so it never outlives its parent).
import { readFileSync, realpathSync } from 'node:fs'
import { release, type as osType } from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { PcapngWriter, PcapngWriterError } from '../capfile/pcapng/writer'
import { badFilterError } from './bpf'
import { arrivalClock } from './clock'
import {
  CaptureError,
  diskFullError,
  interfaceDownError,
  isNoDeviceText,
  isPermissionText,
  permissionError,
  spoolIoError,
  unknownInterfaceError
} from './errors'
import { describeDevice, loadCap, type CapDevice, type CapHandle } from './interfaces'
import { linktypeFromCap, wireLength } from './linktype'
import { EXIT, type HelperMessage, type StopReason } from './protocol'

/** cap always sets this snap length and never tells us the wire length of a cut packet. */
export const SNAPLEN = 65535
/** Timers can starve while cap drains a long burst: flush inline past this age. */
const FORCE_FLUSH_NS = 100_000_000n

export interface HelperOptions {
  iface: string
  filter: string
  spool: string
  /** Flush pending packets this long after the first unflushed one arrived (≤ 100). */
  flushMs: number
  /** Progress line period; lines are skipped while nothing changes (heartbeat every second). */
  progressMs: number
  stdinControl: boolean
  /** libpcap's kernel buffer. */
  bufferBytes: number
  userappl: string
}

export const HELPER_USAGE = `usage: capture-helper --iface NAME --spool FILE [--filter BPF] [--flush-ms 10] [--progress-ms 250]
                      [--buffer-mb 16] [--stdin-control] [--userappl TEXT]
       capture-helper --list`

export function parseHelperArgs(argv: string[]): HelperOptions | { list: true } {
  const { values } = parseArgs({
    args: argv,
    options: {
      iface: { type: 'string' },
      filter: { type: 'string', default: '' },
      spool: { type: 'string' },
      'flush-ms': { type: 'string', default: '10' },
      'progress-ms': { type: 'string', default: '250' },
      'buffer-mb': { type: 'string', default: '16' },
      'stdin-control': { type: 'boolean', default: false },
      userappl: { type: 'string', default: 'Wirenote capture helper' },
      list: { type: 'boolean', default: false }
    },
    strict: true,
    allowPositionals: false
  })
  if (values.list) return { list: true }
  if (values.iface === undefined || values.iface === '' || values.spool === undefined || values.spool === '') {
    throw new Error('--iface and --spool are required')
  }
  const num = (name: string, v: string, min: number, max: number): number => {
    const n = Number(v)
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`)
    return n
  }
  return {
    iface: values.iface,
    filter: values.filter,
    spool: values.spool,
    flushMs: num('flush-ms', values['flush-ms'], 1, 100),
    // ≥ 50 ms keeps the stream ≤ 20 lines/s whatever the caller asks.
    progressMs: num('progress-ms', values['progress-ms'], 50, 10_000),
    bufferBytes: Math.round(num('buffer-mb', values['buffer-mb'], 1, 1024) * (1 << 20)),
    stdinControl: values['stdin-control'],
    userappl: values.userappl
  }
}

function send(m: HelperMessage): void {
  try {
    process.stdout.write(`${JSON.stringify(m)}\n`)
  } catch {
    // The parent is gone; the spool is what matters.
  }
}

function sendError(e: CaptureError): void {
  send({ type: 'error', ...e.toInfo() })
}

/** The binary that needs the capture right (setcap wants a regular file, not a symlink). */
function runtimePath(): string {
  try {
    return realpathSync(process.execPath)
  } catch {
    return process.execPath
  }
}

/**
 * Every Cap object this process creates stays referenced until exit: cap's destructor frees a
 * uv_poll_t that libuv still links in its handle queue (it is stopped, never closed), so a
 * garbage-collected Cap corrupts the loop later (SIGSEGV under load).
 */
const capObjects: CapHandle[] = []

/** Open `iface`; errors become CaptureErrors. An empty-filter probe first tells device/permission faults from filter faults. */
function openCapture(iface: string, filter: string, bufferBytes: number, buf: Buffer, known: string[]): { handle: CapHandle; linkName: string } {
  const cap = loadCap()
  const classify = (text: string): CaptureError => {
    if (isPermissionText(text)) return permissionError(iface, text, process.platform, runtimePath())
    if (/not up/i.test(text)) return interfaceDownError(iface, text)
    if (isNoDeviceText(text)) return unknownInterfaceError(iface, known)
    return new CaptureError({ code: 'helper-failed', message: `Could not start capturing on "${iface}": ${text}`, fix: '', detail: text })
  }
  if (filter !== '') {
    // cap cannot reopen a handle whose open failed, so the probe and the real open use two.
    const probe = new cap.Cap()
    capObjects.push(probe)
    try {
      probe.open(iface, '', 1 << 20, buf)
    } catch (e) {
      throw classify((e as Error).message)
    }
    probe.close()
  }
  const handle = new cap.Cap()
  capObjects.push(handle)
  try {
    return { handle, linkName: handle.open(iface, filter, bufferBytes, buf) }
  } catch (e) {
    const text = (e as Error).message
    if (filter !== '' && !isPermissionText(text)) throw badFilterError(filter, text)
    throw classify(text)
  }
}

/** Under pkexec/sudo the helper starts as root: drop to the invoking user once the socket is open. */
function dropPrivileges(): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return
  const uidText = process.env.PKEXEC_UID ?? process.env.SUDO_UID
  if (uidText === undefined || !/^\d+$/.test(uidText) || uidText === '0') return
  const uid = Number(uidText)
  let gid = Number(process.env.SUDO_GID ?? NaN)
  if (!Number.isInteger(gid)) {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === uidText)
    gid = Number(line?.split(':')[3] ?? 65534)
  }
  process.setgroups?.([])
  process.setgid?.(gid)
  process.setuid?.(uid)
}

/** Linux only: `ip link set X down` or removal, seen through sysfs; null where it cannot be watched. */
function interfaceUp(iface: string): (() => boolean) | null {
  if (process.platform !== 'linux' || iface.includes('/') || iface.startsWith('.')) return null
  const path = `/sys/class/net/${iface}/flags`
  try {
    readFileSync(path)
  } catch {
    return null // 'any', nflog, usb/bluetooth monitors: no netdev to watch
  }
  return () => {
    try {
      return (Number.parseInt(readFileSync(path, 'utf8').trim(), 16) & 1) === 1
    } catch {
      return false
    }
  }
}

/** Run the helper; resolves with the process exit status once the capture has stopped. */
export async function runHelper(argv: string[]): Promise<number> {
  let opts: HelperOptions | { list: true }
  try {
    opts = parseHelperArgs(argv)
  } catch (e) {
    process.stderr.write(`capture-helper: ${(e as Error).message}\n${HELPER_USAGE}\n`)
    return EXIT.usage
  }

  let devices: CapDevice[]
  try {
    devices = loadCap().Cap.deviceList()
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e
    sendError(e)
    return EXIT[e.code]
  }
  if ('list' in opts) {
    send({ type: 'interfaces', interfaces: devices.map(describeDevice) })
    return EXIT.ok
  }
  const o = opts
  const device = devices.find((d) => d.name === o.iface)
  if (device === undefined) {
    sendError(unknownInterfaceError(o.iface, devices.map((d) => d.name)))
    return EXIT['unknown-interface']
  }

  // One buffer for every packet: cap overwrites it, the writer copies out of it at once.
  const buf = Buffer.alloc(SNAPLEN)
  let handle: CapHandle
  let linktype: number
  try {
    const opened = openCapture(o.iface, o.filter, o.bufferBytes, buf, devices.map((d) => d.name))
    handle = opened.handle
    linktype = linktypeFromCap(opened.linkName)
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e
    sendError(e)
    return EXIT[e.code]
  }

  try {
    dropPrivileges()
  } catch (e) {
    // Never go on as root.
    const err = new CaptureError({ code: 'helper-failed', message: 'Could not drop root privileges after opening the capture.', fix: '', detail: (e as Error).message })
    sendError(err)
    return EXIT[err.code]
  }

  let writer: PcapngWriter
  const clock = arrivalClock()
  try {
    writer = PcapngWriter.toFile(o.spool, { section: { userappl: o.userappl, os: `${osType()} ${release()}` }, autoFlushBytes: 1 << 20 })
    writer.addInterface({
      linktype,
      snaplen: SNAPLEN,
      name: o.iface,
      ...(device.description === undefined ? {} : { description: device.description }),
      ...(o.filter === '' ? {} : { filter: o.filter }),
      tsresol: 9
    })
    writer.flush()
  } catch (e) {
    handle.close()
    const err = e instanceof PcapngWriterError && e.code === 'disk-full' ? diskFullError(o.spool, 0, e.message) : spoolIoError(o.spool, (e as Error).message)
    sendError(err)
    return EXIT[err.code]
  }

  return await new Promise<number>((resolve) => {
    let packets = 0
    let bytes = 0
    let lastFlushNs = clock.now()
    let flushTimer: NodeJS.Timeout | null = null
    let stopped = false
    let lastSent = { packets: -1, spool: -1, t: 0 }
    const startHr = process.hrtime.bigint()

    const progress = (force: boolean): void => {
      const t = Number((process.hrtime.bigint() - startHr) / 1_000_000n)
      if (!force && packets === lastSent.packets && writer.bytesCommitted === lastSent.spool && t - lastSent.t < 1000) return
      lastSent = { packets, spool: writer.bytesCommitted, t }
      send({ type: 'progress', packets, bytes, spoolBytes: writer.bytesCommitted, rss: process.memoryUsage.rss(), t })
    }

    const finish = (reason: StopReason, error: CaptureError | null): void => {
      if (stopped) return
      stopped = true
      handle.close()
      if (flushTimer !== null) clearTimeout(flushTimer)
      clearInterval(progressTimer)
      if (watchTimer !== null) clearInterval(watchTimer)
      let err = error
      try {
        if (err === null) {
          const now = clock.now()
          writer.writeInterfaceStatistics({ interfaceId: 0, timestamp: now, startTime: clock.anchorNs, endTime: now, usrDeliv: BigInt(packets) })
        }
        writer.close()
      } catch (e) {
        err ??= writeFailure(e)
      }
      if (err !== null) sendError(err)
      progress(true)
      send({ type: 'stopped', reason: err === null ? reason : 'error', packets, bytes, spoolBytes: writer.bytesCommitted })
      process.removeListener('SIGTERM', onSignal)
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGHUP', onSignal)
      rl?.close()
      process.stdin.destroy()
      resolve(err === null ? EXIT.ok : EXIT[err.code])
    }

    const writeFailure = (e: unknown): CaptureError =>
      e instanceof PcapngWriterError && e.code === 'disk-full' ? diskFullError(o.spool, e.committedBytes, e.message) : spoolIoError(o.spool, (e as Error).message)

    const flushNow = (): void => {
      if (flushTimer !== null) {
        clearTimeout(flushTimer)
        flushTimer = null
      }
      try {
        writer.flush()
      } catch (e) {
        finish('error', writeFailure(e))
        return
      }
      lastFlushNs = clock.now()
    }

    handle.on('packet', (nbytes: number) => {
      if (stopped) return
      const ts = clock.now()
      const origlen = nbytes >= SNAPLEN ? wireLength(linktype, buf, nbytes) : nbytes
      try {
        writer.writePacket({ interfaceId: 0, timestamp: ts, data: buf, caplen: nbytes, origlen })
      } catch (e) {
        finish('error', writeFailure(e))
        return
      }
      packets++
      bytes += origlen
      if (flushTimer === null) flushTimer = setTimeout(flushNow, o.flushMs)
      else if (ts - lastFlushNs > FORCE_FLUSH_NS) {
        flushNow()
        progress(false)
      }
    })

    const progressTimer = setInterval(() => progress(false), o.progressMs)
    const isUp = interfaceUp(o.iface)
    const watchTimer =
      isUp === null
        ? null
        : setInterval(() => {
            if (!isUp()) finish('error', interfaceDownError(o.iface, `/sys/class/net/${o.iface}: interface down or gone`))
          }, 250)

    const onSignal = (): void => finish('requested', null)
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
    process.on('SIGHUP', onSignal)
    process.stdout.on('error', () => finish('requested', null))

    const rl = o.stdinControl ? createInterface({ input: process.stdin }) : null
    rl?.on('line', (line) => {
      const cmd = line.trim()
      if (cmd === 'stop') finish('requested', null)
      else if (cmd === 'progress') progress(true)
    })
    rl?.on('close', () => finish('requested', null))

    send({
      type: 'started',
      pid: process.pid,
      iface: o.iface,
      filter: o.filter,
      linktype,
      snaplen: SNAPLEN,
      spool: o.spool,
      anchorNs: clock.anchorNs.toString(),
      runtime: runtimePath()
    })
    progress(true)
  })
}

function isMain(): boolean {
  const entry = process.argv[1]
  if (entry === undefined) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMain()) {
  // Exit as soon as the last line is out: a cap handle whose open failed must never be torn
  // down by the runtime (cap's close() then stops a poll handle it never started).
  const exit = (code: number): void => {
    if (process.stdout.writableLength === 0) process.exit(code)
    process.stdout.once('drain', () => process.exit(code))
    setTimeout(() => process.exit(code), 1000).unref()
  }
  runHelper(process.argv.slice(2)).then(exit, (e: unknown) => {
    process.stderr.write(`capture-helper: ${(e as Error).stack ?? String(e)}\n`)
    exit(EXIT.failed)
  })
}
