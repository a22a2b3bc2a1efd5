// Runs `wirenote fields` (its module function, the CLI's code path) over every capture in
// ../shared/corpus with the oracle's 29 fields and compares each cell with NAME.tshark.tsv.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runFields } from '../src/main/cli/fields'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

/** The oracle's fields (see the corpus README: "Exact commands that produced the oracles"). */
const FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.protocols', 'eth.src', 'eth.dst', 'ip.src',
  'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.proto', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw',
  'tcp.len', 'tcp.window_size_value', 'tcp.options.mss_val', 'tcp.options.wscale.shift', 'tcp.stream', 'udp.srcport',
  'udp.dstport', 'dns.qry.name', 'tls.handshake.extensions_server_name', 'http.request.method', 'http.request.uri',
  'frame.comment'
]

/**
 * Documented differences: only where tshark's output reflects a choice of tshark, not a fact
 * of the file. Each entry says which rows it covers and why.
 */
const CUSTOM_BLOCK_FILES = new Set(['pcapng-gen-le-test102.pcapng', 'pcapng-gen-le-test202.pcapng'])
// tshark 4.0 shows pcapng Custom Blocks (0x00000BAD / 0x40000BAD) as frames of their own
// (protocol "data", no timestamp) and numbers them like packets. They carry no packet, so our
// reader skips them (capinfos agrees: it counts 5 and 8 packets). Those rows are dropped from
// the oracle and frame.number is compared after renumbering the remaining rows.

function captures(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.tshark.tsv'))
    .map((f) => f.slice(0, -'.tshark.tsv'.length))
    .sort()
}

interface Run {
  out: string
  err: string
  status: number
}

function run(file: string, mode: 'auto' | 'tree'): Run {
  let out = ''
  let err = ''
  const status = runFields(
    { file: CORPUS + file, fields: FIELDS, header: true, separator: '\t', mode },
    { out: (s) => (out += s), err: (s) => (err += s) }
  )
  return { out, err, status }
}

function oracleRows(name: string): string[][] {
  const text = readFileSync(CORPUS + name + '.tshark.tsv', 'utf8')
  if (!text) return []
  let rows = text.replace(/\n$/, '').split('\n').map((l) => l.split('\t'))
  if (CUSTOM_BLOCK_FILES.has(name)) {
    const [head, ...body] = rows
    const kept = body.filter((r) => !(r[4] === 'data' && r[1] === ''))
    kept.forEach((r, i) => (r[0] = String(i + 1)))
    rows = [head!, ...kept]
  }
  return rows
}

function oracleStatus(name: string): number {
  try {
    const m = /tshark exit status: (\d+)/.exec(readFileSync(CORPUS + name + '.tshark.stderr.txt', 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

// 'auto' takes the summary fast path for these fields; 'tree' renders from full trees.
describe.each(['auto', 'tree'] as const)('wirenote fields (%s) matches tshark 4.0 on the corpus', (mode) => {
  for (const name of captures()) {
    it(name, () => {
      const r = run(name, mode)
      const expected = oracleRows(name)
      const actual = r.out ? r.out.replace(/\n$/, '').split('\n').map((l) => l.split('\t')) : []
      const diffs: string[] = []
      const n = Math.max(expected.length, actual.length)
      for (let i = 0; i < n; i++) {
        const e = expected[i]
        const a = actual[i]
        if (!e || !a) {
          diffs.push(`row ${i}: ${e ? 'missing' : 'extra'}: ${(e ?? a)!.join(' | ')}`)
          continue
        }
        for (let c = 0; c < FIELDS.length; c++) {
          if ((e[c] ?? '') !== (a[c] ?? '')) diffs.push(`frame ${e[0]} ${FIELDS[c]}: tshark "${e[c] ?? ''}" wirenote "${a[c] ?? ''}"`)
        }
      }
      expect(diffs.slice(0, 40)).toEqual([])
      expect(r.status).toBe(oracleStatus(name) === 0 ? 0 : 2)
      if (r.status !== 0) expect(r.err).toMatch(/byte offset \d+|unknown|version|cut short|Not a pcap/i)
    })
  }
})
