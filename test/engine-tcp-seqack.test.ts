// tshark 4.0's SEQ/ACK analysis and TCP conversation timestamps, run here as the oracle:
// tcp.analysis.acks_frame / ack_rtt / initial_rtt / bytes_in_flight / push_bytes_sent / rto,
// tcp.time_relative / time_delta and tcp.completeness, with the analysis flags they sit beside.
// `wirenote fields` must print what tshark prints on every corpus capture and on crafted and
// randomised conversations (retransmissions, out-of-order, window updates, duplicate ACKs, SACK,
// zero windows, keep-alives, data both ways, timestamps going backwards); the details tree must
// hold the same lines in the same order as `tshark -V`; redissect of one frame from the session's
// summary pass must give the pass's tree; display filters on the new fields must keep the frames
// `tshark -Y` keeps; and the unacknowledged-segment pool must stay bounded.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { TcpStreamTable } from '../src/main/analysis/tcp-streams'
import { MAX_UNACKED_PER_FLOW } from '../src/main/analysis/tcp-unacked'
import { openCaptureFile } from '../src/main/capfile/open'
import { runFields } from '../src/main/cli/fields'
import type { FrameInput } from '../src/main/dissect'
import type { FieldNode } from '../src/main/dissect/fields'
import { formatNode } from '../src/main/dissect/format'
import { labelOf } from '../src/main/dissect/label'
import { frameInput, redissect, SequentialDecoder } from '../src/main/engine/decoder'
import { ACK, FIN, PSH, RST, SYN, tcpFrame, type TcpSpec } from './dissect-upper-support'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))
const SAMPLE = fileURLToPath(new URL('../resources/sample/web-visit.pcapng', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'wn-seqack-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const FIELDS = [
  'frame.number', 'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.completeness', 'tcp.time_relative', 'tcp.time_delta',
  'tcp.analysis', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent', 'tcp.analysis.rto', 'tcp.analysis.rto_frame',
  'tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission', 'tcp.analysis.out_of_order', 'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment', 'tcp.analysis.duplicate_ack', 'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.window_update', 'tcp.analysis.window_full', 'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack', 'tcp.analysis.zero_window', 'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack', 'tcp.analysis.reused_ports', 'tcp.window_size', 'tcp.window_size_scalefactor',
  '_ws.col.Info'
]

/**
 * What of the Info column is under test: the analysis notes in front ("[TCP Dup ACK 5#2] "), and
 * the TCP text after them unless an application dissector wrote there (the crafted captures
 * carry no application; the corpus does, and its columns are tested elsewhere).
 */
function info(s: string, whole: boolean): string {
  if (!whole) return /^(\[TCP [^\]]*\] )*/.exec(s)![0]
  return s.replace(' [TCP segment of a reassembled PDU]', '').replace(/\[Reassembly error.*$/, '')
}

function tsharkFields(file: string, fields: readonly string[]): string {
  try {
    return execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', ...fields.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 28
    })
  } catch (err) {
    return (err as { stdout: string }).stdout // cut files: the frames before the cut, exit 2
  }
}

/** Differences between tshark's and our `-T fields` lines, in both of our modes. */
function compareFields(file: string, fields: readonly string[] = FIELDS, wholeInfo = true): string[] {
  const want = tsharkFields(file, fields).split('\n')
  const col = fields.indexOf('_ws.col.Info')
  const diffs: string[] = []
  for (const mode of ['tree', 'auto'] as const) {
    let out = ''
    runFields({ file, fields: [...fields], header: false, separator: '\t', mode }, { out: (s) => (out += s), err: () => {} })
    const got = out.split('\n')
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      const w = (want[i] ?? '').split('\t')
      const g = (got[i] ?? '').split('\t')
      if (col >= 0) {
        w[col] = info(w[col] ?? '', wholeInfo)
        g[col] = info(g[col] ?? '', wholeInfo)
      }
      fields.forEach((f, c) => {
        if ((w[c] ?? '') !== (g[c] ?? '')) diffs.push(`${mode} frame ${i + 1} ${f}: tshark "${w[c] ?? ''}" wirenote "${g[c] ?? ''}"`)
      })
    }
  }
  return diffs
}

// ---- the details tree against tshark -V ---------------------------------------------------

const SEVERITY: Record<string, string> = { chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' }

/** Our node as tshark -V prints it (an expert note as its "[Expert Info (...)]" block). */
function vLines(n: FieldNode, depth: number, out: string[]): void {
  const pad = '    '.repeat(depth)
  if (n.expert && n.name.startsWith('tcp.analysis')) {
    const e = n.expert
    const g = e.group[0]!.toUpperCase() + e.group.slice(1)
    const sev = SEVERITY[e.severity]!
    out.push(`${pad}[Expert Info (${sev}/${g}): ${e.message}]`, `${pad}    [${e.message}]`, `${pad}    [Severity level: ${sev}]`, `${pad}    [Group: ${g}]`)
    return
  }
  out.push(pad + labelOf(n))
  for (const c of n.children ?? []) vLines(c, depth + 1, out)
}

const isOurs = (n: FieldNode): boolean => n.name === 'tcp.completeness' || n.label === 'Timestamps' || n.name === 'tcp.analysis'

/** Per frame: our completeness, [Timestamps] and [SEQ/ACK analysis] lines. */
function ourBlocks(file: string): string[] {
  const r = openCaptureFile(file)
  const dec = new SequentialDecoder({ tree: true })
  const res: string[] = []
  for (let rec = r.next(); rec; rec = r.next()) {
    const tcp = dec.decode(frameInput(rec, r)).dissection.tree.find((n) => n.name === 'tcp')
    const out: string[] = []
    for (const k of tcp?.children ?? []) if (isOurs(k)) vLines(k, 1, out)
    res.push(out.join('\n'))
  }
  r.close()
  dec.close()
  return res
}

/** Per frame: the same blocks of tshark -V's TCP tree. */
function tsharkBlocks(file: string): string[] {
  let v: string
  try {
    v = execFileSync('tshark', ['-n', '-r', file, '-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 })
  } catch (err) {
    v = (err as { stdout: string }).stdout
  }
  const res: string[] = []
  for (const frame of v.split(/\n(?=Frame \d+:)/)) {
    if (!frame.startsWith('Frame ')) continue
    const out: string[] = []
    let inTcp = false
    let keep = -1
    for (const l of frame.split('\n')) {
      if (/^Transmission Control Protocol/.test(l)) {
        inTcp = true
        continue
      }
      if (inTcp && /^\S/.test(l)) inTcp = false
      if (!inTcp) continue
      const indent = l.length - l.trimStart().length
      if (keep >= 0 && indent > keep) {
        out.push(l)
        continue
      }
      keep = -1
      if (/^ {4}\[(Conversation completeness|Timestamps|SEQ\/ACK analysis)/.test(l)) {
        out.push(l)
        if (!l.startsWith('    [Conversation')) keep = 4
      }
    }
    res.push(out.join('\n'))
  }
  return res
}

function compareTree(file: string): string[] {
  const ours = ourBlocks(file)
  const theirs = tsharkBlocks(file)
  const diffs: string[] = []
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    if ((ours[i] ?? '') !== (theirs[i] ?? '')) diffs.push(`frame ${i + 1}:\n--- wirenote\n${ours[i] ?? ''}\n--- tshark\n${theirs[i] ?? ''}`)
  }
  return diffs
}

// ---- redissect from the session's summary pass -----------------------------------------------

const tcpLines = (tree: readonly FieldNode[]): string[] => flatten(tree.filter((n) => n.name === 'tcp')).filter((l) => !l.startsWith('1 tcp.segment_data='))

function flatten(nodes: readonly FieldNode[], out: string[] = [], depth = 0): string[] {
  for (const n of nodes) {
    const flags = `${n.hidden ? 'H' : ''}${n.generated ? 'G' : ''}`
    const expert = n.expert ? ` !${n.expert.severity}:${n.expert.message}` : ''
    out.push(`${depth} ${n.name ? `${n.name}=${formatNode(n)}` : '-'} @${n.off}+${n.len} ${flags} "${labelOf(n)}"${expert}`)
    if (n.children) flatten(n.children, out, depth + 1)
  }
  return out
}

/**
 * Every frame re-dissected alone from a summary pass's records (what the session keeps), against
 * the TCP tree of a tree-mode pass. "TCP segment data" of retransmitted segments that add to a
 * PDU is left out: redissect does not rebuild it (a reassembly matter, not under test here).
 */
function compareRedissect(file: string): string[] {
  const frames: FrameInput[] = []
  const trees: string[][] = []
  const records: { stream: number; flags: number }[] = []
  const tree = new SequentialDecoder({ tree: true })
  const summary = new SequentialDecoder({ tree: false })
  const r = openCaptureFile(file)
  for (let rec = r.next(); rec; rec = r.next()) {
    const input = frameInput(rec, r)
    frames.push({ ...input, data: input.data.slice() })
    trees.push(tcpLines(tree.decode({ ...input, data: input.data.slice() }).dissection.tree))
    const p = summary.decode({ ...input, data: input.data.slice() })
    records.push({ stream: p.tcp.stream, flags: p.tcp.flags })
  }
  r.close()
  const diffs: string[] = []
  frames.forEach((input, i) => {
    const d = redissect({ ...input, data: input.data.slice() }, records[i]!, summary.streams, {
      pdu: summary.pdus.get(input.number),
      dupAck: summary.dupAcks.get(input.number),
      datagrams: summary.datagrams,
      readFrame: (no) => (frames[no - 1] ? { ...frames[no - 1]!, data: frames[no - 1]!.data.slice() } : null)
    })
    const got = tcpLines(d.tree)
    const want = trees[i]!
    if (got.join('\n') !== want.join('\n')) {
      const k = want.findIndex((x, j) => x !== got[j])
      diffs.push(`frame ${input.number}: pass ${want[k] ?? '<end>'} / redissect ${got[k] ?? '<end>'}`)
    }
  })
  tree.close()
  summary.close()
  return diffs
}

// ---- crafted captures ---------------------------------------------------------------------

/** A nanosecond-resolution pcap (Ethernet) of frames at the given times (µs from the start). */
function writeTimed(path: string, frames: readonly (readonly [number, Uint8Array])[], start = 1_700_000_000): void {
  const parts: Uint8Array[] = []
  const h = new DataView(new ArrayBuffer(24))
  h.setUint32(0, 0xa1b23c4d, true)
  h.setUint16(4, 2, true)
  h.setUint16(6, 4, true)
  h.setUint32(16, 262144, true)
  h.setUint32(20, 1, true)
  parts.push(new Uint8Array(h.buffer))
  for (const [us, f] of frames) {
    const ns = Math.round(us * 1000)
    const r = new DataView(new ArrayBuffer(16))
    r.setUint32(0, start + Math.floor(ns / 1e9), true)
    r.setUint32(4, ns % 1e9, true)
    r.setUint32(8, f.length, true)
    r.setUint32(12, f.length, true)
    parts.push(new Uint8Array(r.buffer), f)
  }
  writeFileSync(path, Buffer.concat(parts))
}

const x = (n: number): string => 'x'.repeat(n)
const be = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
const sack = (...edges: number[]): number[] => [1, 1, 5, 2 + edges.length * 4, ...edges.flatMap(be)]
const wscale = (shift: number): Partial<TcpSpec> => ({ options: [1, 3, 3, shift] })

function client(seq: number, ack: number, flags: number, payload = '', extra: Partial<TcpSpec> = {}): Uint8Array {
  return tcpFrame({ sport: 40000, dport: 80, seq, ack, flags, payload, ...extra })
}

function server(seq: number, ack: number, flags: number, payload = '', extra: Partial<TcpSpec> = {}): Uint8Array {
  return tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000, seq, ack, flags, payload, ...extra })
}

/** Frames 1 ms apart unless timed. */
const evenly = (frames: Uint8Array[]): [number, Uint8Array][] => frames.map((f, i) => [i * 1000, f])

const SCENARIOS: Record<string, [number, Uint8Array][]> = {
  // data both ways, a partial ACK, a retransmission 200 ms later (RTO from the oldest unacked
  // segment), an ACK of several segments, SACK, PSH runs, FIN with data, teardown
  'retransmission-rto': [
    [0, client(1000, 0, SYN)],
    [10000, server(5000, 1001, SYN | ACK)],
    [10100, client(1001, 5001, ACK)],
    [11000, client(1001, 5001, ACK, x(100))],
    [11100, client(1101, 5001, PSH | ACK, x(100))],
    [11200, client(1201, 5001, ACK, x(100))],
    [21000, server(5001, 1101, ACK)],
    [221000, client(1101, 5001, ACK, x(100))],
    [231000, server(5001, 1301, ACK, x(50))],
    [231500, client(1301, 5051, ACK, '', { options: sack(5051 + 100, 5051 + 108) })],
    [232000, server(5051, 1301, PSH | ACK, x(30))],
    [232500, client(1301, 5081, FIN | ACK, x(10))],
    [233000, server(5081, 1312, FIN | ACK)],
    [233500, client(1312, 5082, ACK)]
  ],
  // a SYN carrying data and its retransmission (the iRTT counts from the latest SYN, up to the
  // first pure ACK, here the server's data); SACK with 4, 3 and 1 blocks off bytes in flight; a
  // lost segment stops bytes in flight until the peer ACKs; duplicate ACK runs that a data
  // segment with the same ACK does not end
  'sack-and-dup-acks': [
    [0, client(1000, 0, SYN, 'fastopen')],
    [5000, client(1000, 0, SYN, 'fastopen')],
    [15000, server(5000, 1009, SYN | ACK)],
    [15100, server(5001, 1009, ACK, x(100))],
    [15200, client(1009, 5101, ACK)],
    ...[0, 1, 2, 3, 4].map((k): [number, Uint8Array] => [16000 + k * 100, server(5101 + 100 * k, 1009, ACK, x(100))]),
    [17000, client(1009, 5101, ACK, '', { options: sack(5201, 5301, 5401, 5501, 5601, 5602, 5700, 5710) })],
    [17100, server(5601, 1009, PSH | ACK, x(100))],
    [17200, client(1009, 5101, ACK, '', { options: sack(5201, 5301, 5401, 5501, 5601, 5602) })],
    [17300, server(5701, 1009, PSH | ACK, x(100))],
    [17400, client(1009, 5101, ACK, '', { options: sack(5201, 5301) })],
    [17500, server(5801, 1009, ACK, x(100))],
    [17600, server(6001, 1009, ACK, x(100))],
    [17700, server(6101, 1009, ACK, x(100))],
    [17800, client(1009, 5901, ACK)],
    [17900, server(6201, 1009, ACK, x(100))],
    [18000, client(1009, 6301, ACK)],
    [18100, client(1009, 6301, ACK)],
    [18200, client(1009, 6301, ACK)],
    [18300, client(1009, 6301, ACK, x(10))],
    [18400, client(1019, 6301, ACK)],
    [18500, client(1019, 6301, ACK)]
  ],
  // a conversation seen from its middle (completeness counts no SYN), a RST, then the same ports
  // with a new ISN: a new stream whose completeness starts at SYN_SENT
  'midstream-reset-reuse': evenly([
    client(1000, 5000, ACK, x(10)),
    server(5000, 1010, ACK),
    server(5000, 1010, RST | ACK),
    client(9000, 0, SYN),
    server(7000, 9001, SYN | ACK),
    client(9001, 7001, ACK),
    client(9001, 7001, FIN | ACK),
    client(9002, 0, RST),
    server(7001, 9002, ACK, x(5))
  ]),
  // zero window, a zero window probe and its ACK, a keep-alive and its ACK, a window update,
  // window scaling, a window full segment, out-of-order data and a fast retransmission
  'windows-and-probes': [
    [0, client(1000, 0, SYN, '', wscale(2))],
    [1000, server(5000, 1001, SYN | ACK, '', wscale(0))],
    [2000, client(1001, 5001, ACK, '', { window: 100 })],
    [3000, server(5001, 1001, ACK, x(400))],
    [4000, client(1001, 5401, ACK, '', { window: 0 })],
    [5000, server(5401, 1001, ACK, x(1))],
    [6000, client(1001, 5401, ACK, '', { window: 0 })],
    [7000, client(1001, 5401, ACK, '', { window: 50 })],
    [8000, server(5401, 1001, ACK, x(200))],
    [9000, server(5600, 1001, ACK, '')],
    [10000, client(1001, 5601, ACK, '', { window: 50 })],
    [11000, client(1000, 5601, ACK)],
    [12000, server(5601, 1001, ACK)],
    [13000, server(5701, 1001, ACK, x(100))],
    [13500, server(5601, 1001, ACK, x(100))],
    [14000, client(1001, 5601, ACK, '', { window: 200 })],
    [14100, client(1001, 5601, ACK, '', { window: 200 })],
    [14200, client(1001, 5601, ACK, '', { window: 200 })],
    [14300, server(5601, 1001, ACK, x(100))],
    [15000, client(1001, 5801, ACK, '', { window: 200 })]
  ],
  // equal timestamps (an RTT of zero is not shown, nor an iRTT of zero until a later ACK sets it)
  // and a clock that goes backwards (negative deltas)
  'odd-clocks': [
    [5000, client(1000, 0, SYN)],
    [5000, server(5000, 1001, SYN | ACK)],
    [5000, client(1001, 5001, ACK)],
    [4000, client(1001, 5001, PSH | ACK, x(20))],
    [9000, server(5001, 1021, ACK)],
    [8000, server(5001, 1021, PSH | ACK, x(30))],
    [7000, client(1021, 5031, FIN | ACK)],
    [900000, server(5031, 1022, FIN | ACK)],
    [900001, client(1022, 5032, ACK)]
  ],
  // a bogus header length (tshark stops before the timestamps and the analysis, and does not
  // move completeness on) and options cut short, among well-formed segments of the same streams
  'bogus-and-short': evenly([
    tcpFrame({ sport: 1, dport: 2, seq: 5, flags: ACK, hdrLen: 16 }),
    tcpFrame({ sport: 1, dport: 2, seq: 5, flags: ACK, options: [2, 4, 5, 0xb4, 30, 4, 1, 2, 0, 0, 0, 0] }),
    tcpFrame({ sport: 3, dport: 4, seq: 5, flags: SYN, options: [2, 12, 5, 0xb4] }),
    tcpFrame({ sport: 1, dport: 2, seq: 5, ack: 9, flags: ACK, payload: 'abc' }),
    tcpFrame({ sport: 1, dport: 2, seq: 8, ack: 9, flags: SYN, hdrLen: 12 }),
    tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 2, dport: 1, seq: 9, ack: 8, flags: ACK, payload: 'zz' })
  ]),
  // window scaling as packet-tcp.c decides it: a retransmitted SYN without the option keeps it,
  // a SYN without it rules scaling out in both directions
  'window-scale-rules': evenly([
    client(1000, 0, SYN, '', wscale(2)),
    client(1000, 0, SYN),
    server(5000, 1001, SYN | ACK, '', wscale(3)),
    client(1001, 5001, ACK),
    server(5001, 1001, ACK),
    tcpFrame({ sport: 40001, dport: 80, seq: 1, ack: 0, flags: SYN }),
    tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40001, seq: 100, ack: 2, flags: ACK }),
    tcpFrame({ sport: 40001, dport: 80, seq: 2, ack: 101, flags: ACK, payload: x(5) })
  ])
}

// ---- randomised conversations --------------------------------------------------------------

/** Deterministic PRNG (LCG): the same captures every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return s / 4294967296
  }
}

interface Side {
  ip: string
  port: number
  isn: number
  nxt: number
  win: number
  sent: { seq: number; len: number; flags: number }[]
}

/** One messy conversation on client port `cport`, its frames timed in µs from `t0`. */
function conversation(rnd: () => number, cport: number, t0: number): [number, Uint8Array][] {
  const ri = (a: number, b: number): number => a + Math.floor(rnd() * (b - a + 1))
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!
  const side: Side[] = [
    { ip: '10.0.0.1', port: cport, isn: ri(0, 0xffffffff), nxt: 0, win: 65535, sent: [] },
    { ip: '10.0.0.2', port: 80, isn: ri(0, 0xffffffff), nxt: 0, win: 65535, sent: [] }
  ]
  const out: [number, Uint8Array][] = []
  let t = t0
  const tick = (): number => {
    const r = rnd()
    t += r < 0.1 ? 0 : r < 0.15 ? -ri(1, 500) : r < 0.7 ? ri(1, 2000) : r < 0.95 ? ri(2000, 50000) : ri(50000, 400000)
    return Math.max(0, t)
  }
  const emit = (d: number, seq: number, ack: number, flags: number, len: number, extra: Partial<TcpSpec> = {}): void => {
    const a = side[d]!
    const b = side[1 - d]!
    const spec: TcpSpec = { src: a.ip, dst: b.ip, sport: a.port, dport: b.port, seq: seq >>> 0, ack: flags & ACK ? ack >>> 0 : 0, flags, payload: x(len), window: a.win, ...extra }
    out.push([tick(), tcpFrame(spec)])
  }
  const ackOf = (d: number): number => (side[1 - d]!.isn + side[1 - d]!.nxt) >>> 0
  const scaled = rnd() < 0.5
  if (rnd() < 0.75) {
    const opts = scaled ? [2, 4, 5, 0xb4, 1, 3, 3, ri(0, 8)] : [2, 4, 5, 0xb4]
    const data = rnd() < 0.1 ? ri(1, 20) : 0
    emit(0, side[0]!.isn, 0, SYN, data, { options: opts })
    if (rnd() < 0.2) emit(0, side[0]!.isn, 0, SYN, data, { options: opts })
    side[0]!.nxt = 1 + data
    if (rnd() < 0.9) {
      emit(1, side[1]!.isn, ackOf(1), SYN | ACK, 0, { options: scaled && rnd() < 0.8 ? [2, 4, 5, 0xb4, 1, 3, 3, ri(0, 8)] : [2, 4, 5, 0xb4] })
      side[1]!.nxt = 1
    }
    if (rnd() < 0.9) emit(0, side[0]!.isn + side[0]!.nxt, ackOf(0), ACK, 0)
  } else {
    side[0]!.nxt = ri(1, 1000)
    side[1]!.nxt = ri(1, 1000)
  }
  const steps = ri(3, 40)
  for (let k = 0; k < steps; k++) {
    const d = rnd() < 0.55 ? 0 : 1
    const a = side[d]!
    const r = rnd()
    if (r < 0.35) {
      // data, sometimes lost on the way to the capture, sometimes overtaken by the next segment
      const len = pick([1, 2, 10, 100, 536, 1460, ri(1, 1460)])
      const flags = ACK | (rnd() < 0.4 ? PSH : 0)
      const seq = a.isn + a.nxt
      a.sent.push({ seq, len, flags })
      a.nxt += len
      if (rnd() < 0.08) continue
      emit(d, seq, ackOf(d) - (rnd() < 0.1 ? ri(0, 50) : 0), flags, len)
      if (rnd() < 0.05) {
        const len2 = ri(1, 300)
        const s2 = a.isn + a.nxt
        a.nxt += len2
        const held = out.pop()!
        emit(d, s2, ackOf(d), ACK, len2)
        out.push(held)
      }
    } else if (r < 0.45 && a.sent.length) {
      const s = pick(a.sent)
      emit(d, s.seq, ackOf(d), s.flags, s.len)
    } else if (r < 0.65) {
      const stale = rnd() < 0.3 && side[1 - d]!.sent.length ? pick(side[1 - d]!.sent).seq : undefined
      emit(d, a.isn + a.nxt, stale ?? ackOf(d), ACK, 0, rnd() < 0.15 ? { options: sack(ackOf(d) + 100, ackOf(d) + ri(101, 400)) } : {})
    } else if (r < 0.72) {
      const n = ri(1, 4)
      const ack = ackOf(d) - (rnd() < 0.5 ? ri(0, 1000) : 0)
      for (let q = 0; q < n; q++) emit(d, a.isn + a.nxt, ack, ACK, 0, rnd() < 0.3 ? { options: sack(ack + 100, ack + 200, ack + 300, ack + 350) } : {})
    } else if (r < 0.78) {
      a.win = pick([0, 0, 100, 1000, 65535, ri(0, 65535)])
      emit(d, a.isn + a.nxt, ackOf(d), ACK, 0)
    } else if (r < 0.82) {
      emit(d, a.isn + a.nxt - 1, ackOf(d), ACK, rnd() < 0.5 ? 0 : 1)
    } else if (r < 0.9) {
      const len = r < 0.86 ? 1 : 10
      const seq = a.isn + a.nxt
      a.sent.push({ seq, len, flags: ACK })
      a.nxt += len
      emit(d, seq, ackOf(d), ACK, len)
    } else if (r < 0.93) {
      emit(d, a.isn + a.nxt, ackOf(d), FIN | ACK, rnd() < 0.3 ? 5 : 0)
      a.nxt += 1
    } else if (r < 0.95) {
      emit(d, a.isn + a.nxt, ackOf(d), rnd() < 0.5 ? RST : RST | ACK, 0)
    } else {
      // three duplicate ACKs, then the segment they ask for
      const b = side[1 - d]!
      const s = b.sent.at(-1)
      if (s) {
        for (let q = 0; q < 3; q++) emit(d, a.isn + a.nxt, s.seq, ACK, 0)
        emit(1 - d, s.seq, ackOf(1 - d), s.flags, s.len)
      }
    }
  }
  if (rnd() < 0.3) emit(0, ri(0, 0xffffffff), 0, SYN, 0)
  return out
}

/** `count` random conversations on distinct ports, interleaved, in one capture. */
function randomCapture(path: string, seed: number, count: number): void {
  const rnd = rng(seed)
  const convs = Array.from({ length: count }, (_, c) => conversation(rnd, 20000 + c, 0))
  const frames: [number, Uint8Array][] = []
  const at = convs.map(() => 0)
  let clock = 0
  for (;;) {
    const live = convs.map((c, i) => (at[i]! < c.length ? i : -1)).filter((i) => i >= 0)
    if (!live.length) break
    const i = live[Math.floor(rnd() * live.length)]!
    const [t, f] = convs[i]![at[i]!++]!
    const prev = at[i]! > 1 ? convs[i]![at[i]! - 2]![0] : 0
    clock = Math.max(0, clock + (t - prev))
    frames.push([clock, f])
  }
  writeTimed(path, frames)
}

// ---- the tests ----------------------------------------------------------------------------

describe('the SYN-ACK of resources/sample/web-visit.pcapng', () => {
  it('shows completeness, timestamps and the segment it ACKs, as tshark -V does', () => {
    const r = openCaptureFile(SAMPLE)
    const dec = new SequentialDecoder({ tree: true })
    let tcp: FieldNode | undefined
    for (let rec = r.next(); rec; rec = r.next()) {
      const p = dec.decode(frameInput(rec, r))
      if (p.number === 4) tcp = p.dissection.tree.find((n) => n.name === 'tcp')
    }
    r.close()
    dec.close()
    const lines: string[] = []
    for (const k of tcp!.children!) if (isOurs(k)) vLines(k, 1, lines)
    expect(lines).toEqual([
      '    [Conversation completeness: Incomplete, SYN_SENT (1)]',
      '    [Timestamps]',
      '        [Time since first frame in this TCP stream: 0.023871000 seconds]',
      '        [Time since previous frame in this TCP stream: 0.023871000 seconds]',
      '    [SEQ/ACK analysis]',
      '        [This is an ACK to the segment in frame: 3]',
      '        [The RTT to ACK the segment was: 0.023871000 seconds]'
    ])
    // completeness right after tcp.stream; the two blocks after the options, before the payload
    const names = tcp!.children!.map((n) => n.name || n.label)
    expect(names.indexOf('tcp.completeness')).toBe(names.indexOf('tcp.stream') + 1)
    expect(names.slice(names.indexOf('tcp.options'))).toEqual(['tcp.options', 'Timestamps', 'tcp.analysis'])
    expect(compareTree(SAMPLE)).toEqual([])
    expect(compareFields(SAMPLE, FIELDS, false)).toEqual([])
  })
})

// Custom blocks are frames for tshark 4.0 only (see corpus.test.ts): rows would not line up.
const SKIP = new Set(['pcapng-gen-le-test102.pcapng', 'pcapng-gen-le-test202.pcapng', 'ntar-http.bigendian.ntar'])
const corpus = readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng|ntar)$/.test(f) && !SKIP.has(f))

describe('SEQ/ACK analysis matches tshark on the corpus', () => {
  for (const f of corpus) {
    it(f, () => {
      expect(compareFields(CORPUS + f, FIELDS, false).slice(0, 10)).toEqual([])
      expect(compareTree(CORPUS + f).slice(0, 3)).toEqual([])
    })
  }
})

describe('SEQ/ACK analysis matches tshark on crafted conversations', () => {
  for (const [name, frames] of Object.entries(SCENARIOS)) {
    it(name, () => {
      const file = join(dir, `${name}.pcap`)
      writeTimed(file, frames)
      expect(compareFields(file).slice(0, 10)).toEqual([])
      expect(compareTree(file).slice(0, 3)).toEqual([])
      expect(compareRedissect(file).slice(0, 5)).toEqual([])
    })
  }

  it('the crafted cases show what they are made for', () => {
    const file = join(dir, 'retransmission-rto.pcap')
    writeTimed(file, SCENARIOS['retransmission-rto']!)
    let out = ''
    const fields = ['frame.number', 'tcp.analysis.acks_frame', 'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent', 'tcp.analysis.rto', 'tcp.analysis.rto_frame']
    runFields({ file, fields, header: false, separator: '\t', mode: 'tree' }, { out: (s) => (out += s), err: () => {} })
    const rows = out.trim().split('\n').map((l) => l.split('\t'))
    // the partial ACK (frame 7) ACKs frame 4; the retransmission of frame 5's data waited 209.9 ms
    expect(rows[6]!.slice(1, 2)).toEqual(['4'])
    expect(rows[7]!.slice(2)).toEqual(['200', '200', '0.209900000', '5'])
    // the ACK of everything names the oldest segment that ends where it ACKs
    expect(rows[8]![1]).toBe('6')
    // the SACKed 8 bytes are off the server's bytes in flight; a FIN with data counts its data only
    expect(rows[10]!.slice(2, 4)).toEqual(['22', '80'])
    expect(rows[11]!.slice(2, 4)).toEqual(['10', '210'])
  })
})

describe('SEQ/ACK analysis matches tshark on randomised conversations', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: 40 conversations`, () => {
      const file = join(dir, `random-${seed}.pcap`)
      randomCapture(file, seed, 40)
      expect(compareFields(file).slice(0, 10)).toEqual([])
      expect(compareTree(file).slice(0, 3)).toEqual([])
      expect(compareRedissect(file).slice(0, 5)).toEqual([])
    })
  }
})

describe('display filters on the new fields match tshark -Y', () => {
  const FILTERS = [
    'tcp.analysis.acks_frame == 3',
    'tcp.analysis.ack_rtt > 0.02',
    'tcp.analysis.ack_rtt',
    'tcp.time_delta > 0.1',
    'tcp.time_delta < 0',
    'tcp.time_relative < 0.05',
    'tcp.analysis.initial_rtt',
    'tcp.analysis.initial_rtt > 0.01',
    'tcp.analysis.bytes_in_flight > 100',
    'tcp.analysis.push_bytes_sent >= 200',
    'tcp.completeness == 31',
    'tcp.completeness & 0x08',
    'tcp.completeness < 7',
    'tcp.analysis.rto',
    'tcp.analysis.rto_frame == 5',
    'tcp.analysis',
    'tcp.analysis.acks_frame && !tcp.analysis.ack_rtt',
    'tcp.analysis.window_full || tcp.analysis.keep_alive_ack',
    'tcp.analysis.zero_window_probe || tcp.analysis.zero_window_probe_ack'
  ]
  const files = (): string[] => {
    const crafted = Object.entries(SCENARIOS).map(([name, frames]) => {
      const file = join(dir, `filters-${name}.pcap`)
      writeTimed(file, frames)
      return file
    })
    const random = join(dir, 'filters-random.pcap')
    randomCapture(random, 7, 30)
    return [SAMPLE, random, ...crafted]
  }

  it('on the sample, crafted and random captures', () => {
    const diffs: string[] = []
    let kept = 0
    for (const file of files()) {
      const want = tsharkFiltered(file, FILTERS)
      kept += want.filter((w) => w.length > 0).length
      FILTERS.forEach((filter, i) => {
        let out = ''
        const status = runFields({ file, fields: ['frame.number'], header: false, separator: '\t', filter }, { out: (s) => (out += s), err: () => {} })
        expect(status).toBe(0)
        const got = out.trim().split('\n').filter(Boolean).join(',')
        if (got !== want[i]!.join(',')) diffs.push(`${file.split('/').pop()} ${filter}: tshark [${want[i]!.join(',')}] wirenote [${got}]`)
      })
    }
    expect(diffs).toEqual([])
    // the filters do select something: most of them on most captures
    expect(kept).toBeGreaterThan(FILTERS.length * 3)
  })
})

// One tshark run for all filters: a Lua tap per filter is compiled and run by the same dfilter
// engine as -Y, in the same pass (filter-tshark.test.ts checks that against -Y itself).
const TAPS = `
local filters = {}
for line in io.lines(os.getenv("WIRENOTE_FILTERS")) do filters[#filters + 1] = line end
for i, f in ipairs(filters) do
  local l = Listener.new(nil, f)
  function l.packet(pinfo) print(i .. "\\t" .. pinfo.number) end
end
`

/** For each filter, the frames tshark keeps. */
function tsharkFiltered(file: string, filters: readonly string[]): number[][] {
  const lua = join(dir, 'taps.lua')
  const list = join(dir, 'filters.txt')
  writeFileSync(lua, TAPS)
  writeFileSync(list, filters.join('\n') + '\n')
  const out = execFileSync('tshark', ['-n', '-q', '-r', file, '-X', `lua_script:${lua}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, WIRENOTE_FILTERS: list }
  })
  const sets = filters.map((): number[] => [])
  for (const line of out.split('\n')) {
    const [i, no] = line.split('\t')
    if (i && no && /^\d+$/.test(i)) sets[Number(i) - 1]!.push(Number(no))
  }
  return sets
}

describe('the unacknowledged segments stay bounded', () => {
  it('a one-sided transfer: tshark keeps 10 000 segments a flow, and so does the pass', () => {
    // 10 050 segments the capture never sees ACKed, then one ACK of the first 10 001
    const frames: [number, Uint8Array][] = [[0, client(1000, 0, SYN)], [1000, server(5000, 1001, SYN | ACK)]]
    for (let k = 0; k < 10050; k++) frames.push([2000 + k, client(1001 + 10 * k, 5001, ACK, x(10))])
    frames.push([20000, server(5001, 1001 + 10 * 10000, ACK)])
    const file = join(dir, 'one-sided.pcap')
    writeTimed(file, frames)
    const fields = ['frame.number', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.bytes_in_flight']
    expect(compareFields(file, fields).slice(0, 5)).toEqual([])
    const dec = new SequentialDecoder({ tree: false })
    const r = openCaptureFile(file)
    for (let rec = r.next(); rec; rec = r.next()) dec.decode(frameInput(rec, r))
    r.close()
    // the ACK removed the 10 000 segments it covers; the 49 after the bound were never tracked
    expect(dec.streams.unacked.size).toBe(0)
    expect(MAX_UNACKED_PER_FLOW).toBe(10000)
    dec.close()
  })

  it('the pool stops at its bound, and forgotten streams give their segments back', () => {
    const T = new TcpStreamTable({ maxUnacked: 64, maxTuples: 16 })
    const dec = new SequentialDecoder({ tree: false, streams: { maxUnacked: 64, maxTuples: 16 } })
    expect(T.unacked.maxNodes).toBe(64)
    T.close()
    let no = 0
    const feed = (f: Uint8Array, us: number): void => {
      no++
      dec.decode({ number: no, data: f, origlen: f.length, linktype: 1, interfaceId: 0, hasTs: true, tsSec: 1_700_000_000 + Math.floor(us / 1e6), tsNsec: (us % 1e6) * 1000, comments: [] })
    }
    // 40 one-sided connections of 10 segments each: 400 segments wanted, 64 kept
    for (let c = 0; c < 40; c++) {
      for (let k = 0; k < 10; k++) feed(tcpFrame({ sport: 30000 + c, dport: 80, seq: 1 + 10 * k, ack: 1, flags: ACK, payload: x(10) }), c * 1000 + k)
    }
    expect(dec.streams.unacked.size).toBeLessThanOrEqual(64)
    expect(dec.streams.unacked.residentBytes).toBeLessThanOrEqual((64 + 1) * 32)
    // 40 tuples for a bound of 16: the least recently seen were forgotten, their segments freed
    expect(dec.streams.droppedTuples).toBeGreaterThan(0)
    const live = dec.streams.tupleCount
    expect(dec.streams.unacked.size).toBeLessThanOrEqual(live * 10)
    const mem = dec.memory()
    expect(mem.unacked).toBe(dec.streams.unacked.residentBytes)
    expect(mem.total).toBeGreaterThanOrEqual(mem.unacked + mem.seqAcks)
    dec.close()
  })
})
