// The errors users hit, as they reach the main process: typed codes and the exact text.
import { spawnSync } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaptureController } from '../src/main/capture/controller'
import { CaptureError, permissionFix } from '../src/main/capture/errors'
import { locateFilterError } from '../src/main/capture/bpf'
import { bundleHelper, freePort, hasTool, parsePcapngFile, skipReason, tsharkCheck, waitFor } from './capture-support'

const skip = skipReason()
if (skip !== '') console.log(`capture-errors: ${skip}`)
const dir = mkdtempSync(join(tmpdir(), 'wirenote-cap-err-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function startError(c: CaptureController, iface: string, filter = ''): Promise<CaptureError> {
  try {
    await c.start({ iface, filter })
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError)
    return e as CaptureError
  }
  await c.stop()
  throw new Error('start() succeeded')
}

describe('capture filter error positions', () => {
  it('points at the word libpcap quotes, the bad number, an unbalanced parenthesis, a dangling keyword', () => {
    expect(locateFilterError('tcp and host nosuch.invalid', "unknown host 'nosuch.invalid'")).toBe(13)
    expect(locateFilterError('tcp port 99999', 'illegal port number 99999 > 65535')).toBe(9)
    expect(locateFilterError('tcp and (port 80', "can't parse filter expression: syntax error")).toBe(8)
    expect(locateFilterError('tcp and port 80)', "can't parse filter expression: syntax error")).toBe(15)
    expect(locateFilterError('tcp port ', "can't parse filter expression: syntax error")).toBe(8)
    expect(locateFilterError('udp and tcp.port == 80', "can't parse filter expression: syntax error")).toBe(8)
    expect(locateFilterError('tcp prot 80', "can't parse filter expression: syntax error")).toBeUndefined()
  })
})

describe.skipIf(skip !== '')('capture errors', () => {
  const c = new CaptureController({ spoolDir: dir })

  it('unknown interface: lists the known ones', async () => {
    const e = await startError(c, 'nosuch0')
    expect(e.code).toBe('unknown-interface')
    expect(e.message).toBe('There is no interface "nosuch0".')
    expect(e.interfaces).toContain('lo')
    expect(e.fix).toMatch(/^Known interfaces: .*\blo\b/)
    expect(c.running).toBe(false)
  })

  it("bad BPF filter: libpcap's message, where, and a hint", async () => {
    const e = await startError(c, 'lo', 'tcp port')
    expect(e.code).toBe('bad-filter')
    expect(e.message).toBe("The capture filter is not valid at character 9: can't parse filter expression: syntax error")
    expect(e.detail).toBe("can't parse filter expression: syntax error")
    expect(e.pos).toBe(8)
    expect(e.fix).toContain('  tcp port\n          ^')

    const d = await startError(c, 'lo', 'tcp.port == 443')
    expect(d.code).toBe('bad-filter')
    expect(d.pos).toBe(0)
    expect(d.fix).toMatch(/^"tcp\.port" is a display-filter field; capture filters use libpcap syntax/)

    const h = await startError(c, 'lo', 'host nosuch.invalid')
    expect(h.message).toBe("The capture filter is not valid at character 6: unknown host 'nosuch.invalid'")
  })

  it('spool that cannot be created: spool-io, and no capture left running', async () => {
    let e: unknown
    try {
      await c.start({ iface: 'lo', spoolPath: join(dir, 'missing-dir', 'x.pcapng') })
    } catch (err) {
      e = err
    }
    expect(e).toMatchObject({ code: 'spool-io', message: `Could not write the capture spool file ${join(dir, 'missing-dir', 'x.pcapng')}.` })
    expect((e as CaptureError).detail).toMatch(/ENOENT/)
  })

  it('a helper runtime that does not exist: helper-failed', async () => {
    const bad = new CaptureController({ spoolDir: dir, helper: { command: join(dir, 'no-such-runtime'), args: [], env: {} } })
    const e = await startError(bad, 'lo')
    expect(e.code).toBe('helper-failed')
    expect(e.message).toBe(`Could not run the capture helper (${join(dir, 'no-such-runtime')}).`)
    expect(e.detail).toMatch(/ENOENT/)
  })

  describe.skipIf(!hasTool('setpriv'))('unprivileged user', () => {
    let helper = ''
    const runtime = realpathSync(process.execPath)
    beforeAll(async () => {
      // A bundle in a world-readable directory: nobody must not depend on reading the checkout.
      chmodSync(dir, 0o755)
      const bdir = join(dir, 'bundle')
      mkdirSync(bdir)
      helper = await bundleHelper(bdir)
    })

    it('without CAP_NET_RAW: the exact permission message, with the setcap fix and no "run as root"', async () => {
      const nobody = new CaptureController({
        spoolDir: dir,
        helper: { command: process.execPath, args: [helper], env: {} },
        wrapper: ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all']
      })
      const e = await startError(nobody, 'lo')
      expect(e.code).toBe('permission')
      expect(e.message).toBe('Not allowed to capture on "lo": socket: Operation not permitted')
      expect(e.fix).toBe(permissionFix('linux', runtime))
      expect(e.userText).toBe(
        'Not allowed to capture on "lo": socket: Operation not permitted\n' +
          'Capturing needs the CAP_NET_RAW capability. Only the capture helper needs it: do not run Wirenote itself as root.\n' +
          `Grant it to the helper's runtime:  sudo setcap cap_net_raw,cap_net_admin+eip ${runtime}\n` +
          'To limit capture to one group instead (as Wireshark does with dumpcap and the "wireshark" group), give the\n' +
          'capability to a copy of the runtime that only that group may execute: see "Linux" in docs/capture.md.'
      )
      expect(e.userText).not.toMatch(/sudo wirenote|run (it|Wirenote) as root/i)
    })

    it('with CAP_NET_RAW alone (no root, no CAP_NET_ADMIN) the same user captures', async () => {
      const udir = join(dir, 'nobody-spool')
      mkdirSync(udir)
      chmodSync(udir, 0o777)
      const port = await freePort()
      const capable = new CaptureController({
        spoolDir: udir,
        helper: { command: process.execPath, args: [helper], env: {} },
        wrapper: ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=+net_raw', '--ambient-caps=+net_raw']
      })
      const s = await capable.start({ iface: 'lo', filter: `udp port ${port}`, spoolPath: join(udir, 'nobody.pcapng') })
      const sock = createSocket('udp4')
      for (let i = 0; i < 5; i++) await new Promise<void>((r) => sock.send(`p${i}`, port, '127.0.0.1', () => r()))
      sock.close()
      await waitFor(() => capable.status().packets >= 5, 10_000, 'five packets')
      const final = await capable.stop()
      expect(final.error).toBeUndefined()
      expect(parsePcapngFile(s.spoolPath).packets.length).toBe(final.packets)
      expect(statSync(s.spoolPath).uid).not.toBe(0)
    })

    it('started as root by sudo/pkexec: drops to the invoking user before creating the spool', async () => {
      const udir = join(dir, 'sudo-spool')
      mkdirSync(udir)
      chmodSync(udir, 0o777)
      const c = new CaptureController({ spoolDir: udir, helper: { command: process.execPath, args: [helper], env: { SUDO_UID: '65534', SUDO_GID: '65534' } } })
      const s = await c.start({ iface: 'lo', filter: 'udp port 9' })
      const final = await c.stop()
      expect(final.error).toBeUndefined()
      expect(statSync(s.spoolPath).uid).toBe(65534)
      expect(parsePcapngFile(s.spoolPath).error).toBeUndefined()
    })

    it.skipIf(!hasTool('setcap'))('the documented fix works: a setcap’d copy of the runtime lets nobody capture (no ambient caps)', async () => {
      const rdir = join(dir, 'runtime')
      mkdirSync(rdir)
      chmodSync(rdir, 0o755)
      const rt = join(rdir, 'wirenote-capture-node')
      copyFileSync(runtime, rt)
      chmodSync(rt, 0o755)
      const set = spawnSync('setcap', ['cap_net_raw,cap_net_admin+eip', rt], { encoding: 'utf8' })
      if (set.status !== 0) {
        console.log(`skipped: this filesystem does not take file capabilities (${set.stderr.trim()})`)
        return
      }
      const udir = join(dir, 'setcap-spool')
      mkdirSync(udir)
      chmodSync(udir, 0o777)
      const c = new CaptureController({
        spoolDir: udir,
        helper: { command: rt, args: [helper], env: {} },
        wrapper: ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all']
      })
      const s = await c.start({ iface: 'lo', filter: 'udp port 9' })
      const final = await c.stop()
      expect(final.error).toBeUndefined()
      expect(parsePcapngFile(s.spoolPath).error).toBeUndefined()
      rmSync(rt)
    })
  })

  it('disk full while spooling: stops cleanly, keeps a valid spool of whole blocks', async () => {
    const mnt = join(dir, 'small')
    mkdirSync(mnt)
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt], { encoding: 'utf8' })
    if (m.status !== 0) {
      console.log(`skipped: cannot mount a tmpfs here (${m.stderr.trim()})`)
      return
    }
    const port = await freePort()
    const sink = createSocket('udp4')
    await new Promise<void>((r) => sink.bind(port, '127.0.0.1', () => r()))
    const sock = createSocket('udp4')
    try {
      const full = new CaptureController({ spoolDir: mnt })
      const failures: CaptureError[] = []
      full.on('failed', (e) => failures.push(e))
      const stopped = new Promise((r) => full.once('stopped', r))
      await full.start({ iface: 'lo', filter: `udp port ${port}` })
      const big = Buffer.alloc(30_000, 0x5a)
      for (let i = 0; i < 200 && failures.length === 0; i++) {
        await new Promise<void>((r) => sock.send(big, port, '127.0.0.1', () => r()))
        await new Promise((r) => setTimeout(r, 2))
      }
      await waitFor(() => failures.length > 0, 10_000, 'the disk-full error')
      await stopped
      const st = full.status()
      expect(st.running).toBe(false)
      expect(st.errorCode).toBe('disk-full')
      expect(failures[0]!.code).toBe('disk-full')
      expect(failures[0]!.message).toMatch(/^The disk holding the capture spool is full; the capture stopped\. \d+ bytes of whole packets were kept in /)
      expect(st.error).toContain('Free some space, or choose a spool directory on a disk with more room')
      const f = parsePcapngFile(st.spoolPath)
      expect(f.error).toBeUndefined()
      expect(f.end).toBe(statSync(st.spoolPath).size)
      expect(f.packets.length).toBeGreaterThan(5)
      if (hasTool('tshark')) expect(tsharkCheck(st.spoolPath).status).toBe(0)
    } finally {
      sock.close()
      sink.close()
      spawnSync('umount', ['-l', mnt])
    }
  })
})
