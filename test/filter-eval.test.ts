// The compiler and evaluator over hand-built trees, with a registry of our own so these tests do
// not depend on which dissectors exist.
import { describe, expect, it } from 'vitest'
import { compileFilter, type DisplayFilter } from '../src/main/filter'
import type { FieldDef, FieldNode, FieldType, FieldValue } from '../src/main/dissect/fields'

const defs = new Map<string, FieldDef>()
function def(name: string, type: FieldType, extra: Partial<FieldDef> = {}): void {
  defs.set(name, { name, title: name, type, ...extra })
}
for (const p of ['frame', 'eth', 'ip', 'ipv6', 'tcp', 'udp', 'http', 'dns', 'icmp', 'tls']) def(p, 'protocol')
def('frame.len', 'uint32')
def('frame.number', 'framenum')
def('frame.time', 'abstime')
def('frame.time_relative', 'reltime')
def('eth.src', 'ether')
def('eth.dst', 'ether')
def('eth.addr', 'ether')
def('eth.type', 'uint16', { strings: { 0x0800: 'IPv4', 0x86dd: 'IPv6' } })
def('ip.src', 'ipv4')
def('ip.dst', 'ipv4')
def('ip.addr', 'ipv4')
def('ip.proto', 'uint8', { strings: { 6: 'TCP', 17: 'UDP' } })
def('ip.flags.df', 'bool')
def('ip.ttl', 'uint8')
def('ipv6.src', 'ipv6')
def('ipv6.dst', 'ipv6')
def('ipv6.addr', 'ipv6')
def('tcp.srcport', 'uint16')
def('tcp.dstport', 'uint16')
def('tcp.port', 'uint16')
def('tcp.flags', 'uint16')
def('tcp.flags.syn', 'bool')
def('tcp.flags.ack', 'bool')
def('tcp.stream', 'uint32')
def('tcp.seq_raw', 'uint32')
def('tcp.payload', 'bytes')
def('tcp.analysis', 'none')
def('tcp.analysis.retransmission', 'none')
def('tcp.options.timestamp.tsval', 'uint32')
def('udp.port', 'uint16')
def('http.request.method', 'string')
def('http.host', 'string')
def('dns.qry.name', 'string')
def('tls.handshake.extensions_server_name', 'string')
def('x.big', 'uint64')
def('x.signed', 'int32')
def('x.ratio', 'double')
const lookup = (name: string): FieldDef | undefined => defs.get(name)

interface N {
  name: string
  value?: FieldValue
  off?: number
  len?: number
  hidden?: boolean
  children?: N[]
}
const f = (name: string, value?: FieldValue, children?: N[], more: Partial<N> = {}): N => ({ name, value, children, ...more })
const hide = (name: string, value: FieldValue): N => ({ name, value, hidden: true })
function build(n: N): FieldNode {
  const out: FieldNode = { name: n.name, off: n.off ?? 0, len: n.len ?? 0 }
  if (n.value !== undefined) out.value = n.value
  if (n.hidden) out.hidden = true
  if (n.children) out.children = n.children.map(build)
  return out
}

// Frame 1: a retransmitted HTTP GET over IPv4/TCP. Bytes: 14 eth + 20 ip + 20 tcp + payload.
const payload = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: www.Example.com\r\n\r\n')
const data1 = new Uint8Array(54 + payload.length)
data1.set([0x00, 0x1b, 0x21, 0x3c, 0x9f, 0x26, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x00], 0)
data1.set([0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 1, 2, 3, 192, 168, 1, 20], 14)
data1.set([0xd3, 0x40, 0x00, 0x50], 34)
data1.set(payload, 54)
const tree1 = [
  f('frame', undefined, [f('frame.len', data1.length), f('frame.number', 7), f('frame.time', { sec: 1277840495, nsec: 135052000 }), f('frame.time_relative', 1.25)], { off: 0, len: data1.length }),
  f('eth', undefined, [f('eth.dst', '00:1b:21:3c:9f:26'), f('eth.src', '00:11:22:33:44:55'), hide('eth.addr', '00:1b:21:3c:9f:26'), hide('eth.addr', '00:11:22:33:44:55'), f('eth.type', 0x0800)], { off: 0, len: 14 }),
  f('ip', undefined, [f('ip.flags.df', true), f('ip.ttl', 64), f('ip.proto', 6), f('ip.src', '10.1.2.3'), f('ip.dst', '192.168.1.20'), hide('ip.addr', '10.1.2.3'), hide('ip.addr', '192.168.1.20')], { off: 14, len: 20 }),
  f('tcp', undefined, [
    f('tcp.srcport', 54080), f('tcp.dstport', 80), hide('tcp.port', 54080), hide('tcp.port', 80),
    f('tcp.stream', 3), f('tcp.seq_raw', 0xfffffff0),
    f('tcp.flags', 0x018, [f('tcp.flags.ack', true), f('tcp.flags.syn', false)]),
    f('tcp.options.timestamp.tsval', 1000), f('tcp.options.timestamp.tsval', 2000),
    f('tcp.analysis', undefined, [f('tcp.analysis.retransmission')]),
    f('tcp.payload', payload, undefined, { off: 54, len: payload.length })
  ], { off: 34, len: 20 }),
  f('http', undefined, [f('http.request.method', 'GET'), f('http.host', 'www.Example.com')], { off: 54, len: payload.length })
].map(build)

// Frame 2: a DNS query over IPv6/UDP, and an ICMP error quoting an IPv4 header (two ip layers).
const data2 = new Uint8Array(80)
const tree2 = [
  f('frame', undefined, [f('frame.len', 80), f('frame.number', 8), f('frame.time', { sec: 1277840496, nsec: 0 }), f('frame.time_relative', 2.5)], { off: 0, len: 80 }),
  f('ipv6', undefined, [f('ipv6.src', 'fe80::1'), f('ipv6.dst', '2001:db8::53'), hide('ipv6.addr', 'fe80::1'), hide('ipv6.addr', '2001:db8::53')], { off: 0, len: 40 }),
  f('udp', undefined, [hide('udp.port', 5353), hide('udp.port', 53)], { off: 40, len: 8 }),
  f('dns', undefined, [f('dns.qry.name', 'ssl.gstatic.com'), f('dns.qry.name', 'www.gstatic.com')], { off: 48, len: 32 }),
  f('ip', undefined, [f('ip.src', '172.16.0.1'), f('ip.dst', '10.9.9.9'), hide('ip.addr', '172.16.0.1'), hide('ip.addr', '10.9.9.9'), f('ip.ttl', 1)], { off: 0, len: 0 }),
  f('icmp', undefined, [
    f('ip', undefined, [f('ip.src', '10.9.9.9'), f('ip.dst', '8.8.8.8'), hide('ip.addr', '10.9.9.9'), hide('ip.addr', '8.8.8.8'), f('ip.ttl', 64)], { off: 0, len: 0 })
  ], { off: 0, len: 0 }),
  f('x', undefined, [f('x.big', 0xfffffffffffffff0n), f('x.signed', -5), f('x.ratio', 0.5)])
].map(build)

function compile(text: string): DisplayFilter {
  const r = compileFilter(text, { lookup })
  if (!r.ok) throw new Error(`${text}: ${r.error.message} at ${r.error.pos}`)
  return r.filter
}
const m1 = (text: string): boolean => compile(text).match(tree1, data1)
const m2 = (text: string): boolean => compile(text).match(tree2, data2)

describe('filter evaluation', () => {
  const cases: [string, boolean, boolean][] = [
    // presence, protocols, hidden fields
    ['tcp', true, false],
    ['dns', false, true],
    ['!tcp', false, true],
    ['tcp.flags.syn', true, false],
    ['ip.addr', true, true],
    ['tcp.analysis.retransmission', true, false],
    ['tcp.analysis.retransmission or dns', true, true],
    // booleans compare as 1/0
    ['tcp.flags.syn == 1 && tcp.flags.ack == 0', false, false],
    ['tcp.flags.syn == 0 && tcp.flags.ack == 1', true, false],
    ['tcp.flags.ack == True', true, false],
    ['tcp.flags.syn == FALSE', true, false],
    ['tcp.flags.ack == 2', true, false],
    ['tcp.flags.syn < tcp.flags.ack', true, false],
    ['ip.flags.df', true, false],
    // integers
    ['tcp.stream eq 3', true, false],
    ['tcp.stream == 0x3', true, false],
    ['tcp.stream == 03', true, false],
    ['tcp.stream == 0b11', true, false],
    ["tcp.port == 'P'", true, false],
    ['tcp.port == 80', true, false],
    ['tcp.port != 80', false, false],
    ['tcp.port !== 80', true, false],
    ['tcp.port ~= 80', true, false],
    ['tcp.port === 80', false, false],
    ['all tcp.port > 79', true, false],
    ['all tcp.port > 80', false, false],
    ['any tcp.port > 80', true, false],
    ['tcp.port in {80, 443}', true, false],
    ['tcp.port in {1..79, 81..1000}', false, false],
    ['tcp.port in {54000..55000}', true, false],
    ['tcp.port not in {80, 443}', false, true],
    ['udp.port != 53', false, false],
    // tshark 4.0: a negative literal for an unsigned field equals and orders against nothing
    ['tcp.port == -1', false, false],
    ['tcp.port != -1', true, false],
    ['tcp.port >= -1', false, false],
    ['tcp.port <= -1', false, false],
    ['tcp.port in {-1..100}', false, false],
    ['x.big > -1', false, false],
    ['x.big & -1', false, false],
    ['udp.port not in {1}', true, true],
    ['frame.len > 1000', false, false],
    ['frame.len >= 80 and frame.len <= 80', false, true],
    ['frame.number == 8', false, true],
    ['tcp.seq_raw == 0xfffffff0', true, false],
    ['tcp.srcport > tcp.dstport', true, false],
    ['tcp.options.timestamp.tsval == 2000', true, false],
    ['ip.proto == TCP', true, false],
    ['ip.proto == "tcp"', true, false],
    ['ip.proto == UDP', false, false],
    ['eth.type == IPv4', true, false],
    ['x.big > 0xfffffffffffffff0', false, false],
    ['x.big == 18446744073709551600', false, true],
    ['x.signed < -4', false, true],
    ['x.ratio == 0.5', false, true],
    ['x.ratio > 1e-1', false, true],
    ['tcp.flags & 0x10', true, false],
    ['tcp.flags & 0x12 == 0x12', false, false],
    ['tcp.flags & 0x12 == 0x10', true, false],
    // addresses and CIDR
    ['ip.addr == 10.0.0.0/8', true, true],
    ['ip.src == 192.168.1.0/24 or ipv6', false, true],
    ['ip.dst == 192.168.1.0/24 or ipv6', true, true],
    ['tcp.flags.syn == 0 && ip.addr == 10.0.0.0/8', true, false],
    ['ip.src == 10.1.2.3', true, false],
    ['ip.src != 10.1.2.3', false, true],
    ['ip.src > 10.1.2.2', true, true],
    ['ip.addr in {192.168.0.0/16, 8.8.8.8}', true, true],
    ['ip.src & 255.0.0.0 == 10.0.0.0', true, true],
    ['ipv6.addr == fe80::/10', false, true],
    ['ipv6.src == fe80:0:0::1', false, true],
    ['ipv6.dst == 2001:db8::53', false, true],
    ['ipv6.dst == 2001:db8::0.0.0.83', false, true],
    ['eth.src == 00:11:22:33:44:55', true, false],
    ['eth.src == 00-11-22-33-44-55', true, false],
    ['eth.src == 0011.2233.4455', true, false],
    ['eth.addr == 00:1b:21:3c:9f:26', true, false],
    ['eth.src[0:3] == 00:11:22', true, false],
    ['eth.src[1-2] == 11:22', true, false],
    ['eth.src[-1] == 55', true, false],
    ['eth.src[4:] == 44:55', true, false],
    ['eth.src[5:2] == 55', false, false],
    ['ip.src[0] == 0a', true, true],
    ['eth.src[0:3] == eth.dst[0:3]', false, false],
    ['eth.src > eth.dst', false, false],
    // layers: the second ip header is the one an ICMP error quotes
    ['ip.addr#2 == 8.8.8.8', false, true],
    ['ip.addr#1 == 8.8.8.8', false, false],
    ['ip.ttl#2 == 64', false, true],
    ['ip#2', false, true],
    ['count(ip.addr) == 4', false, true],
    ['count(ip.addr#2) == 2', false, true],
    // strings, contains, matches
    ['http.request.method == "GET"', true, false],
    ['http.request.method == GET', true, false],
    ['http.request.method == "get"', false, false],
    ['http.request.method in {"GET", "HEAD"}', true, false],
    ['http.host contains "Example"', true, false],
    ['http.host contains "example"', false, false],
    ['http.host matches "example\\\\.com$"', true, false],
    ['http.host matches "(?-i)example"', false, false],
    ['http.host matches r"^www\\."', true, false],
    ['lower(http.host) == "www.example.com"', true, false],
    ['upper(http.request.method) == "GET"', true, false],
    ['len(http.host) == 15', true, false],
    ['len(eth.src) == 6', true, false],
    ['http.host[0:3] == "www"', true, false],
    ['dns.qry.name contains "gstatic"', false, true],
    ['dns.qry.name == "www.gstatic.com"', false, true],
    ['dns.qry.name === "www.gstatic.com"', false, false],
    ['http.request.method < "HEAD"', true, false],
    // bytes and protocols (read from the frame data)
    ['tcp.payload contains "Host:"', true, false],
    ['tcp.payload contains 47:45:54', true, false],
    ['tcp.payload contains 474554', true, false],
    ['tcp.payload[0:3] == 47.45.54', true, false],
    ['tcp.payload[0:3] == "GET"', true, false],
    ['tcp.payload matches "^get /"', true, false],
    ['frame contains "GET"', true, false],
    ['http contains "HTTP/1.1"', true, false],
    ['ip contains 0a:01:02:03', true, false],
    ['tcp contains 00:50', true, false],
    ['tcp[2:2] == 00:50', true, false],
    // A protocol's bytes run to the end of what it carries, as in Wireshark (its whole tvb).
    ['tcp contains "GET"', true, false],
    ['eth contains "Host:"', true, false],
    // ... but ==, slices and len() see only the protocol item's own bytes (tshark -T fields / -V).
    ['ip[20:2] == d3:40', false, false],
    ['ip[19] == 14', true, false],
    ['len(ip) == 20', true, false],
    ['len(frame) == 95', true, false],
    ['http contains 00:50', false, false],
    ['frame[12:2] == 08:00', true, false],
    // times
    ['frame.time_relative > 2', false, true],
    ['frame.time_relative <= 1.25s', true, false],
    ['frame.time >= "2010-06-29 19:41:35 UTC"', true, true],
    ['frame.time > "Jun 29, 2010 19:41:35.135052001 UTC"', false, true],
    ['frame.time == "2010-06-29T19:41:35.135052Z"', true, false],
    // logic
    ['tcp or dns and not ip', true, false],
    ['(tcp or dns) and not ip', false, false],
    ['not tcp.port == 80', false, true]
  ]
  for (const [text, want1, want2] of cases) {
    it(text, () => {
      expect([m1(text), m2(text)]).toEqual([want1, want2])
    })
  }

  it('matches everything with the empty filter and reports what it reads', () => {
    const e = compile('  ')
    expect(e.text).toBe('')
    expect(e.match(tree1, data1)).toBe(true)
    const g = compile('tcp.port==80&&ip.addr in {10.0.0.0/8}||!dns')
    expect(g.text).toBe('tcp.port == 80 and ip.addr in {10.0.0.0/8} or not dns')
    expect(g.fields).toEqual(['tcp.port', 'ip.addr', 'dns'])
  })

  it('skips occurrences whose value is unusable instead of throwing', () => {
    const bad = [build(f('ip', undefined, [f('ip.src', 'not an address'), f('ip.addr', 42), f('tcp.port', 'eighty'), f('ip.ttl')]))]
    expect(compile('ip.src == 1.2.3.4').match(bad, new Uint8Array(0))).toBe(false)
    expect(compile('ip.addr == 0.0.0.42').match(bad, new Uint8Array(0))).toBe(true)
    expect(compile('tcp.port == 80').match(bad, new Uint8Array(0))).toBe(false)
    expect(compile('ip.ttl').match(bad, new Uint8Array(0))).toBe(true)
    expect(compile('ip contains 00').match([build(f('ip', undefined, [], { off: 100, len: 20 }))], new Uint8Array(4))).toBe(false)
  })

  it('reuses buffers across frames without leaking values from one frame to the next', () => {
    const g = compile('tcp.port == 80')
    expect(g.match(tree1, data1)).toBe(true)
    expect(g.match(tree2, data2)).toBe(false)
    expect(g.match(tree1, data1)).toBe(true)
  })
})

describe('filter semantic errors (tshark 4.0 wording, position of the offending token)', () => {
  const cases: [string, string, number, number][] = [
    ['tcp.flgs', 'tcp.flgs is neither a field nor a protocol name.', 0, 8],
    ['tcp and foo', 'foo is neither a field nor a protocol name.', 8, 11],
    ['"abc"', '"abc" is neither a field nor a protocol name.', 0, 5],
    ['tcp.flgs == 1', 'Left side of "==" expression must be a field or function, not tcp.flgs.', 0, 8],
    ['tcp.flgs contains 1', 'Left side of contains expression must be a field or function, not tcp.flgs.', 0, 8],
    ['80 == tcp.port', 'Left side of "==" expression must be a field or function, not 80.', 0, 2],
    ['"abc" == tcp.port', 'Left side of "==" expression must be a field or function, not "abc".', 0, 5],
    ['ip.src == foo', '"foo" is not a valid hostname or IPv4 address.', 10, 13],
    ['ip.src == tcp.flgs', '"tcp.flgs" is not a valid hostname or IPv4 address.', 10, 18],
    ['ip.src == 10.0.0', '"10.0.0" is not a valid hostname or IPv4 address.', 10, 16],
    ['ip.src == 10.0.0.256', '"10.0.0.256" is not a valid hostname or IPv4 address.', 10, 20],
    ['ip.addr == 10.0.0.0/33', 'Netmask bits in a CIDR IPv4 address should be <= 32, not 33', 11, 22],
    ['ip.src == "10.0.0.1"', 'IPv4 address cannot be converted from a string ("10.0.0.1").', 10, 20],
    ['ipv6.src == foo', '"foo" is not a valid hostname or IPv6 address.', 12, 15],
    ['ipv6.addr == fe80::1/129', 'Prefix in a IPv6 address should be <= 128, not 129', 13, 24],
    ['eth.src == zz', '"zz" is not a valid Ethernet address.', 11, 13],
    ['eth.src == 00112233', '"00112233" contains too few bytes to be a valid Ethernet address.', 11, 19],
    ['eth.src == 00:11:22:33:44:55:66', '"00:11:22:33:44:55:66" contains too many bytes to be a valid Ethernet address.', 11, 31],
    ['tcp.payload contains zz', '"zz" is not a valid byte string.', 21, 23],
    ['frame == zz', '"zz" is not a valid byte string.', 9, 11],
    ['tcp.port == foo', '"foo" is not a valid number.', 12, 15],
    ['tcp.port == 80.0', '"80.0" is not a valid number.', 12, 16],
    ['tcp.port == 08', '"08" is not a valid number.', 12, 14],
    ['tcp.port == 65536', '"65536" too big for this field, maximum 65535.', 12, 17],
    ['frame.len == 0x100000000', '"0x100000000" too big for this field, maximum 4294967295.', 13, 24],
    ['tcp.port == 99999999999999999999', '"99999999999999999999" causes an integer overflow.', 12, 32],
    ['tcp.port > "abc"', 'Unsigned integer (2 bytes) cannot be converted from a string ("abc").', 11, 16],
    ['tcp.port in {"80"}', 'Unsigned integer (2 bytes) cannot be converted from a string ("80").', 13, 17],
    ['tcp.flags.syn == true', '"true" cannot be found among the possible values for tcp.flags.syn.', 17, 21],
    ['tcp.flags.syn == "1"', '"1" cannot be found among the possible values for tcp.flags.syn.', 17, 20],
    ['tcp.flags.syn contains 1', 'tcp.flags.syn (type=Boolean) cannot participate in contains comparison.', 0, 13],
    ['tcp.port contains 80', 'tcp.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.', 0, 8],
    ['frame.len matches "x"', 'frame.len (type=Unsigned integer (4 bytes)) cannot participate in matches comparison.', 0, 9],
    ['ip.src contains 10', 'ip.src (type=IPv4 address) cannot participate in contains comparison.', 0, 6],
    ['tcp.analysis == 1', 'tcp.analysis (type=Label) cannot participate in == comparison.', 0, 12],
    ['tcp.analysis > 1', 'tcp.analysis (type=Label) cannot participate in > comparison.', 0, 12],
    ['frame.time_relative == foo', '"foo" is not a valid time.', 23, 26],
    [
      'frame.time > foo',
      '"foo" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"',
      13,
      16
    ],
    ['ip.src == tcp.port', 'ip.src and tcp.port are not of compatible types.', 10, 18],
    ['ip.proto == tcp', 'ip.proto and tcp are not of compatible types.', 12, 15],
    ['tcp.flgs in {1}', 'Only a field may be tested for membership in a set.', 0, 8],
    ['count(tcp.flgs) == 1', 'Only fields can be used as parameter for count()', 6, 14],
    ['count(80) == 1', 'Only fields can be used as parameter for count()', 6, 8],
    ['len(tcp)', 'You cannot test whether a function is present.', 0, 3],
    ['lower(tcp.port) == 1', 'Only string type fields can be used as parameter for lower()', 6, 14],
    ['foo(http.host) == "x"', "Function 'foo' does not exist", 0, 3],
    ['tcp.port[0] == 00', '"tcp.port" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.', 0, 8],
    ['tcp.flags.syn & 1', 'FT_BOOLEAN cannot &.', 0, 13],
    ['http.host matches "["', 'Regex compilation error: missing terminating ] for character class.', 18, 21]
  ]
  for (const [text, message, pos, end] of cases) {
    it(text, () => {
      const r = compileFilter(text, { lookup })
      expect(r.ok ? 'compiled' : r.error).toEqual({ message, pos, end })
    })
  }

  it('reports syntax errors before semantic ones', () => {
    const r = compileFilter('tcp.flgs ==', { lookup })
    expect(r.ok ? null : r.error).toEqual({ message: 'Unexpected end of filter expression.', pos: 11, end: 11 })
  })
})
