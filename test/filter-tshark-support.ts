// Helpers for comparing our display filters with tshark 4.0 on corpus captures.
//
// tshark is run once per file with one Lua tap per filter: a tap's filter is compiled and run by
// the same dfilter engine as -Y, in the same single pass, so N filters cost one tshark run
// instead of N. (filter-tshark.test.ts checks that claim against the literal -Y command.)
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { openCaptureFile } from '../src/main/capfile'
import { SequentialDecoder } from '../src/main/engine/decoder'
import type { DisplayFilter } from '../src/main/filter'

export const run = promisify(execFile)
export const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

const LUA = `
local filters = {}
for line in io.lines(os.getenv("WIRENOTE_FILTERS")) do filters[#filters + 1] = line end
for i, f in ipairs(filters) do
  local ok, l = pcall(Listener.new, nil, f)
  if not ok then
    print(i .. "\\tERROR\\t" .. tostring(l):gsub("\\n", " "))
  else
    function l.packet(pinfo) print(i .. "\\t" .. pinfo.number) end
  end
end
`

/** A scratch directory holding the Lua script and the filter list. */
export class TsharkTaps {
  private readonly dir: string

  constructor(readonly filters: readonly string[]) {
    this.dir = mkdtempSync(join(tmpdir(), 'wirenote-filter-'))
    writeFileSync(join(this.dir, 'taps.lua'), LUA)
    writeFileSync(join(this.dir, 'filters.txt'), filters.join('\n') + '\n')
  }

  /** For each filter, the frames (numbered as our reader numbers them) tshark keeps in `file`; throws if tshark rejects a filter. */
  async run(file: string): Promise<Set<number>[]> {
    const r = await this.runLenient(file)
    const [i, msg] = [...r.errors][0] ?? []
    if (i !== undefined) throw new Error(`tshark rejects filter ${this.filters[i]}: ${msg}`)
    return r.sets
  }

  /** Like run, but returns tshark's complaints (by filter index) instead of throwing. */
  async runLenient(file: string): Promise<{ sets: Set<number>[]; errors: Map<number, string> }> {
    const { stdout } = await run('tshark', ['-n', '-q', '-r', join(CORPUS, file), '-X', `lua_script:${join(this.dir, 'taps.lua')}`], {
      env: { ...process.env, WIRENOTE_FILTERS: join(this.dir, 'filters.txt') },
      maxBuffer: 64 << 20
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' })) // cut files: tshark exits 2 after the whole frames
    const sets = this.filters.map(() => new Set<number>())
    const errors = new Map<number, string>()
    const map = frameMap(file)
    for (const line of stdout.split('\n')) {
      const [i, no, msg] = line.split('\t')
      if (!i || !/^\d+$/.test(i)) continue
      if (no === 'ERROR') {
        errors.set(Number(i) - 1, msg ?? '')
        continue
      }
      const n = map ? map.get(Number(no)) : Number(no)
      if (n !== undefined) sets[Number(i) - 1].add(n) // undefined: a custom block, which is no packet of ours
    }
    return { sets, errors }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** Runs `fn` over `items`, two at a time (the machine has two cores). */
export async function twoAtATime<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  const worker = async (): Promise<void> => {
    for (let x = queue.shift(); x !== undefined; x = queue.shift()) await fn(x)
  }
  await Promise.all([worker(), worker()])
}

/**
 * tshark 4.0 numbers pcapng Custom Blocks as frames of their own; our reader skips them. Maps
 * tshark frame numbers to ours from the oracle TSV (README: rows with protocols "data" and no
 * time are custom blocks). Null when the file has none.
 */
export function frameMap(file: string): Map<number, number> | null {
  const tsv = readFileSync(join(CORPUS, file + '.tshark.tsv'), 'utf8').split('\n').filter((l) => l.length > 0)
  if (tsv.length < 2) return null
  const head = tsv[0].split('\t')
  const iNo = head.indexOf('frame.number')
  const iTime = head.indexOf('frame.time_epoch')
  const iProto = head.indexOf('frame.protocols')
  const map = new Map<number, number>()
  let ours = 0
  let custom = false
  for (const row of tsv.slice(1)) {
    const c = row.split('\t')
    if (c[iProto] === 'data' && c[iTime] === '') {
      custom = true
      continue
    }
    map.set(Number(c[iNo]), ++ours)
  }
  return custom ? map : null
}

/** One column of the oracle TSV (tshark's -T fields rendering), per frame. */
export function oracleColumn(file: string, field: string): string[] {
  const tsv = readFileSync(join(CORPUS, file + '.tshark.tsv'), 'utf8').split('\n').filter((l) => l.length > 0)
  const i = tsv[0].split('\t').indexOf(field)
  return i < 0 ? [] : tsv.slice(1).map((r) => r.split('\t')[i] ?? '')
}

/**
 * Our side: the sequential decoder (IP defragmentation, TCP analysis and reassembly, as tshark's
 * defaults), each compiled filter run on every frame's tree.
 */
export function ourMatches(file: string, compiled: readonly DisplayFilter[]): Set<number>[] {
  const sets = compiled.map(() => new Set<number>())
  const reader = openCaptureFile(join(CORPUS, file))
  try {
    const decoder = new SequentialDecoder({ tree: true })
    for (const p of decoder.run(reader)) {
      const { tree, ctx } = p.dissection
      compiled.forEach((c, i) => {
        if (c.match(tree, ctx.data)) sets[i].add(p.number)
      })
    }
  } finally {
    reader.close()
  }
  return sets
}

export function setDiff(want: Set<number>, got: Set<number>): { missing: number[]; extra: number[] } {
  return { missing: [...want].filter((n) => !got.has(n)), extra: [...got].filter((n) => !want.has(n)) }
}
