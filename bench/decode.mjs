#!/usr/bin/env node
// Decoding speed of `wirenote fields` against `tshark -T fields` on the same capture, with the
// same fields, in the same run. Prints packets/s for both, the ratio, and whether the two
// outputs are identical (or how many lines differ).
//
//   node bench/decode.mjs [CAPTURE]   (default .bench/medium.pcap: ~1 M packets)
//   WIRENOTE_BENCH_SYNTH=100000 node bench/decode.mjs   (synthetic capture, 10 packets a connection)
//
// The default capture is made by ../shared/bench/make-captures.sh (root, loopback only); when
// that cannot run, a synthetic capture of the same shape (10-packet HTTP/1.0 connections) is
// written instead.
import { spawn, spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, writeSync, statSync, rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BENCH_DIR = join(ROOT, '.bench')
const FIELDS = [
  'frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw',
  'tcp.ack_raw', 'tcp.stream', 'http.request.uri'
]

function log(s) {
  process.stdout.write(s + '\n')
}

function ensureCapture() {
  const arg = process.argv[2]
  if (arg) return resolve(arg)
  // WIRENOTE_BENCH_SYNTH=N: always use a synthetic capture of N connections (10 packets each).
  const forced = Number(process.env.WIRENOTE_BENCH_SYNTH)
  if (forced > 0) {
    mkdirSync(BENCH_DIR, { recursive: true })
    const path = join(BENCH_DIR, `synthetic-${forced}.pcap`)
    if (!existsSync(path)) synthesise(path, forced)
    return path
  }
  const medium = join(BENCH_DIR, 'medium.pcap')
  if (existsSync(medium)) return medium
  mkdirSync(BENCH_DIR, { recursive: true })
  const script = resolve(ROOT, '../shared/bench/make-captures.sh')
  if (existsSync(script) && process.getuid?.() === 0) {
    log(`making captures with ${script} (loopback, a few minutes)...`)
    const r = spawnSync('bash', [script, BENCH_DIR], { stdio: 'inherit', env: { ...process.env, LARGE_MODE: 'merge' } })
    if (r.status === 0 && existsSync(medium)) return medium
    log('make-captures.sh failed; synthesising a capture instead')
  }
  const synth = join(BENCH_DIR, 'synthetic.pcap')
  if (!existsSync(synth)) synthesise(synth, 100_000)
  return synth
}

/** 10 packets per connection: handshake, GET, ACK, response, ACK, FIN/ACK both ways. */
function synthesise(path, connections) {
  log(`synthesising ${connections * 10} packets into ${path}`)
  const fd = openSync(path, 'w')
  const hdr = Buffer.alloc(24)
  hdr.writeUInt32LE(0xa1b2c3d4, 0)
  hdr.writeUInt16LE(2, 4)
  hdr.writeUInt16LE(4, 6)
  hdr.writeUInt32LE(262144, 16)
  hdr.writeUInt32LE(1, 20)
  writeSync(fd, hdr)
  const body = Buffer.from('<!DOCTYPE html>\n<html><body>' + 'x'.repeat(1340) + '</body></html>\n')
  const out = []
  let size = 0
  let t = 1_700_000_000 * 1e6
  const flush = () => {
    writeSync(fd, Buffer.concat(out, size))
    out.length = 0
    size = 0
  }
  const packet = (sport, dport, seq, ack, flags, payload) => {
    const len = 14 + 20 + 20 + payload.length
    const p = Buffer.alloc(16 + len)
    t += 7
    p.writeUInt32LE(Math.floor(t / 1e6), 0)
    p.writeUInt32LE(t % 1e6, 4)
    p.writeUInt32LE(len, 8)
    p.writeUInt32LE(len, 12)
    p.writeUInt16BE(0x0800, 16 + 12)
    const ip = 16 + 14
    p[ip] = 0x45
    p.writeUInt16BE(20 + 20 + payload.length, ip + 2)
    p[ip + 8] = 64
    p[ip + 9] = 6
    p.writeUInt32BE(0x7f000001, ip + 12)
    p.writeUInt32BE(0x7f000001, ip + 16)
    const tcp = ip + 20
    p.writeUInt16BE(sport, tcp)
    p.writeUInt16BE(dport, tcp + 2)
    p.writeUInt32BE(seq >>> 0, tcp + 4)
    p.writeUInt32BE(ack >>> 0, tcp + 8)
    p.writeUInt16BE((5 << 12) | flags, tcp + 12)
    p.writeUInt16BE(65535, tcp + 14)
    payload.copy(p, tcp + 20)
    out.push(p)
    size += p.length
    if (size > 1 << 22) flush()
  }
  for (let i = 0; i < connections; i++) {
    const c = 32768 + (i % 28000)
    const s = 18080
    const a = (i * 2654435761) >>> 0
    const b = (i * 40503 + 12345) >>> 0
    const req = Buffer.from(`GET /index.html?n=${i} HTTP/1.0\r\nHost: 127.0.0.1:18080\r\nUser-Agent: ApacheBench/2.3\r\nAccept: */*\r\n\r\n`)
    const res = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body])
    packet(c, s, a, 0, 0x002, Buffer.alloc(0))
    packet(s, c, b, a + 1, 0x012, Buffer.alloc(0))
    packet(c, s, a + 1, b + 1, 0x010, Buffer.alloc(0))
    packet(c, s, a + 1, b + 1, 0x018, req)
    packet(s, c, b + 1, a + 1 + req.length, 0x010, Buffer.alloc(0))
    packet(s, c, b + 1, a + 1 + req.length, 0x018, res)
    packet(c, s, a + 1 + req.length, b + 1 + res.length, 0x010, Buffer.alloc(0))
    packet(s, c, b + 1 + res.length, a + 1 + req.length, 0x011, Buffer.alloc(0))
    packet(c, s, a + 1 + req.length, b + 2 + res.length, 0x011, Buffer.alloc(0))
    packet(s, c, b + 2 + res.length, a + 2 + req.length, 0x010, Buffer.alloc(0))
  }
  flush()
  closeSync(fd)
}

/** Runs a command with stdout to a file; returns wall seconds and CPU seconds (user+sys of the child). */
function timed(cmd, args, outFile) {
  return new Promise((resolveP, reject) => {
    const fd = openSync(outFile, 'w')
    const t0 = process.hrtime.bigint()
    const child = spawn(cmd, args, { stdio: ['ignore', fd, 'pipe'] })
    let err = ''
    child.stderr.on('data', (b) => (err += b))
    child.on('error', reject)
    child.on('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9
      closeSync(fd)
      resolveP({ wall, code, err })
    })
  })
}

async function countLines(file) {
  let n = 0
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  for await (const _ of rl) n++
  return n
}

async function diffLines(a, b) {
  const ra = createInterface({ input: createReadStream(a) })[Symbol.asyncIterator]()
  const rb = createInterface({ input: createReadStream(b) })[Symbol.asyncIterator]()
  let differ = 0
  let first = null
  let line = 0
  for (;;) {
    const [x, y] = await Promise.all([ra.next(), rb.next()])
    if (x.done && y.done) break
    line++
    if (x.done || y.done || x.value !== y.value) {
      differ++
      if (!first) first = { line, ours: x.done ? '<none>' : x.value, tshark: y.done ? '<none>' : y.value }
    }
  }
  return { differ, first }
}

async function main() {
  const capture = ensureCapture()
  const tmp = join(BENCH_DIR, 'out')
  mkdirSync(tmp, { recursive: true })
  const ours = join(tmp, 'wirenote.tsv')
  const theirs = join(tmp, 'tshark.tsv')
  const eArgs = FIELDS.flatMap((f) => ['-e', f])
  const haveTime = existsSync('/usr/bin/time')
  const wrap = (cmd, args) => (haveTime ? ['/usr/bin/time', ['-f', '__CPU__ %U %S', cmd, ...args]] : [cmd, args])
  log(`capture: ${capture} (${(statSync(capture).size / 1e6).toFixed(1)} MB)`)
  log(`fields: ${FIELDS.join(' ')}`)

  const [c1, a1] = wrap(process.execPath, [join(ROOT, 'bin/wirenote.mjs'), 'fields', capture, ...eArgs, '-E', 'header=y', '-E', 'separator=/t'])
  const w = await timed(c1, a1, ours)
  const [c2, a2] = wrap('tshark', ['-n', '-r', capture, '-T', 'fields', '-E', 'separator=/t', '-E', 'header=y', ...eArgs])
  const t = await timed(c2, a2, theirs)
  const cpu = (r) => {
    const m = /__CPU__ ([\d.]+) ([\d.]+)/.exec(r.err)
    return m ? Number(m[1]) + Number(m[2]) : null
  }
  if (w.code !== 0) log(`wirenote exited ${w.code}: ${w.err.replace(/__CPU__.*\n?/, '').trim()}`)
  if (t.code !== 0) log(`tshark exited ${t.code}: ${t.err.replace(/__CPU__.*\n?/, '').replace(/Running as user.*\n?/, '').trim()}`)
  const packets = (await countLines(theirs)) - 1
  const wc = cpu(w)
  const tc = cpu(t)
  const rate = (s) => `${Math.round(packets / s).toLocaleString('en-US')} packets/s`
  log(`packets: ${packets}`)
  log(`wirenote: ${w.wall.toFixed(2)} s wall (${rate(w.wall)})${wc !== null ? `, ${wc.toFixed(2)} s CPU (${rate(wc)})` : ''}`)
  log(`tshark:   ${t.wall.toFixed(2)} s wall (${rate(t.wall)})${tc !== null ? `, ${tc.toFixed(2)} s CPU (${rate(tc)})` : ''}`)
  log(`ratio (wirenote speed / tshark speed): ${(t.wall / w.wall).toFixed(2)}x wall${wc && tc ? `, ${(tc / wc).toFixed(2)}x CPU` : ''}  (goal: >= 5x)`)
  const d = await diffLines(ours, theirs)
  if (d.differ === 0) log('outputs: identical')
  else {
    log(`outputs: ${d.differ} line(s) differ; first at line ${d.first.line}:`)
    log(`  wirenote: ${d.first.ours}`)
    log(`  tshark:   ${d.first.tshark}`)
  }
  rmSync(tmp, { recursive: true, force: true })
}

await main()
