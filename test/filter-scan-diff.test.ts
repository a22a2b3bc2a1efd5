// The fast filter scan (index, then summary dissection, then tree) keeps exactly the frames the
// tree path keeps, for many filters on every corpus capture, the bundled sample and synthetic
// captures: filters decided from the index, from summaries, partly from each, and filters that
// make the fast levels decline (protocol bytes, layers, fields only the tree has). A few hundred
// random filters over the same fields follow.
import fc from 'fast-check'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compileFilter, type DisplayFilter } from '../src/main/filter'
import { INDEX_FIELDS } from '../src/main/filter/index-fields'
import { SUMMARY_FIELDS } from '../src/main/filter/summary-fields'
import { FilterScan, type ScanLevels } from '../src/main/session/filter-scan'
import type { OpenCapture } from '../src/main/session/open-capture'
import { CORPUS, corpusCaptures, openIndexed, SAMPLE, syntheticCaptures } from './filter-scan-support'

/** Filters the index decides (alone or with a few dissections of candidates). */
const INDEX_FILTERS = [
  'tcp.stream == 0',
  'tcp.stream eq 1',
  'tcp.stream in {0, 2}',
  'tcp.stream in {1..3}',
  'frame.number <= 5',
  'frame.number in {1, 3, 5}',
  'frame.len > 100 && frame.number < 20',
  'frame.cap_len < frame.len',
  'frame.len >= 60 and frame.len <= 100',
  'tcp.analysis.retransmission',
  'tcp.analysis.duplicate_ack',
  'frame.number > 3 && tcp.stream == 0',
  'tcp.stream == 0 || frame.number == 2',
  'not frame.number in {2..4}',
  'frame.interface_id == 0',
  'frame.marked == 0'
]

/** Filters a summary dissection decides. */
const SUMMARY_FILTERS = [
  'tcp.stream != 0',
  '!(tcp.stream == 0)',
  'tcp.stream not in {0}',
  'count(tcp.analysis.duplicate_ack) == 2',
  'tcp.analysis.flags && !tcp.analysis.window_update',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.flags.fin == 1 or tcp.flags.reset == 1',
  'tcp.flags & 0x12 == 0x12',
  'tcp.flags.str contains "S"',
  'ip.addr == 10.0.0.0/8',
  'ip.src == 192.168.1.0/24 or ipv6',
  'ip.src == ip.dst',
  'ip.host == "10.0.0.1"',
  'ip.flags.df == 0',
  'ip.flags.mf == 1 || ip.frag_offset > 0',
  'ip.ttl < 64',
  'ip.len > 1000',
  'ip.proto == 17',
  'ip.version == 6',
  'ip.dsfield.dscp == 0 && ip.id > 0',
  'count(ip.addr) == 2',
  'ipv6.addr == fe80::/10',
  'ipv6.dst == ff02::1 || ipv6.hlim == 255',
  'eth.dst == ff:ff:ff:ff:ff:ff',
  'eth.src[0:3] == fe:ff:20',
  'eth.type == 0x0800',
  'eth.addr == 00:00:00:00:00:00',
  'tcp.port in {80, 443}',
  'tcp.port != 80',
  'tcp.port ~= 80',
  'tcp.srcport > tcp.dstport',
  'tcp.len > 0',
  'tcp.hdr_len > 20',
  'tcp.seq == 1',
  'tcp.ack == 1 && tcp.nxtseq > 1',
  'tcp.window_size > 1000 && tcp.window_size_value < 1000',
  'tcp.options.mss_val >= 1400',
  'tcp.options.wscale.shift >= 7',
  'tcp.payload contains "GET"',
  'len(tcp.payload) > 100',
  'tcp.checksum == 0 || tcp.urgent_pointer != 0',
  'udp.port == 53',
  'udp.length > 100',
  'http',
  'http.request.method == "GET"',
  'upper(http.request.method) == "POST"',
  'http.request.uri contains "/"',
  'http.response.code >= 200 && http.response.code < 300',
  'http.request || http.response == 0',
  'icmp.type == 8 || icmp.code == 3',
  'dns.qry.name matches "\\\\.com$"',
  'tls.handshake.extensions_server_name contains "goo"',
  'frame.protocols contains "tcp:http"',
  'frame.comment contains "a"',
  'pkt_comment',
  'arp || icmp || icmpv6',
  'not ip and not ipv6',
  'data or vlan or quic',
  'tls && tcp.stream > 1',
  'dns',
  'frame contains "HTTP"',
  'frame matches "(?i)get /"',
  'frame[0:2] == 00:00 || len(frame) > 1000',
  'count(frame) == 1 && frame[12:2] == 08:00'
]

/** `contains` on a protocol: most frames are ruled out from the frame's bytes, the rest take the tree. */
const CONTAINS_FILTERS = ['tcp contains "HTTP"', 'udp contains "google"', 'ip contains 0a:00', 'eth contains ff:ff:ff', 'ipv6 contains "a" || tcp contains 47:45:54']

/** Filters that need the tree for every frame or for some. */
const TREE_FILTERS = [
  'http matches "^get"',
  'http contains "Host"',
  'ip.addr#2 == 10.0.0.1',
  'http.host contains "."',
  'tcp.analysis.duplicate_ack_frame',
  'tls.handshake.type == 1',
  'tcp.flags.syn == 1 && tls.record.content_type == 22',
  'dns.flags.response == 1 || tcp.stream == 0',
  'ip.id == 1 && tcp[0:2] == 00:50',
  'tcp.segment_data',
  'count(ip) == 2',
  'icmp.type == 3 && ip.src == 10.0.0.2',
  'frame.number < 4 || tcp.reset_cause'
]

const ALL = [...INDEX_FILTERS, ...SUMMARY_FILTERS, ...CONTAINS_FILTERS, ...TREE_FILTERS]

function compiled(text: string): DisplayFilter {
  const c = compileFilter(text)
  if (!c.ok) throw new Error(`${text}: ${c.error.message}`)
  return c.filter
}

function scanAll(cap: OpenCapture, f: DisplayFilter, fast: boolean): { frames: number[]; levels: ScanLevels } {
  const s = new FilterScan(cap, f, fast ? {} : { index: false, summary: false })
  while (!s.step(1000)) {
    // synchronous until done
  }
  const frames: number[] = []
  for (let i = 0; i < s.matches.length; i++) frames.push(s.matches.at(i))
  return { frames, levels: s.levels }
}

const synth = syntheticCaptures()
afterAll(() => synth.dispose())
const FILES = [...corpusCaptures().map((f) => [f, join(CORPUS, f)] as const), ['web-visit sample', SAMPLE] as const, ...synth.paths.map((p) => [p.split('/').at(-1)!, p] as const)]

/** Frames decided per level, per filter, over all captures. */
const levelsOf = new Map<string, ScanLevels>()

describe('fast filter scan keeps the tree path frames', () => {
  const filters = ALL.map((t) => [t, compiled(t)] as const)
  for (const [label, path] of FILES) {
    it(label, () => {
      const cap = openIndexed(path)
      if (!cap) return
      try {
        const differ: string[] = []
        for (const [text, f] of filters) {
          const fast = scanAll(cap, f, true)
          const tree = scanAll(cap, f, false)
          if (fast.frames.join() !== tree.frames.join()) differ.push(`${text}: fast [${fast.frames.join(' ')}], tree [${tree.frames.join(' ')}]`)
          const l = levelsOf.get(text) ?? { index: 0, summary: 0, tree: 0 }
          l.index += fast.levels.index
          l.summary += fast.levels.summary
          l.tree += fast.levels.tree
          levelsOf.set(text, l)
        }
        expect(differ).toEqual([])
      } finally {
        cap.close()
      }
    })
  }

  it('decides index filters mostly from the index, summary filters without trees', () => {
    const share = (text: string, key: keyof ScanLevels): number => {
      const l = levelsOf.get(text)!
      return l[key] / (l.index + l.summary + l.tree)
    }
    // Candidates of tcp.stream / tcp.analysis terms are confirmed by summary dissections.
    for (const t of INDEX_FILTERS) expect({ t, share: share(t, 'index') > 0.5 }).toEqual({ t, share: true })
    // Malformed frames and tunnels take the tree even here: a few percent of these odd captures.
    for (const t of SUMMARY_FILTERS) expect({ t, share: share(t, 'tree') < 0.1 }).toEqual({ t, share: true })
    for (const t of ['http matches "^get"', 'ip.addr#2 == 10.0.0.1', 'tls.handshake.type == 1']) {
      expect({ t, share: share(t, 'tree') }).toEqual({ t, share: 1 })
    }
    for (const t of CONTAINS_FILTERS) expect({ t, share: share(t, 'tree') < 0.2 }).toEqual({ t, share: true })
    // A leaf the tree must decide is skipped where the summary already says no.
    expect(share('tcp.flags.syn == 1 && tls.record.content_type == 22', 'tree')).toBeLessThan(0.2)
  })
})

describe('random filters', () => {
  const NUMBERS = ['0', '1', '2', '3', '6', '17', '20', '53', '64', '80', '443', '1000', '1460', '0x12', '65535']
  const ADDRS = ['10.0.0.0/8', '10.0.0.1', '192.168.0.0/16', '127.0.0.1', '0.0.0.0/0']
  const V6 = ['fe80::/10', '::1', 'ff02::1', '::/0']
  const ETHERS = ['ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '02:00:00:00:00:01']
  const STRINGS = ['"GET"', '"com"', '"a"', '"tcp"', '"HTTP/1.1"', '""']
  // Fields of both fast levels plus some only the tree has.
  const fields = [...new Set([...INDEX_FIELDS, ...SUMMARY_FIELDS, 'ip.checksum.status', 'tcp.reset_cause', 'http.host', 'dns.flags.response', 'tls.record.version'])]
  const literalFor = (type: string): fc.Arbitrary<string> => {
    if (type === 'ipv4') return fc.constantFrom(...ADDRS)
    if (type === 'ipv6') return fc.constantFrom(...V6)
    if (type === 'ether') return fc.constantFrom(...ETHERS)
    if (type === 'string' || type === 'bytes') return fc.constantFrom(...STRINGS)
    return fc.constantFrom(...NUMBERS)
  }
  const term: fc.Arbitrary<string> = fc.constantFrom(...fields).chain((name) => {
    const c = compileFilter(name)
    const type = c.ok ? (c.filter.uses[0]?.def.type ?? 'none') : 'none'
    if (type === 'protocol' || type === 'none') return fc.constant(name)
    return fc.oneof(
      fc.constant(name),
      fc.tuple(fc.constantFrom('==', '!=', '~=', '<', '>=', 'contains'), literalFor(type)).map(([op, v]) => `${name} ${op} ${v}`),
      fc.tuple(literalFor(type), literalFor(type)).map(([a, b]) => `${name} in {${a}, ${b}}`),
      fc.constant(`count(${name}) >= 1`)
    )
  })
  const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      term,
      fc.tuple(tie('e') as fc.Arbitrary<string>, fc.constantFrom('&&', '||'), tie('e') as fc.Arbitrary<string>).map(([a, op, b]) => `(${a}) ${op} (${b})`),
      (tie('e') as fc.Arbitrary<string>).map((a) => `!(${a})`)
    )
  })).e

  it('agree with the tree path on several captures', () => {
    const picks = ['pcpp-tls.pcap', 'tcpdump-dns_udp.pcap', 'pcpp-VlanPackets.pcap', 'tcpdump-ipv6-routing-header.pcap', 'pcpp-one_http_stream_fin.pcap']
    const caps = [...picks.map((f) => openIndexed(join(CORPUS, f))!), ...synth.paths.map((p) => openIndexed(p)!), openIndexed(SAMPLE)!]
    try {
      let tried = 0
      fc.assert(
        fc.property(expr, (text) => {
          const c = compileFilter(text)
          if (!c.ok) return true
          tried++
          for (const cap of caps) {
            const fast = scanAll(cap, c.filter, true).frames.join()
            const tree = scanAll(cap, c.filter, false).frames.join()
            if (fast !== tree) throw new Error(`${text} on ${cap.path}: fast [${fast}], tree [${tree}]`)
          }
          return true
        }),
        { numRuns: 300, seed: 4242 }
      )
      expect(tried).toBeGreaterThan(150)
    } finally {
      for (const cap of caps) cap.close()
    }
  })
})
