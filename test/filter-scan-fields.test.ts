// Every field reader of the fast filter paths against the tree, on every frame of every corpus
// capture, the bundled sample and synthetic odd packets: where a summary reader answers, its
// occurrences are the tree's (same count, same values); where an index reader answers EXACT the
// same, and MAYBE means the tree holds those occurrences or none.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { collector } from '../src/main/dissect/app/collect'
import { findAll, lookupField, type FieldNode } from '../src/main/dissect/fields'
import type { FieldUse } from '../src/main/filter/compile'
import { DECLINE, EXACT, MAYBE } from '../src/main/filter/decide'
import { INDEX_FIELDS, indexReader, type IndexFrame } from '../src/main/filter/index-fields'
import { countProtocols, needsTcpPayload, SUMMARY_COLLECTED, SUMMARY_FIELDS, summaryReader, type SummaryFrame } from '../src/main/filter/summary-fields'
import { dissectHeaders } from '../src/main/session/filter-scan'
import { nodeValue } from '../src/main/filter/types'
import type { OpenCapture } from '../src/main/session/open-capture'
import { CORPUS, corpusCaptures, openIndexed, SAMPLE, syntheticCaptures } from './filter-scan-support'

function useOf(name: string): FieldUse {
  const def = lookupField(name)
  if (!def) throw new Error(`unknown field ${name}`)
  const protocol = def.type === 'protocol' || def.type === 'none'
  return { name, def, presence: protocol, values: !protocol, count: false, layers: false, bytes: false }
}

/** Comparable text of a node list: normalised values, sorted (filters do not depend on order). */
function canon(name: string, nodes: readonly FieldNode[], data: Uint8Array): string[] {
  const def = lookupField(name)!
  // Readers answer a protocol's presence only (its values and count() come from the tree).
  if (def.type === 'protocol') return nodes.length > 0 ? ['present'] : []
  if (def.type === 'none') return nodes.map(() => 'present')
  return nodes
    .map((n) => {
      const v = nodeValue(def.type, n, data)
      if (v instanceof Uint8Array) return 'bytes:' + Buffer.from(v).toString('hex')
      if (typeof v === 'bigint') return 'big:' + v.toString()
      if (typeof v === 'number' && Number.isNaN(v)) return 'NaN'
      return JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x))
    })
    .sort()
}

interface Tally {
  /** Frames where the reader answered with at least one occurrence. */
  hits: number
  answered: number
  declined: number
}

const tallies = new Map<string, Tally>()
const tally = (key: string): Tally => {
  let t = tallies.get(key)
  if (!t) tallies.set(key, (t = { hits: 0, answered: 0, declined: 0 }))
  return t
}

function checkCapture(label: string, cap: OpenCapture): string[] {
  const problems: string[] = []
  const summaryUses = SUMMARY_FIELDS.map((n) => [n, summaryReader(useOf(n))!] as const)
  const indexUses = INDEX_FIELDS.map((n) => [n, indexReader(useOf(n))!] as const)
  for (const [n, r] of [...summaryUses, ...indexUses]) if (!r) problems.push(`${n}: no reader`)
  const pcapng = cap.format === 'pcapng'
  for (let no = 1; no <= cap.packets; no++) {
    const f = cap.frame(no)
    const tree = cap.decoder.dissect(f, true).tree
    const prev = collector.want
    collector.want = SUMMARY_COLLECTED
    collector.values.length = 0
    const d = cap.decoder.dissect(f, false)
    collector.want = prev
    const s: SummaryFrame = {
      no,
      entry: f.entry,
      pcapng,
      data: f.data,
      comments: f.comments,
      ctx: d.ctx,
      streams: cap.decoder.streams,
      values: [...collector.values],
      nEth: 0,
      nIp: 0,
      nIpv6: 0,
      nTcp: 0,
      nUdp: 0
    }
    countProtocols(s, s.ctx.protocols)
    // The same frame dissected only up to the TCP header, for the readers that allow it.
    const h: SummaryFrame = { ...s, ctx: dissectHeaders(cap, f).ctx, values: [] }
    countProtocols(h, h.ctx.protocols)
    const ix: IndexFrame = { no, entry: f.entry, pcapng }
    const where = `${label} #${no}`
    const runs = [
      ...summaryUses.map(([name, read]) => ['summary', name, read, s] as const),
      ...summaryUses.filter(([name]) => !needsTcpPayload(name)).map(([name, read]) => ['headers', name, read, h] as const)
    ]
    for (const [level, name, read, env] of runs) {
      if (!read) continue
      const out: FieldNode[] = []
      const r = read(env, out)
      const t = tally(level + ' ' + name)
      if (r === DECLINE) {
        t.declined++
        continue
      }
      t.answered++
      if (out.length) t.hits++
      if (r !== EXACT) problems.push(`${where} ${name}: ${level} answered ${r}`)
      const want = canon(name, findAll(tree, name), f.data)
      const got = canon(name, out, f.data)
      if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`${where} ${name}: ${level} ${JSON.stringify(got)}, tree ${JSON.stringify(want)}`)
    }
    for (const [name, read] of indexUses) {
      if (!read) continue
      const out: FieldNode[] = []
      const r = read(ix, out)
      const t = tally('index ' + name)
      t.answered++
      if (out.length) t.hits++
      const want = canon(name, findAll(tree, name), f.data)
      const got = canon(name, out, f.data)
      const same = JSON.stringify(want) === JSON.stringify(got)
      if (r === EXACT ? !same : r === MAYBE ? !same && want.length > 0 : true) problems.push(`${where} ${name}: index ${r} ${JSON.stringify(got)}, tree ${JSON.stringify(want)}`)
    }
  }
  return problems
}

const synth = syntheticCaptures()
afterAll(() => synth.dispose())

describe('fast filter field readers agree with the tree', () => {
  const files = [...corpusCaptures().map((f) => [f, join(CORPUS, f)] as const), ['web-visit sample', SAMPLE] as const, ...synth.paths.map((p) => [p.split('/').at(-1)!, p] as const)]
  for (const [label, path] of files) {
    it(label, () => {
      const cap = openIndexed(path)
      if (!cap) return // a file refused at its first block has no frames
      try {
        expect(checkCapture(label, cap)).toEqual([])
      } finally {
        cap.close()
      }
    })
  }

  it('reads every field somewhere without declining everywhere', () => {
    // Fields the captures above never carry (or carry only where readers decline).
    const rare = new Set(['summary frame.comment', 'summary pkt_comment', 'headers frame.comment', 'headers pkt_comment'])
    const idle = [...tallies].filter(([k, t]) => t.hits === 0 && !rare.has(k)).map(([k]) => k)
    expect(idle).toEqual([])
    const all = [...tallies.values()]
    const declined = all.reduce((n, t) => n + t.declined, 0)
    const answered = all.reduce((n, t) => n + t.answered, 0)
    expect(declined / (declined + answered)).toBeLessThan(0.1)
  })
})
