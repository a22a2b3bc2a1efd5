// `wirenote fields` as a user runs it (bin/wirenote.mjs through tsx): options, errors, cut
// files, display filters.
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseFieldsArgs } from '../src/main/cli/fields'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

function wirenote(args: string[]) {
  const r = spawnSync(process.execPath, [ROOT + 'bin/wirenote.mjs', 'fields', ...args], { encoding: 'utf8' })
  return { status: r.status, out: r.stdout, err: r.stderr }
}

describe('wirenote fields', () => {
  it('prints every row before the cut of a cut file, then the error with its byte offset, exit 2', () => {
    const r = wirenote([CORPUS + 'derived-cut-mid-record.pcap', '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'http.request.uri'])
    expect(r.status).toBe(2)
    const lines = r.out.trim().split('\n')
    expect(lines[0]).toBe('frame.number\ttcp.stream\thttp.request.uri')
    expect(lines).toHaveLength(12)
    expect(lines[6]).toBe('6\t0\t/serv?s=19190039&t=1361916157&f=us-p9h3')
    expect(r.err).toMatch(/cut short.*byte offset 1726/)
  })

  it('rejects unknown fields and bad options with exit 2', () => {
    const r = wirenote([CORPUS + 'tcpdump-dns_udp.pcap', '-e', 'frame.number', '-e', 'no.such.field'])
    expect(r.status).toBe(2)
    expect(r.err).toContain('unknown field: no.such.field')
    expect(r.out).toBe('')
    expect(wirenote([CORPUS + 'tcpdump-dns_udp.pcap']).err).toContain('no fields given')
    expect(wirenote(['-e', 'frame.number']).err).toContain('no capture file')
    expect(wirenote([CORPUS + 'tcpdump-dns_udp.pcap', '-e', 'frame.number', '-E', 'header=maybe']).status).toBe(2)
    expect(wirenote([CORPUS + 'nope.pcap', '-e', 'frame.number']).status).toBe(2)
  })

  it('accepts tshark spellings: -r, -T fields, -n, -E header=n, -E separator=/s, repeated fields', () => {
    const r = wirenote(['-n', '-r', CORPUS + 'tcpdump-dns_udp.pcap', '-T', 'fields', '-E', 'header=n', '-E', 'separator=/s', '-e', 'frame.number', '-e', 'dns.qry.name', '-e', 'frame.number'])
    expect(r.status).toBe(0)
    expect(r.out).toBe('1 www.tcpdump.org 1\n2 www.tcpdump.org 2\n')
    expect(parseFieldsArgs(['f', '-efoo', '-Eseparator=,'])).toMatchObject({ file: 'f', fields: ['foo'], separator: ',' })
  })

  it('applies a display filter (-Y) like tshark', () => {
    const file = CORPUS + 'ntar-http.littleendian.ntar'
    const args = ['-e', 'frame.number', '-e', 'tcp.stream', '-e', 'http.request.uri']
    const r = wirenote([file, '-Y', 'tcp.stream == 1 && tcp.len > 0', '-E', 'header=n', ...args])
    const want = execFileSync('tshark', ['-n', '-r', file, '-Y', 'tcp.stream == 1 && tcp.len > 0', '-T', 'fields', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    })
    expect(r.status).toBe(0)
    expect(r.out).toBe(want)
  })
})
