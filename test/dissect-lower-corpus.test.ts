// The link and network layers over every capture in ../shared/corpus:
//  - the columns of NAME.tshark.tsv that these layers produce (frame.*, eth.*, ip.*, ipv6.*),
//    and frame.protocols up to the first protocol these layers hand off to;
//  - summary mode agrees with tree mode on the protocol chain and the network info;
//  - every line these layers draw reads as tshark's PDML "showname" for the same field at the
//    same offset (tshark run here, with MAC name resolution off).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { IpDefragmenter } from '../src/main/analysis/ip-defrag'
import { openCaptureFile } from '../src/main/capfile/open'
import { dissectFrame, type Dissection, type FrameInput } from '../src/main/dissect'
import type { FieldNode } from '../src/main/dissect/fields'
import { formatColumn } from '../src/main/dissect/format'
import { labelOf } from '../src/main/dissect/label'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

const COLUMNS = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.proto']

/** Protocols the lower layers name in frame.protocols. */
const LOWER = new Set([
  'eth', 'ethertype', 'vlan', 'ieee8021ad', 'llc', 'cdp', 'sll', 'null', 'raw', 'ip', 'ipv6', 'ipv6.hopopts', 'ipv6.dstopts',
  'ipv6.routing', 'ipv6.fraghdr', 'ah', 'icmp', 'icmpv6', 'igmp', 'gre', 'ppp', 'lcp', 'erspan', 'aoe', 'ospf', 'arp'
])

/** frame.protocols up to and including the first protocol handed to another layer ("...:ip:tcp"). */
function lowerPrefix(protocols: string): string {
  const out: string[] = []
  for (const p of protocols.split(':')) {
    out.push(p)
    if (!LOWER.has(p)) break
  }
  return out.join(':')
}

/**
 * tshark 4.0 numbers pcapng Custom Blocks as frames ("data", no time); they are no packets and
 * the readers skip them (capinfos counts 5 and 8 packets), so those rows are dropped and the
 * rest renumbered.
 */
const CUSTOM_BLOCK_FILES = new Set(['pcapng-gen-le-test102.pcapng', 'pcapng-gen-le-test202.pcapng'])

function captures(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.tshark.tsv') && readFileSync(CORPUS + f, 'utf8').length > 0)
    .map((f) => f.slice(0, -'.tshark.tsv'.length))
    .sort()
}

function oracle(name: string): { header: string[]; rows: string[][] } {
  const [head, ...body] = readFileSync(CORPUS + name + '.tshark.tsv', 'utf8').replace(/\n$/, '').split('\n').map((l) => l.split('\t'))
  let rows = body
  if (CUSTOM_BLOCK_FILES.has(name)) {
    rows = rows.filter((r) => !(r[4] === 'data' && r[1] === ''))
    rows.forEach((r, i) => (r[0] = String(i + 1)))
  }
  return { header: head, rows }
}

function frames(name: string): FrameInput[] {
  const reader = openCaptureFile(CORPUS + name)
  const out: FrameInput[] = []
  try {
    for (;;) {
      const rec = reader.next()
      if (!rec) break
      out.push({
        number: rec.index + 1,
        data: rec.data.slice(),
        origlen: rec.origlen,
        linktype: rec.linktype,
        interfaceId: rec.interfaceId,
        hasTs: rec.hasTs,
        tsSec: rec.tsSec,
        tsNsec: rec.tsNsec,
        comments: rec.comments,
        pcapng: reader.format === 'pcapng',
        interfaceName: reader.interfaces[rec.interfaceId]?.name
      })
    }
  } finally {
    reader.close()
  }
  return out
}

function dissectAll(inputs: FrameInput[], tree: boolean): Dissection[] {
  const defrag = new IpDefragmenter()
  return inputs.map((f) => dissectFrame(f, { tree, defrag }))
}

describe('lower layers over the corpus (tshark 4.0 oracles)', () => {
  for (const name of captures()) {
    it(name, () => {
      const { header, rows } = oracle(name)
      const inputs = frames(name)
      expect(inputs.length).toBe(rows.length)
      const tree = dissectAll(inputs, true)
      const summary = dissectAll(inputs, false)
      const diffs: string[] = []
      tree.forEach((d, i) => {
        const row = rows[i]
        for (const col of COLUMNS) {
          const want = row[header.indexOf(col)] ?? ''
          const got = formatColumn(d.tree, col)
          if (got !== want) diffs.push(`#${i + 1} ${col}: got '${got}', tshark '${want}'`)
        }
        const want = lowerPrefix(row[header.indexOf('frame.protocols')])
        const got = lowerPrefix(formatColumn(d.tree, 'frame.protocols'))
        if (got !== want) diffs.push(`#${i + 1} frame.protocols: got '${got}...', tshark '${want}...'`)
        const s = summary[i].ctx
        if (s.protocols.join(':') !== d.ctx.protocols.join(':')) diffs.push(`#${i + 1} summary mode protocols differ`)
        if (s.net?.src !== d.ctx.net?.src || s.net?.dst !== d.ctx.net?.dst || s.net?.proto !== d.ctx.net?.proto) diffs.push(`#${i + 1} summary mode net differs`)
      })
      expect(diffs).toEqual([])
    })
  }
})

// ---- labels against tshark's PDML ---------------------------------------------------------

interface PdmlField {
  name: string
  pos: number
  showname: string
}

const XML_ENTITIES: Record<string, string> = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&apos;': "'" }

function unescapeXml(s: string): string {
  return s.replace(/&(quot|amp|lt|gt|apos|#x?[0-9a-f]+);/gi, (m) => {
    if (XML_ENTITIES[m]) return XML_ENTITIES[m]
    const n = m.startsWith('&#x') ? parseInt(m.slice(3, -1), 16) : parseInt(m.slice(2, -1), 10)
    return String.fromCodePoint(n)
  })
}

/** tshark writes one PDML element per line: enough to read name, pos and showname without an XML parser. */
function pdml(file: string): PdmlField[][] {
  // tshark exits with 2 on the cut files after printing every whole packet: keep what it printed
  const text = spawnSync('tshark', ['-n', '-o', 'nameres.mac_name:FALSE', '-r', file, '-T', 'pdml'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore']
  }).stdout
  const out: PdmlField[][] = []
  let cur: PdmlField[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('<packet>')) cur = []
    else if (line.startsWith('</packet>')) out.push(cur)
    else {
      const m = /^\s*<(?:field|proto) name="([^"]*)"(?: pos="(-?\d+)")?(?: showname="([^"]*)")?/.exec(line)
      if (!m) continue
      const name = m[1]
      const attrs = Object.fromEntries([...line.matchAll(/ (\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]))
      cur.push({ name, pos: Number(attrs.pos ?? -1), showname: unescapeXml(attrs.showname ?? '') })
    }
  }
  return out
}

const LABEL_PREFIXES = [...LOWER].filter((p) => p !== 'ethertype').concat(['ieee8021ah', 'frame', 'pkt_comment'])

/**
 * Lines not compared, each for a reason: vendor names come from Wireshark's OUI database
 * (not shipped here); expert-info pseudo-fields are notes on our nodes, not nodes; data has no
 * showname in PDML; request/response matching of ICMP needs state across frames; CDP's TLVs
 * beyond the common ones and LCP option subtrees are not decoded field by field; frame fields
 * that describe the file or the GUI state rather than the packet.
 */
function skipped(name: string): boolean {
  return (
    name.endsWith('.oui') ||
    name.endsWith('oui_resolved') ||
    name === 'data' ||
    /^(ipv6\.routing\.deprecated|ipv6\.opt\.unknown_data\.expert|ipv6\.bogus_ipv6_version|eth\.padding_bad|eth\.src_not_group|ipv6\.invalid_header)$/.test(name) ||
    /^icmp(v6)?\.(resp_in|resp_to|resptime|no_resp)$/.test(name) ||
    /^(cdp\.(?!version|ttl|deviceid|portid|platform|software_version|tlv\.type|tlv\.len|native_vlan|duplex|vtp_management_domain|checksum)|lcp\.opt\.)/.test(name) ||
    // frame.protocols above the network layer depends on the transport layers and TCP reassembly (test/corpus.test.ts)
    name === 'frame.protocols' ||
    // pcapng block options the readers do not pass on (flags, queue, drop count, verdict, packet id, description)
    /^frame\.(packet_flags.*|interface_queue|interface_description|drop_count|verdict.*|packet_id|p2p_dir|len_lt_caplen)$/.test(name) ||
    // state across frames or the GUI's (deltas, reference time, section), not the packet's
    /^frame\.(section_number|offset_shift|time_delta|time_delta_displayed|time_relative|comment\.expert)$/.test(name)
  )
}

describe('lower-layer labels read as tshark draws them (PDML shownames)', () => {
  for (const name of captures().filter((n) => !CUSTOM_BLOCK_FILES.has(n))) {
    it(name, () => {
      const want = pdml(CORPUS + name)
      const got = dissectAll(frames(name), true)
      const diffs: string[] = []
      got.forEach((d, i) => {
        const nodes: FieldNode[] = []
        const walk = (l: FieldNode[]): void => {
          for (const n of l) {
            nodes.push(n)
            if (n.children) walk(n.children)
          }
        }
        walk(d.tree)
        const used = new Set<FieldNode>()
        for (const f of want[i] ?? []) {
          if (!LABEL_PREFIXES.some((p) => f.name === p || f.name.startsWith(p + '.')) || skipped(f.name)) continue
          // the direction in epb_flags, which the readers do not pass on, ends tshark's frame line
          const strip = (s: string): string => s.replace(/^\[|\]$/g, '').replace(/ \((inbound|outbound)\)$/, '')
          const cands = nodes.filter((n) => n.name === f.name && !used.has(n) && (n.off === f.pos || n.off < 0 || f.pos < 0 || f.name.startsWith('frame.')))
          if (cands.length === 0) {
            diffs.push(`#${i + 1} missing ${f.name} @${f.pos}: ${f.showname}`)
            continue
          }
          const match = cands.find((n) => strip(labelOf(n)) === strip(f.showname))
          if (match) used.add(match)
          else diffs.push(`#${i + 1} ${f.name} @${f.pos}: ours '${labelOf(cands[0])}', tshark '${f.showname}'`)
        }
      })
      expect(diffs).toEqual([])
    })
  }
})
