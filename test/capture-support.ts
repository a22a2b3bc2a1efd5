// Shared by the capture and pcapng-writer tests: environment probes, a strict minimal pcapng
// parser (an independent check of the writer), the engine's reader when it exists, and tshark.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { openCaptureFile } from '../src/main/capfile/open'

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

/** Why a root/tool-dependent suite is skipped, or '' when it can run. */
export function skipReason(tools: string[] = [], needRoot = true): string {
  if (needRoot && !isRoot) return 'skipped: needs root (or CAP_NET_RAW) to capture; CI runs as root'
  const missing = tools.filter((t) => !hasTool(t))
  return missing.length > 0 ? `skipped: missing tool(s) ${missing.join(', ')}` : ''
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      s.close(() => resolve(port))
    })
  })
}

// ---- minimal strict pcapng parser (little-endian sections only, as the writer writes) ----

export interface MiniPacket {
  interfaceId: number
  tsNs: bigint
  caplen: number
  origlen: number
  data: Buffer
  comments: string[]
}

export interface MiniFile {
  interfaces: { linktype: number; snaplen: number; name?: string; description?: string; tsresol: number; filter?: string }[]
  packets: MiniPacket[]
  customs: { type: number; pen: number; data: Buffer }[]
  shb: { userappl?: string; comments: string[] }
  /** Bytes of whole blocks parsed. */
  end: number
  /** Set when the file does not end on a block boundary or a block is malformed. */
  error?: string
}

function readOptions(b: Buffer, off: number, end: number): { code: number; value: Buffer }[] {
  const out: { code: number; value: Buffer }[] = []
  while (off + 4 <= end) {
    const code = b.readUInt16LE(off)
    const len = b.readUInt16LE(off + 2)
    if (code === 0) break
    if (off + 4 + len > end) throw new Error(`option ${code} overruns its block at ${off}`)
    out.push({ code, value: b.subarray(off + 4, off + 4 + len) })
    off += 4 + ((len + 3) & ~3)
  }
  return out
}

export function parsePcapng(bytes: Buffer): MiniFile {
  const f: MiniFile = { interfaces: [], packets: [], customs: [], shb: { comments: [] }, end: 0 }
  let off = 0
  const units: bigint[] = []
  try {
    while (off < bytes.length) {
      if (off + 12 > bytes.length) throw new Error(`partial block header at ${off}`)
      const type = bytes.readUInt32LE(off)
      const total = bytes.readUInt32LE(off + 4)
      if (total < 12 || total % 4 !== 0) throw new Error(`bad block length ${total} at ${off}`)
      if (off + total > bytes.length) throw new Error(`block at ${off} cut at ${bytes.length} (needs ${total} bytes)`)
      if (bytes.readUInt32LE(off + total - 4) !== total) throw new Error(`trailing length mismatch at ${off}`)
      const body = off + 8
      const end = off + total - 4
      if (type === 0x0a0d0d0a) {
        if (bytes.readUInt32LE(body) !== 0x1a2b3c4d) throw new Error('not a little-endian section')
        for (const o of readOptions(bytes, body + 16, end)) {
          if (o.code === 4) f.shb.userappl = o.value.toString('utf8')
          if (o.code === 1) f.shb.comments.push(o.value.toString('utf8'))
        }
      } else if (type === 1) {
        const iface: MiniFile['interfaces'][number] = { linktype: bytes.readUInt16LE(body), snaplen: bytes.readUInt32LE(body + 4), tsresol: 6 }
        for (const o of readOptions(bytes, body + 8, end)) {
          if (o.code === 2) iface.name = o.value.toString('utf8')
          if (o.code === 3) iface.description = o.value.toString('utf8')
          if (o.code === 9) iface.tsresol = o.value[0] ?? 6
          if (o.code === 11) iface.filter = o.value.subarray(1).toString('utf8')
        }
        f.interfaces.push(iface)
        units.push(10n ** BigInt(9 - iface.tsresol))
      } else if (type === 6) {
        const interfaceId = bytes.readUInt32LE(body)
        const unit = units[interfaceId]
        if (unit === undefined) throw new Error(`EPB at ${off} names interface ${interfaceId}, not defined`)
        const ts = (BigInt(bytes.readUInt32LE(body + 4)) << 32n) | BigInt(bytes.readUInt32LE(body + 8))
        const caplen = bytes.readUInt32LE(body + 12)
        const origlen = bytes.readUInt32LE(body + 16)
        const dataEnd = body + 20 + ((caplen + 3) & ~3)
        if (dataEnd > end) throw new Error(`EPB at ${off}: caplen ${caplen} overruns the block`)
        const comments = readOptions(bytes, dataEnd, end)
          .filter((o) => o.code === 1)
          .map((o) => o.value.toString('utf8'))
        f.packets.push({ interfaceId, tsNs: ts * unit, caplen, origlen, data: bytes.subarray(body + 20, body + 20 + caplen), comments })
      } else if (type === 0xbad || type === 0x40000bad) {
        f.customs.push({ type, pen: bytes.readUInt32LE(body), data: bytes.subarray(body + 4, end) })
      }
      off += total
      f.end = off
    }
  } catch (e) {
    f.error = (e as Error).message
  }
  return f
}

export function parsePcapngFile(path: string): MiniFile {
  return parsePcapng(readFileSync(path))
}

// ---- the engine's reader -------------------------------------------------------------------

export interface EngineRead {
  packets: { interfaceId: number; tsSec: number; tsNsec: number; caplen: number; origlen: number; data: Buffer; comments: string[] }[]
  error: { code: string; message: string; offset: number } | null
}

/** Every packet of `path` through src/main/capfile/open.ts (records copied: the reader reuses its own). */
export function readWithEngine(path: string): EngineRead {
  const r = openCaptureFile(path)
  const out: EngineRead = { packets: [], error: null }
  try {
    for (let p = r.next(); p !== null; p = r.next()) {
      out.packets.push({
        interfaceId: p.interfaceId,
        tsSec: p.tsSec,
        tsNsec: p.tsNsec,
        caplen: p.caplen,
        origlen: p.origlen,
        data: Buffer.from(p.data),
        comments: [...p.comments]
      })
    }
    out.error = r.error
  } finally {
    r.close()
  }
  return out
}

// ---- tshark ------------------------------------------------------------------------------

/** `tshark -r path -T fields -e ...` rows (tab-separated columns), without the root warning. */
export function tsharkFields(path: string, fields: string[], extra: string[] = []): string[][] {
  const out = execFileSync('tshark', ['-r', path, ...extra, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 << 20
  })
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'))
}

/** tshark's exit status and stderr when reading a file (a cut file makes it complain). */
export function tsharkCheck(path: string): { status: number; stderr: string } {
  const r = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' })
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('Running as user'))
    .join('\n')
  return { status: r.status ?? -1, stderr }
}

// ---- minimal Ethernet/IPv4 decoding of captured frames (an independent check) ----------

export interface Seg {
  src: string
  dst: string
  proto: number
  sport: number
  dport: number
  /** TCP only. */
  flags: number
  seq: number
  ack: number
  payload: Buffer
}

export function decodeIpv4(frame: Buffer): Seg | null {
  if (frame.length < 34 || frame.readUInt16BE(12) !== 0x0800) return null
  const ip = 14
  const ihl = (frame[ip]! & 0x0f) * 4
  const proto = frame[ip + 9]!
  const total = frame.readUInt16BE(ip + 2)
  const src = [...frame.subarray(ip + 12, ip + 16)].join('.')
  const dst = [...frame.subarray(ip + 16, ip + 20)].join('.')
  const l4 = ip + ihl
  const end = Math.min(frame.length, ip + total)
  if (proto === 6 && l4 + 20 <= end) {
    const doff = (frame[l4 + 12]! >> 4) * 4
    return {
      src, dst, proto,
      sport: frame.readUInt16BE(l4),
      dport: frame.readUInt16BE(l4 + 2),
      seq: frame.readUInt32BE(l4 + 4),
      ack: frame.readUInt32BE(l4 + 8),
      flags: frame.readUInt16BE(l4 + 12) & 0x0fff,
      payload: frame.subarray(l4 + doff, end)
    }
  }
  if (proto === 17 && l4 + 8 <= end) {
    return { src, dst, proto, sport: frame.readUInt16BE(l4), dport: frame.readUInt16BE(l4 + 2), flags: 0, seq: 0, ack: 0, payload: frame.subarray(l4 + 8, end) }
  }
  return null
}

export const SYN = 0x002
export const ACK = 0x010

/** The three handshake segments of the first connection to `port` in `segs`, checked for Ack = Seq + 1. */
interface TcpLike {
  flags: number
  seq: number
  ack: number
  sport: number
  dport: number
}

export function findHandshake<T extends TcpLike>(segs: T[], port: number): { syn: T; synAck?: T; ack?: T } | null {
  const syn = segs.find((s) => s.dport === port && (s.flags & (SYN | ACK)) === SYN)
  if (syn === undefined) return null
  const synAck = segs.find((s) => s.sport === port && s.dport === syn.sport && (s.flags & (SYN | ACK)) === (SYN | ACK))
  if (synAck === undefined) return { syn }
  const ack = segs.find((s) => s.dport === port && s.sport === syn.sport && (s.flags & (SYN | ACK)) === ACK && s.seq === (syn.seq + 1) >>> 0)
  return { syn, synAck, ack }
}

/** Wait until `pred` holds (polling), or throw after `ms` with `what`. */
export async function waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

// ---- the helper as a standalone bundle (what the Electron build ships) -----------------

/**
 * Bundle src/main/capture/helper.ts with esbuild (tsx's own dependency) into `dir`, with a copy
 * of the native `cap` module beside it, all world-readable: an unprivileged user can run it
 * even where the checkout is private.
 */
export async function bundleHelper(dir: string): Promise<string> {
  const { createRequire } = await import('node:module')
  const { cpSync, chmodSync } = await import('node:fs')
  const { join, dirname } = await import('node:path')
  const req = createRequire(import.meta.url)
  const esbuild = createRequire(req.resolve('tsx')).resolve('esbuild')
  const { buildSync } = (await import(/* @vite-ignore */ esbuild)) as typeof import('esbuild')
  const out = join(dir, 'capture-helper.mjs')
  buildSync({
    entryPoints: [new URL('../src/main/capture/helper.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['cap'],
    outfile: out,
    logLevel: 'silent'
  })
  const capDir = dirname(req.resolve('cap/package.json'))
  cpSync(capDir, join(dir, 'node_modules', 'cap'), { recursive: true, filter: (p) => !p.includes(`${'/'}deps${'/'}`) && !p.endsWith('/deps') })
  chmodSync(dir, 0o755)
  return out
}
