// Differential test of the filter engine's semantics: a few hundred random filters (fixed seed)
// over fields of the link, network and transport layers, on IPv4 captures, must keep the same
// frames as tshark 4.0 and be accepted or refused alike. Operators, quantifiers (`!=` is "all
// not equal"), sets and ranges, CIDR, slices, `&`, field-to-field comparisons, protocol
// `contains` and the and/or/not precedence all meet tshark's own evaluation here.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileFilter, type DisplayFilter } from '../src/main/filter'
import { oracleColumn, ourMatches, setDiff, TsharkTaps, twoAtATime } from './filter-tshark-support'

const FILES = [
  'pcpp-one_http_stream_fin.pcap',
  'ntar-http.littleendian.ntar',
  'zeek-truncated-header.pcap',
  'tcpdump-pptp.pcap',
  'tcpdump-tcp-handshake-nano.pcap',
  'tcpdump-dns_udp.pcap',
  'pcpp-VlanPackets.pcap',
  'pcpp-tls.pcap',
  'gopacket-test_loopback.pcap',
  'tcpdump-ipv6-routing-header.pcap'
]

/** Values seen in these captures (oracle TSVs), so that comparisons hit as well as miss. */
function pool(field: string): string[] {
  const out = new Set<string>()
  for (const f of FILES) for (const v of oracleColumn(f, field)) for (const x of v.split(',')) if (x) out.add(x)
  return [...out].sort()
}

const INT_FIELDS: [string, number][] = [
  ['frame.len', 0xffffffff],
  ['frame.cap_len', 0xffffffff],
  ['frame.number', 0xffffffff],
  ['ip.ttl', 0xff],
  ['ip.len', 0xffff],
  ['ip.id', 0xffff],
  ['ip.proto', 0xff],
  ['tcp.srcport', 0xffff],
  ['tcp.dstport', 0xffff],
  ['tcp.port', 0xffff],
  ['tcp.window_size_value', 0xffff],
  ['tcp.hdr_len', 0xff],
  ['tcp.seq_raw', 0xffffffff],
  ['tcp.flags', 0xffff],
  ['udp.port', 0xffff],
  ['udp.length', 0xffff],
  ['eth.type', 0xffff]
]
const BOOL_FIELDS = ['tcp.flags.syn', 'tcp.flags.ack', 'tcp.flags.fin', 'tcp.flags.reset', 'tcp.flags.push', 'ip.flags.df', 'ip.flags.mf']
const IP_FIELDS = ['ip.src', 'ip.dst', 'ip.addr']
const ETH_FIELDS = ['eth.src', 'eth.dst', 'eth.addr']
const PROTOCOLS = ['eth', 'ip', 'tcp', 'udp', 'vlan', 'frame']

const seenInts = [...pool('tcp.srcport'), ...pool('tcp.dstport'), ...pool('frame.len'), ...pool('udp.srcport'), ...pool('tcp.window_size_value')].map(Number)
const seenIps = [...pool('ip.src'), ...pool('ip.dst')]
const seenMacs = [...pool('eth.src'), ...pool('eth.dst')]
const seenIp6 = [...pool('ipv6.src'), ...pool('ipv6.dst')]

const ORDER_OPS = ['==', '!=', '===', '!==', '~=', '<', '>', '<=', '>=', 'eq', 'ne', 'lt', 'gt', 'le', 'ge']

function intLiteral(max: number): fc.Arbitrary<string> {
  const value = fc.oneof(fc.constantFrom(...seenInts.filter((v) => v <= max)), fc.integer({ min: 0, max }), fc.constantFrom(0, 1, 80, 443))
  return fc.tuple(value, fc.constantFrom('dec', 'dec', 'hex', 'oct')).map(([v, f]) =>
    f === 'hex' ? '0x' + v.toString(16) : f === 'oct' && v > 0 ? '0' + v.toString(8) : String(v)
  )
}

const intField = fc.constantFrom(...INT_FIELDS)
const ipLiteral = fc
  .tuple(fc.oneof(fc.constantFrom(...seenIps), fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'))), fc.option(fc.integer({ min: 0, max: 32 })))
  .map(([ip, bits]) => (bits === null ? ip : `${ip}/${bits}`))
const macLiteral = fc
  .tuple(fc.oneof(fc.constantFrom(...seenMacs), fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'))), fc.constantFrom(':', '-', '.'))
  .map(([m, sep]) => m.split(':').join(sep))

const atom: fc.Arbitrary<string> = fc.oneof(
  // integer comparisons, optionally quantified
  fc
    .tuple(intField, fc.constantFrom(...ORDER_OPS), fc.constantFrom('', '', '', 'any ', 'all '))
    .chain(([[f, max], op, q]) => intLiteral(max).map((lit) => `${q}${f} ${op} ${lit}`)),
  // sets with ranges
  fc
    .tuple(intField, fc.boolean(), fc.array(fc.tuple(fc.boolean(), fc.nat(3)), { minLength: 1, maxLength: 3 }))
    .chain(([[f, max], neg, els]) =>
      fc
        .tuple(...els.map(([range]) => (range ? fc.tuple(intLiteral(max), intLiteral(max)).map(([a, b]) => `${a}..${b}`) : intLiteral(max))))
        .map((parts) => `${f} ${neg ? 'not in' : 'in'} {${parts.join(', ')}}`)
    ),
  // booleans: presence, 1/0, True/False
  fc.tuple(fc.constantFrom(...BOOL_FIELDS), fc.constantFrom('', ' == 1', ' == 0', ' == True', ' == FALSE', ' != 1', ' > 0', ' == 2')).map(([f, t]) => f + t),
  // addresses and CIDR
  fc.tuple(fc.constantFrom(...IP_FIELDS), fc.constantFrom('==', '!=', '~=', '===', '<', '>=', 'in'), ipLiteral).map(([f, op, lit]) =>
    op === 'in' ? `${f} in {${lit}}` : `${f} ${op} ${lit}`
  ),
  fc.tuple(fc.constantFrom(...ETH_FIELDS), fc.constantFrom('==', '!=', '<', '>'), macLiteral).map(([f, op, lit]) => `${f} ${op} ${lit}`),
  fc
    .tuple(
      fc.constantFrom('ipv6.src', 'ipv6.dst', 'ipv6.addr'),
      fc.constantFrom('==', '!=', '~=', '<', '>='),
      fc.oneof(fc.constantFrom(...seenIp6, '::1', 'fe80::', '2001:db8::', '2607:f8b0::', '::ffff:10.0.0.1')),
      fc.option(fc.constantFrom(8, 10, 16, 32, 48, 64, 127, 128))
    )
    .map(([f, op, a, bits]) => `${f} ${op} ${a}${bits === null ? '' : '/' + bits}`),
  fc.tuple(fc.constantFrom('ipv6.hlim', 'ipv6.plen', 'ipv6.nxt', 'ipv6.flow'), fc.constantFrom('==', '!=', '<', '>'), fc.nat(300)).map(
    ([f, op, n]) => `${f} ${op} ${f === 'ipv6.plen' || f === 'ipv6.flow' ? n * 5 : n % 256}`
  ),
  fc.constantFrom('ipv6', 'ipv6.src[0:2] == 26:01', 'ipv6.dst[15] == 03', 'ipv6.addr == ipv6.src', 'ipv6.src < ipv6.dst', 'ipv6 contains 00:50'),
  // slices
  fc
    .tuple(fc.constantFrom(...ETH_FIELDS, 'ip.src', 'ip.dst'), fc.constantFrom(...seenMacs), fc.constantFrom('[0:3]', '[0]', '[-1]', '[1-2]', '[:2]', '[4:]'))
    .map(([f, mac, r]) => {
      const b = mac.split(':')
      const n = r === '[0:3]' ? 3 : r === '[1-2]' || r === '[:2]' || r === '[4:]' ? 2 : 1
      const start = r === '[-1]' ? 5 : r === '[1-2]' ? 1 : r === '[4:]' ? 4 : 0
      return `${f}${r} == ${b.slice(start, start + n).join(':')}`
    }),
  // bitwise and
  fc.tuple(fc.integer({ min: 1, max: 0xfff }), fc.option(fc.integer({ min: 0, max: 0xfff }))).map(([m, v]) =>
    v === null ? `tcp.flags & 0x${m.toString(16)}` : `tcp.flags & 0x${m.toString(16)} == 0x${(v & m).toString(16)}`
  ),
  // field against field
  fc.tuple(intField, fc.constantFrom('==', '!=', '<', '>', '~='), intField).map(([[a], op, [b]]) => `${a} ${op} ${b}`),
  fc.tuple(fc.constantFrom(...IP_FIELDS), fc.constantFrom('==', '!=', '<'), fc.constantFrom(...IP_FIELDS)).map(([a, op, b]) => `${a} ${op} ${b}`),
  // protocols: presence, contains, slices of the frame
  fc.constantFrom(...PROTOCOLS),
  fc.tuple(fc.constantFrom('tcp', 'ip', 'frame', 'eth'), fc.constantFrom('00:50', '"HTTP"', '"GET"', '45:00', '08:00', 'ff:ff:ff', '"Host"')).map(
    ([p, v]) => `${p} contains ${v}`
  ),
  fc.constantFrom('frame[12:2] == 08:00', 'frame[12:2] == 81:00', 'ip[0] == 45', 'tcp[13] == 02', 'tcp[0:2] == 00:50', 'eth[0:6] == ff:ff:ff:ff:ff:ff'),
  fc.tuple(fc.constantFrom('ip', 'tcp', 'eth', 'frame'), fc.constantFrom('"get"', '"^GET /"', '"(?-i)host"', '"HTTP/1\\.[01]"', '"\\x00\\x50"')).map(
    ([p, re]) => `${p} matches ${re}`
  ),
  // strings (DNS names), functions
  fc
    .tuple(
      fc.constantFrom('dns.qry.name', 'lower(dns.qry.name)', 'upper(dns.qry.name)'),
      fc.constantFrom('==', '!=', 'contains', 'matches', '<', '>'),
      fc.constantFrom('"www.tcpdump.org"', '"WWW.TCPDUMP.ORG"', '"tcpdump"', '"google"', '"^pagead"', '"\\.org$"', 'www.tcpdump.org', '"com"')
    )
    .map(([f, op, v]) => `${f} ${op} ${v}`),
  // Not len(tcp): tshark's own answer depends on its output mode (with -T fields or -V the TCP
  // item is its header, 20 for a segment carrying HTTP; in summary mode and in taps it spans the
  // payload), so it is no oracle there. Ours is the header, as the details tree shows it.
  fc.tuple(fc.constantFrom('len(dns.qry.name)', 'count(ip.addr)', 'count(tcp.port)', 'len(eth.src)', 'len(ip)', 'len(eth)', 'len(frame)'), fc.constantFrom('==', '>', '<='), fc.nat(70)).map(
    ([f, op, n]) => `${f} ${op} ${n}`
  ),
  fc.constantFrom('dns.qry.name[0:3] == "www"', 'dns.qry.name[-3:] == 6f:72:67', 'ip.addr#1 == 192.168.0.0/16', 'ip.ttl#1 > 60', 'tcp.port#1 == 80', 'ip#1', 'ip#2')
)

const filterArb: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small' },
    atom,
    atom,
    tie('f').map((x) => `!(${x})`),
    tie('f').map((x) => `not ${x}`),
    fc.tuple(tie('f'), fc.constantFrom(' and ', ' && ', ' or ', ' || '), tie('f')).map(([a, op, b]) => a + op + b),
    fc.tuple(tie('f'), fc.constantFrom(' and ', ' or '), tie('f')).map(([a, op, b]) => `(${a})${op}(${b})`)
  )
})).f

/** Filters that are wrong in one place: both sides must refuse them with the same message. */
const wrongAtom: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('ip.src', 'ip.addr'), fc.constantFrom('foo', '10.0.0', '10.0.0.256', '1.2.3.4/33', 'tcp.flgs', '"10.0.0.1"', 'ff:ff')).map(([f, v]) => `${f} == ${v}`),
  fc.tuple(fc.constantFrom('ipv6.src', 'ipv6.addr'), fc.constantFrom('foo', 'fe80::1/129', '"::1"', '1.2.3.4')).map(([f, v]) => `${f} == ${v}`),
  fc.tuple(fc.constantFrom('eth.src', 'eth.addr'), fc.constantFrom('zz', '00:11:22', '00:11:22:33:44:55:66', '"00:11:22:33:44:55"', '0011.2233')).map(([f, v]) => `${f} == ${v}`),
  fc.tuple(fc.constantFrom('tcp.port', 'ip.ttl', 'frame.len', 'ip.proto', 'eth.type'), fc.constantFrom('foo', '65536', '256', '0x100000000', '1.5', '08', '"80"', '99999999999999999999', 'tcp')).map(
    ([f, v]) => `${f} == ${v}`
  ),
  fc.tuple(fc.constantFrom('tcp.flags.syn', 'ip.flags.df'), fc.constantFrom('true', 'yes', '"1"', '1.0')).map(([f, v]) => `${f} == ${v}`),
  fc.tuple(fc.constantFrom('tcp.port', 'ip.src', 'tcp.flags.syn', 'frame.len', 'ipv6.dst'), fc.constantFrom('contains 1', 'matches "x"')).map(([f, t]) => `${f} ${t}`),
  fc.constantFrom(
    'tcp.flgs', 'tcp.flgs == 1', 'foo', '"abc"', '80 == tcp.port', '"abc" == tcp.port', 'ip.src == tcp.port', 'ip.proto == tcp',
    'tcp.flgs in {1}', 'count(tcp.flgs) == 1', 'len(tcp)', 'lower(tcp.port) == "x"', 'foo(ip.src) == 1', 'tcp.port[0] == 00',
    'tcp.flags.syn & 1', 'dns.qry.name matches www', 'dns.qry.name matches "["', 'tcp.analysis == 1', 'tcp.port in {"80"}'
  )
)
const wrongArb = fc
  .tuple(filterArb, wrongAtom, fc.constantFrom(' and ', ' or ', ' && '), fc.boolean())
  .map(([ok, wrong, op, first]) => (first ? `${wrong}${op}${ok}` : `${ok}${op}${wrong}`))

const FILTERS = [...fc.sample(filterArb, { seed: 20240604, numRuns: 400 }), ...fc.sample(wrongArb, { seed: 20240605, numRuns: 150 })]

const taps = new TsharkTaps(FILTERS)
const tshark = new Map<string, { sets: Set<number>[]; errors: Map<number, string> }>()

beforeAll(async () => {
  await twoAtATime(FILES, async (f) => {
    tshark.set(f, await taps.runLenient(f))
  })
}, 300_000)

afterAll(() => taps.dispose())

describe('random filters agree with tshark 4.0', () => {
  it(`${FILTERS.length} filters on ${FILES.length} captures`, () => {
    const problems: string[] = []
    const compiled: (DisplayFilter | null)[] = FILTERS.map((text, i) => {
      const r = compileFilter(text)
      const theirs = tshark.get(FILES[0])!.errors.get(i)
      if (r.ok && theirs) problems.push(`accepted here, refused by tshark: ${text} (${theirs})`)
      if (!r.ok && !theirs) problems.push(`refused here, accepted by tshark: ${text} (${r.error.message})`)
      if (!r.ok && theirs) {
        // tshark's tap error reads: Error while registering tap: Filter "..." is invalid - MESSAGE
        const their = theirs.replace(/^.* is invalid - /, '')
        if (their !== r.error.message) problems.push(`different error for ${text}: tshark "${their}", here "${r.error.message}"`)
      }
      return r.ok && !theirs ? r.filter : null
    })
    const active = compiled.flatMap((c, i) => (c ? [i] : []))
    let hits = 0
    for (const file of FILES) {
      const want = tshark.get(file)!.sets
      const got = ourMatches(file, active.map((i) => compiled[i]!))
      active.forEach((fi, k) => {
        hits += want[fi].size
        const { missing, extra } = setDiff(want[fi], got[k])
        if (missing.length || extra.length) problems.push(`${file} | ${FILTERS[fi]} | tshark only [${missing}] ours only [${extra}]`)
      })
    }
    console.log(
      `random filters: ${active.length} compared on ${FILES.length} files, ${hits} matching frames in tshark's results; ${FILTERS.length - active.length} refused by both`
    )
    expect(problems).toEqual([])
  })
})
