// format.ts prints every field type as `tshark -T fields` (4.0) does, and the field registry of
// the lower layers agrees with tshark's own (`tshark -G fields`): names, titles, types, bases,
// masks. Both checked against the tshark installed here, on packets written to a temp file.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { IpDefragmenter } from '../src/main/analysis/ip-defrag'
import '../src/main/dissect'
import { allFields, type FieldDef } from '../src/main/dissect/fields'
import { epochText, escapeText, formatValue, gText, ipv6String } from '../src/main/dissect/format'
import { cat, eth, icmp, icmp6, ip4, ip6, ipv4, ipv6, mac, run, u16, u32, udp } from './dissect-lower-packets'

const TS = 1700000000
const dir = mkdtempSync(join(tmpdir(), 'wirenote-format-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function writePcap(name: string, linktype: number, frames: Uint8Array[]): string {
  const head = new Uint8Array(24)
  const hv = new DataView(head.buffer)
  hv.setUint32(0, 0xa1b2c3d4, true)
  hv.setUint16(4, 2, true)
  hv.setUint16(6, 4, true)
  hv.setUint32(16, 65535, true)
  hv.setUint32(20, linktype, true)
  const parts: Uint8Array[] = [head]
  for (const f of frames) {
    const rh = new Uint8Array(16)
    const rv = new DataView(rh.buffer)
    rv.setUint32(0, TS, true)
    rv.setUint32(4, 0, true)
    rv.setUint32(8, f.length, true)
    rv.setUint32(12, f.length, true)
    parts.push(rh, f)
  }
  const path = join(dir, name)
  writeFileSync(path, cat(...parts))
  return path
}

function tsharkFields(path: string, fields: string[]): string[][] {
  const out = spawnSync('tshark', ['-n', '-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' }).stdout
  return out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'))
}

function compare(path: string, linktype: number, frames: Uint8Array[], fields: string[], only?: Set<number>): string[] {
  const want = tsharkFields(path, fields)
  const defrag = new IpDefragmenter()
  const diffs: string[] = []
  frames.forEach((f, i) => {
    const r = run(f, linktype, { defrag, number: i + 1, tsSec: TS })
    if (only && !only.has(i + 1)) return
    fields.forEach((name, k) => {
      const got = r.col(name)
      const exp = want[i]?.[k] ?? ''
      if (got !== exp) diffs.push(`#${i + 1} ${name}: ours '${got}', tshark '${exp}'`)
    })
  })
  return diffs
}

const lcp = [1, 0, ...u16(14), 5, 6, ...u32(0x021952cf), 7, 2, 8, 2]
const ppp = [0xff, 0x03, ...u16(0xc021), ...lcp]
const quoted = ipv4(17, udp([1, 2]), { src: '10.0.0.2', dst: '10.0.0.9' }).subarray(0, 28)
const innerEth = eth(0x0800, ipv4(17, udp([1])), 'aa:aa:aa:aa:aa:aa', 'bb:bb:bb:bb:bb:bb')
const fragPayload = udp(new Array(60).fill(0x59), 3333, 4444)

const ETH_FRAMES: Uint8Array[] = [
  // 1: DF, TTL 64, DSCP EF, echo with a ping timestamp
  eth(0x0800, ipv4(1, icmp(8, 0, [0, 3, 0, 1], cat([...u32(TS - 1)].reverse(), [...u32(250000)].reverse(), [1, 2, 3])), { flags: 2 })),
  // 2: options (record route, timestamp), padding to 60 + FCS
  cat(eth(0x0800, ipv4(1, icmp(0, 0, [0, 1, 0, 1]), { options: [7, 11, 8, ...ip4('1.2.3.4'), ...ip4('0.0.0.0'), 1, 68, 12, 5, 0, ...u32(123), ...u32(0)] })), [0xde, 0xad, 0xbe, 0xef]),
  // 3: router alert + IGMPv2 query, padding
  cat(eth(0x0800, ipv4(2, [0x11, 0x64, 0xee, 0x9b, 0, 0, 0, 0], { options: [148, 4, 0, 0], dst: '224.0.0.1', ttl: 1 })), new Uint8Array(10)),
  // 4: strict source route
  eth(0x0800, ipv4(1, icmp(8, 0, [0, 1, 0, 2]), { options: [1, 137, 7, 4, ...ip4('0.0.0.0')], dst: '10.0.0.138' })),
  // 5: ICMP error quoting UDP
  eth(0x0800, ipv4(1, icmp(3, 3, [0, 0, 0, 0], quoted), { src: '10.0.0.9', dst: '10.0.0.2' })),
  // 6: VLAN + ARP with trailer
  cat(eth(0x8100, cat(u16((5 << 13) | 118), u16(0x0806), [...u16(1), ...u16(0x0800), 6, 4, ...u16(1), ...mac('00:11:22:33:44:55'), ...ip4('10.0.0.2'), ...mac('00:00:00:00:00:00'), ...ip4('10.0.0.1')])), new Uint8Array(14).fill(0x20)),
  // 7: IPv6 hop-by-hop + dstopts + routing + AH + UDP
  eth(0x86dd, ipv6(0, [60, 0, 5, 2, 0, 0, 1, 0, 43, 0, 11, 1, 9, 1, 1, 0, 51, 2, 0, 1, 0, 0, 0, 0, ...ip6('2200::210:2:0:0:4'), 17, 4, 0, 0, ...u32(0x100), ...u32(32), ...new Array(12).fill(0x35), ...udp([7])])),
  // 8-9: IPv4 fragments
  eth(0x0800, ipv4(17, fragPayload.slice(0, 48), { flags: 1, frag: 0, id: 77 })),
  eth(0x0800, ipv4(17, fragPayload.slice(48), { flags: 0, frag: 6, id: 77 })),
  // 10: ICMPv6 NA
  eth(0x86dd, icmp6(136, 0, [...u32(0xe0000000), ...ip6('fe80::1'), 2, 1, ...mac('00:11:22:33:44:66')])),
  // 11: ICMPv6 echo with data
  eth(0x86dd, icmp6(128, 0, [...u16(0x1234), ...u16(7), 1, 2])),
  // 12: GRE v1 / PPP / LCP
  eth(0x0800, ipv4(47, cat(u16(0x3001), u16(0x880b), u16(ppp.length), u16(0), u32(0), ppp))),
  // 13: GRE with key to ERSPAN II
  eth(0x0800, ipv4(47, cat(u16(0x3000), u16(0x88be), u32(42), u32(7), u16(0x1001), u16(5), u32(0), innerEth))),
  // 14: 802.3 + LLC/SNAP + CDP
  (() => {
    const cdp = cat([2, 180, 0, 0], u16(1), u16(6), [0x52, 0x31])
    const llc = cat([0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c], u16(0x2000), cdp)
    return cat(mac('01:00:0c:cc:cc:cc'), mac('00:0f:34:5f:16:8d'), u16(llc.length), llc, new Uint8Array(60 - 14 - llc.length))
  })(),
  // 15: IPv6 with traffic class and flow label
  (() => {
    const p = ipv6(17, udp([1]), 'fe80::8c36:6ff:fe44:acaf', 'ff02::1')
    p[0] = 0x63
    p[3] = 0x01
    return eth(0x86dd, p)
  })(),
  // 16: OSPFv2 hello
  eth(0x0800, ipv4(89, [2, 1, ...u16(44), ...ip4('1.1.1.1'), ...ip4('0.0.0.1'), 0, 0, 0, 0, ...new Array(8).fill(0), ...ip4('255.255.255.0'), ...u16(10), 2, 1, ...u32(40), ...ip4('0.0.0.0'), ...ip4('0.0.0.0')], { dst: '224.0.0.5' }))
]

const ETH_FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.time', 'frame.len', 'frame.cap_len', 'frame.marked', 'frame.encap_type',
  'eth.type', 'eth.addr', 'eth.lg', 'eth.dst.ig', 'eth.dst.oui', 'eth.addr_resolved', 'eth.padding', 'eth.trailer', 'eth.fcs', 'eth.len',
  'vlan.id', 'vlan.priority', 'vlan.dei', 'vlan.etype', 'vlan.trailer',
  'ip.version', 'ip.hdr_len', 'ip.dsfield', 'ip.dsfield.dscp', 'ip.dsfield.ecn', 'ip.len', 'ip.flags', 'ip.flags.rb', 'ip.flags.df', 'ip.flags.mf',
  'ip.frag_offset', 'ip.id', 'ip.ttl', 'ip.proto', 'ip.checksum', 'ip.checksum.status', 'ip.src', 'ip.dst', 'ip.addr', 'ip.host', 'ip.src_host',
  'ip.opt.type', 'ip.opt.type.copy', 'ip.opt.type.class', 'ip.opt.type.number', 'ip.opt.len', 'ip.opt.ptr', 'ip.opt.ra', 'ip.rec_rt', 'ip.empty_rt',
  'ip.opt.time_stamp', 'ip.opt.overflow', 'ip.opt.flag', 'ip.cur_rt', 'ip.fragment', 'ip.fragment.count', 'ip.reassembled.length',
  'ipv6.version', 'ipv6.tclass', 'ipv6.tclass.dscp', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.addr', 'ipv6.src_slaac_mac',
  'ipv6.hopopts.nxt', 'ipv6.hopopts.len_oct', 'ipv6.opt.type', 'ipv6.opt.type.action', 'ipv6.opt.type.change', 'ipv6.opt.length', 'ipv6.opt.padn',
  'ipv6.opt.router_alert', 'ipv6.opt.unknown', 'ipv6.routing.type', 'ipv6.routing.segleft', 'ipv6.routing.src.reserved', 'ipv6.routing.src.addr',
  'ah.spi', 'ah.sequence', 'ah.icv', 'ah.length',
  'icmp.type', 'icmp.code', 'icmp.checksum', 'icmp.checksum.status', 'icmp.ident', 'icmp.ident_le', 'icmp.seq', 'icmp.seq_le', 'icmp.unused',
  'icmp.data_time', 'icmp.data_time_relative',
  'icmpv6.type', 'icmpv6.checksum.status', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number', 'icmpv6.nd.na.flag', 'icmpv6.nd.na.flag.r',
  'icmpv6.nd.na.target_address', 'icmpv6.opt.type', 'icmpv6.opt.length', 'icmpv6.opt.linkaddr',
  'arp.hw.type', 'arp.proto.type', 'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4',
  'igmp.version', 'igmp.type', 'igmp.max_resp', 'igmp.checksum.status', 'igmp.maddr',
  'gre.flags_and_version', 'gre.flags.key', 'gre.flags.recursion_control', 'gre.flags.version', 'gre.proto', 'gre.key', 'gre.key.call_id', 'gre.sequence_number',
  'ppp.address', 'ppp.protocol', 'ppp.code', 'ppp.identifier', 'lcp.opt.type', 'lcp.opt.magic_number',
  'erspan.version', 'erspan.vlan', 'erspan.spanid', 'erspan.index',
  'llc.dsap', 'llc.dsap.ig', 'llc.control', 'llc.control.ftype', 'llc.oui', 'llc.cisco_pid',
  'cdp.version', 'cdp.ttl', 'cdp.deviceid', 'cdp.tlv.type',
  'ospf.version', 'ospf.msg', 'ospf.area_id', 'ospf.v2.options', 'ospf.v2.options.e', 'ospf.hello.hello_interval'
]

describe('-T fields text of every field type, as tshark prints it', () => {
  it('Ethernet frames', () => {
    const path = writePcap('eth.pcap', 1, ETH_FRAMES)
    expect(compare(path, 1, ETH_FRAMES, ETH_FIELDS)).toEqual([])
    // `data` made by these layers (ICMP echo payload, an IPv4 fragment, ICMPv6 echo payload);
    // UDP payloads elsewhere are the transport layers' business
    expect(compare(path, 1, ETH_FRAMES, ['data.data', 'data.len'], new Set([1, 8, 11]))).toEqual([])
  })

  it('Linux cooked and BSD loopback headers', () => {
    const udp4 = ipv4(17, udp([1]))
    const sll = [cat(u16(4), u16(1), u16(6), mac('00:11:22:33:44:55'), [0, 0], u16(0x0800), udp4)]
    expect(compare(writePcap('sll.pcap', 113, sll), 113, sll, ['sll.pkttype', 'sll.hatype', 'sll.halen', 'sll.src.eth', 'sll.unused', 'sll.etype'])).toEqual([])
    const sll2 = [cat(u16(0x86dd), [0, 0], u32(3), u16(772), [0, 6], mac('00:00:00:00:00:00'), [0, 0], ipv6(17, udp([9])))]
    expect(compare(writePcap('sll2.pcap', 276, sll2), 276, sll2, ['sll.etype', 'sll.ifindex', 'sll.hatype', 'sll.pkttype', 'sll.halen', 'sll.src.eth'])).toEqual([])
    const nul = [cat([2, 0, 0, 0], udp4), cat([0, 0, 0, 30], ipv6(17, udp())), cat([0x0f, 0, 8, 0], udp4)]
    expect(compare(writePcap('null.pcap', 0, nul), 0, nul, ['frame.protocols', 'null.family', 'null.type'])).toEqual([])
  })
})

describe('packet-list columns', () => {
  it('Protocol, Info, Source and Destination where these layers have the last word', () => {
    const path = writePcap('cols.pcap', 1, ETH_FRAMES)
    const out = spawnSync('tshark', ['-n', '-o', 'nameres.mac_name:FALSE', '-r', path, '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', '_ws.col.Source', '-e', '_ws.col.Destination'], { encoding: 'utf8' }).stdout
    const want = out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'))
    const defrag = new IpDefragmenter()
    const diffs: string[] = []
    ETH_FRAMES.forEach((f, i) => {
      const r = run(f, 1, { defrag, number: i + 1, tsSec: TS })
      // frames whose innermost layer is the transport's (7, 9, 13, 15) are not ours to check
      if (![1, 3, 4, 5, 6, 8, 10, 11, 12, 14, 16].includes(i + 1)) return
      const got = [r.d.ctx.protocol, r.d.ctx.info, r.d.ctx.src, r.d.ctx.dst]
      got.forEach((g, k) => {
        if (g !== want[i][k]) diffs.push(`#${i + 1} column ${k}: ours '${g}', tshark '${want[i][k]}'`)
      })
    })
    expect(diffs).toEqual([])
  })
})

describe('format.ts helpers', () => {
  it('RFC 5952 IPv6 text', () => {
    const t = (s: string): string => ipv6String(new Uint8Array(ip6(s)), 0)
    expect(t('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1')
    expect(t('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1')
    expect(t('0:0:0:0:0:0:0:1')).toBe('::1')
    expect(t('0:0:0:0:0:0:0:0')).toBe('::')
    expect(t('fe80:0:0:0:0:0:0:0')).toBe('fe80::')
    expect(ipv6String(new Uint8Array([...new Array(10).fill(0), 0xff, 0xff, 10, 0, 0, 1]), 0)).toBe('::ffff:10.0.0.1')
  })

  it('times, strings and doubles as tshark prints them', () => {
    expect(epochText({ sec: 1418145370, nsec: 1000000000 })).toBe('1418145370.1000000000')
    expect(epochText({ sec: -1418145370, nsec: 2147483648 })).toBe('-1418145370.2147483648')
    expect(epochText({ sec: 0, nsec: 5 })).toBe('0.000000005')
    expect(escapeText('GET / HTTP/1.1\r\n')).toBe('GET / HTTP/1.1\\r\\n')
    expect(escapeText('\\Device\\NPF_{x}\x01')).toBe('\\Device\\NPF_{x}\\x01')
    expect(gText(0.1)).toBe('0.1')
    expect(gText(1e-7)).toBe('1e-07')
    expect(gText(123456789012345680)).toBe('1.23456789012346e+17')
    const none: FieldDef = { name: 'x', title: 'X', type: 'none' }
    expect(formatValue(none, undefined)).toBe('1')
    expect(formatValue({ name: 'y', title: 'Y', type: 'uint64', base: 'hex' }, 255n)).toBe('0x00000000000000ff')
    expect(formatValue({ name: 'z', title: 'Z', type: 'bytes' }, new Uint8Array(0))).toBe('<none>')
  })
})

// ---- the registry against tshark -G fields ------------------------------------------------

const TYPES: Record<string, FieldDef['type'][]> = {
  FT_PROTOCOL: ['protocol'],
  FT_NONE: ['none'],
  FT_BOOLEAN: ['bool'],
  FT_UINT8: ['uint8'],
  FT_UINT16: ['uint16'],
  FT_UINT24: ['uint24'],
  FT_UINT32: ['uint32'],
  FT_UINT64: ['uint64'],
  FT_INT8: ['int8'],
  FT_INT16: ['int16'],
  FT_INT32: ['int32'],
  FT_DOUBLE: ['double'],
  FT_IPv4: ['ipv4'],
  FT_IPv6: ['ipv6'],
  FT_ETHER: ['ether'],
  FT_STRING: ['string'],
  FT_STRINGZ: ['string'],
  FT_BYTES: ['bytes'],
  FT_ABSOLUTE_TIME: ['abstime'],
  // frame.time_epoch is FT_RELATIVE_TIME in 4.0 and an absolute time printed as epoch seconds since 4.2
  FT_RELATIVE_TIME: ['reltime', 'abstime'],
  FT_FRAMENUM: ['framenum']
}

/**
 * Wireshark registers these names twice with different types or masks, and -G lists only the
 * first; ours follow the registration the dissector uses for what it shows (checked above
 * against -T fields output): the U/S-frame form of llc.control.ftype, the PPTP form of
 * gre.flags.reserved, and ICMPv6 link-layer addresses, FT_BYTES with ':' separators that print
 * exactly as an Ethernet address.
 */
const REGISTERED_TWICE = new Set(['llc.control.ftype', 'gre.flags.reserved', 'icmpv6.opt.linkaddr', 'icmpv6.opt.src_linkaddr', 'icmpv6.opt.target_linkaddr'])

/** Bases that change the -T fields text (hex vs decimal). */
function hexBase(b: string | undefined): boolean {
  return b === 'BASE_HEX' || b === 'BASE_HEX_DEC'
}

const OURS = /^(frame|eth|ethertype|vlan|ieee8021ad|ieee8021ah|llc|cdp|stp|lldp|sll|null|raw|ip|ipv6|ah|icmp|icmpv6|igmp|arp|gre|ppp|lcp|erspan|aoe|ospf|data|pkt_comment)(\.|$)/

describe('the field registry of these layers is tshark’s', () => {
  it('names, titles, types, bases and masks match `tshark -G fields`', () => {
    const text = execFileSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })
    const ts = new Map<string, { title: string; type: string; base: string; mask: number }>()
    for (const line of text.split('\n')) {
      const p = line.split('\t')
      if (p[0] === 'P') ts.set(p[2], { title: p[1], type: 'FT_PROTOCOL', base: '', mask: 0 })
      else if (p[0] === 'F' && !ts.has(p[2])) ts.set(p[2], { title: p[1], type: p[3], base: p[5], mask: parseInt(p[6], 16) })
    }
    const diffs: string[] = []
    for (const def of allFields()) {
      if (!OURS.test(def.name) || REGISTERED_TWICE.has(def.name)) continue
      const t = ts.get(def.name)
      if (!t) {
        diffs.push(`${def.name}: not a tshark field`)
        continue
      }
      if (!TYPES[t.type]?.includes(def.type)) diffs.push(`${def.name}: type ${def.type}, tshark ${t.type}`)
      if (t.type !== 'FT_PROTOCOL' && def.type !== 'protocol' && t.title !== def.title) diffs.push(`${def.name}: title '${def.title}', tshark '${t.title}'`)
      const intType = /^FT_U?INT/.test(t.type)
      if (intType && hexBase(t.base) !== (def.base === 'hex' || def.base === 'hex_dec')) diffs.push(`${def.name}: base ${def.base}, tshark ${t.base}`)
      if (t.mask && def.mask !== undefined && def.mask >>> 0 !== t.mask >>> 0) diffs.push(`${def.name}: mask ${def.mask.toString(16)}, tshark ${t.mask.toString(16)}`)
    }
    expect(diffs).toEqual([])
  })
})
