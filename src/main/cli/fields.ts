// `wirenote fields FILE -e FIELD ...`: the same TSV as
// `tshark -n -r FILE -T fields -E separator=/t -E header=y -e FIELD ...`, streamed packet by
// packet. A cut or corrupt file prints every row before the fault, then the error on stderr
// (exit status 2, as tshark).
import { openCaptureFile } from '../capfile/open'
import { CaptureFileError } from '../capfile/types'
import { frameInput, redissect, SequentialDecoder } from '../engine/decoder'
import { FieldsRenderer, isKnownField } from '../engine/fields'
import { FastFieldsRenderer } from '../engine/fields-fast'
import { collector } from '../dissect/app/collect'
import { compileFilter } from '../filter'
import '../dissect'

export const usage =
  'wirenote fields FILE -e FIELD [-e FIELD ...] [-E header=y|n] [-E separator=/t|/s|CHAR] [-Y FILTER]\n' +
  '      print one tab-separated line per packet with the given Wireshark fields (as tshark -T fields)'

export interface FieldsOptions {
  file: string
  fields: string[]
  header: boolean
  separator: string
  filter?: string
  /** 'auto' (default): summary dissection when every field allows it, else trees; 'tree': always trees. */
  mode?: 'auto' | 'tree'
}

export interface FieldsIo {
  out(text: string): void
  err(text: string): void
}

/** Parses the command line (tshark's spellings -r, -T fields, -n are accepted and ignored). */
export function parseFieldsArgs(argv: string[]): FieldsOptions | { error: string } {
  const o: FieldsOptions = { file: '', fields: [], header: true, separator: '\t' }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const value = (): string | undefined => (a.length > 2 && a.startsWith('-') && !a.startsWith('--') ? a.slice(2) : argv[++i])
    if (a.startsWith('-e')) {
      const v = value()
      if (!v) return { error: '-e needs a field name' }
      o.fields.push(v)
    } else if (a.startsWith('-E')) {
      const v = value()
      const m = v ? /^(\w+)=(.*)$/.exec(v) : null
      if (!m) return { error: `-E needs NAME=VALUE, got ${v ?? 'nothing'}` }
      if (m[1] === 'header') {
        if (m[2] !== 'y' && m[2] !== 'n') return { error: `-E header= takes y or n, got ${m[2]}` }
        o.header = m[2] === 'y'
      } else if (m[1] === 'separator') {
        o.separator = m[2] === '/t' ? '\t' : m[2] === '/s' ? ' ' : m[2]!
        if (!o.separator) return { error: '-E separator= needs a character' }
      } else if (m[1] !== 'occurrence' && m[1] !== 'aggregator' && m[1] !== 'quote') {
        return { error: `unknown -E option ${m[1]}` }
      }
    } else if (a.startsWith('-Y')) {
      const v = value()
      if (v === undefined) return { error: '-Y needs a display filter' }
      o.filter = v
    } else if (a.startsWith('-r')) {
      const v = value()
      if (!v) return { error: '-r needs a file' }
      o.file = v
    } else if (a === '-n' || a === '-T' || a === 'fields') {
      if (a === '-T') i++
    } else if (a.startsWith('-')) {
      return { error: `unknown option ${a}` }
    } else if (!o.file) o.file = a
    else return { error: `unexpected argument ${a}` }
  }
  if (!o.file) return { error: 'no capture file given' }
  if (o.fields.length === 0) return { error: 'no fields given (-e FIELD)' }
  return o
}

/** Runs the command; returns the exit status (0, or 2 for bad arguments and bad files). */
export function runFields(o: FieldsOptions, io: FieldsIo): number {
  const unknown = o.fields.filter((f) => !isKnownField(f))
  if (unknown.length) {
    io.err(`wirenote fields: unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}\n`)
    return 2
  }
  let filter = null
  if (o.filter !== undefined && o.filter.trim() !== '') {
    const c = compileFilter(o.filter)
    if (!c.ok) {
      io.err(`wirenote fields: invalid display filter: ${c.error.message}\n`)
      return 2
    }
    filter = c.filter
  }
  let reader
  try {
    reader = openCaptureFile(o.file)
  } catch (err) {
    io.err(`wirenote fields: ${err instanceof Error ? err.message : String(err)}\n`)
    return 2
  }
  const renderer = new FieldsRenderer(o.fields, o.separator)
  // Trees cost ten times a summary: build them only where a field or the filter needs one.
  const fast = filter || o.mode === 'tree' ? null : FastFieldsRenderer.create(o.fields, o.separator)
  // The CLI never re-dissects a reassembled PDU later: no index of them is needed.
  const decoder = new SequentialDecoder({ tree: fast === null, keepPduIndex: false })
  const prevWant = collector.want
  collector.want = fast ? fast.collect : null
  // tshark prints the header once the file opened; a file refused at its first block gets none.
  // Lines are gathered and written in blocks of ~64 KiB.
  const lines: string[] = []
  let size = 0
  let started = false
  const start = () => {
    started = true
    if (o.header) lines.push(renderer.header())
  }
  try {
    for (;;) {
      const rec = reader.next()
      if (!rec) break
      if (!started) start()
      const input = frameInput(rec, reader)
      collector.values.length = 0
      const p = decoder.decode(input)
      let line: string
      if (fast) {
        line =
          fast.line(input, p.dissection.ctx, p.tcp, collector.values) ??
          renderer.line(redissect(input, p.tcp, decoder.streams, { dupAck: decoder.dupAcks.get(input.number), quic: decoder.quicConnections }))
      } else {
        if (filter && !filter.match(p.dissection.tree, rec.data)) continue
        line = renderer.line(p.dissection)
      }
      lines.push(line)
      size += line.length
      if (size > 1 << 16) {
        io.out(lines.join('\n') + '\n')
        lines.length = 0
        size = 0
      }
    }
    const e0 = reader.error
    if (!started && !(e0 && e0.offset === 0)) start()
  } finally {
    collector.want = prevWant
    collector.values.length = 0
    if (lines.length) io.out(lines.join('\n') + '\n')
    reader.close()
  }
  const e = reader.error
  if (e) {
    const where = e instanceof CaptureFileError ? ` (at byte offset ${e.offset})` : ''
    io.err(`wirenote fields: ${o.file}: ${e.message}${where}\n`)
    return 2
  }
  return 0
}

export async function run(argv: string[]): Promise<number> {
  const o = parseFieldsArgs(argv)
  if ('error' in o) {
    process.stderr.write(`wirenote fields: ${o.error}\nusage: ${usage}\n`)
    return 2
  }
  return runFields(o, {
    out: (s) => {
      process.stdout.write(s)
    },
    err: (s) => {
      process.stderr.write(s)
    }
  })
}
