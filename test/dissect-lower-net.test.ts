// Network-layer dissectors on hand-built packets: ARP, IPv4 (options, bogus headers,
// fragments with and without reassembly), IPv6 (extension headers, fragments), ICMP/ICMPv6
// (echo, quoted packets), IGMP, GRE (PPP/LCP, ERSPAN, Ethernet), OSPF, AH.
import { describe, expect, it } from 'vitest'
import { IpDefragmenter } from '../src/main/analysis/ip-defrag'
import { cat, eth, icmp, icmp6, ip4, ip6, ipv4, ipv6, mac, offsetsInFrame, run, u16, u32, udp } from './dissect-lower-packets'

function arp(op: number, sha: string, spa: string, tha: string, tpa: string): number[] {
  return [...u16(1), ...u16(0x0800), 6, 4, ...u16(op), ...mac(sha), ...ip4(spa), ...mac(tha), ...ip4(tpa)]
}

describe('ARP', () => {
  it('request, reply, probe, announcement, RARP: tshark Info texts', () => {
    const req = run(eth(0x0806, arp(1, '00:11:22:33:44:55', '10.0.0.2', '00:00:00:00:00:00', '10.0.0.1')))
    expect(req.protocols).toBe('eth:ethertype:arp')
    expect(req.d.ctx.info).toBe('Who has 10.0.0.1? Tell 10.0.0.2')
    expect(req.d.tree[2].label).toBe('Address Resolution Protocol (request)')
    expect(req.label('arp.opcode')).toBe('Opcode: request (1)')
    expect(req.col('arp.src.hw_mac')).toBe('00:11:22:33:44:55')
    expect(req.col('arp.dst.proto_ipv4')).toBe('10.0.0.1')
    expect(req.d.ctx.src).toBe('66:77:88:99:aa:bb')
    const rep = run(eth(0x0806, arp(2, '00:80:ea:81:88:63', '172.21.79.100', '00:20:d2:5a:fb:3f', '172.21.79.97')))
    expect(rep.d.ctx.info).toBe('172.21.79.100 is at 00:80:ea:81:88:63')
    expect(run(eth(0x0806, arp(1, '00:11:22:33:44:55', '0.0.0.0', '00:00:00:00:00:00', '10.0.0.9'))).d.ctx.info).toBe('Who has 10.0.0.9? (ARP Probe)')
    expect(run(eth(0x0806, arp(1, '00:11:22:33:44:55', '10.0.0.9', '00:00:00:00:00:00', '10.0.0.9'))).d.ctx.info).toBe('ARP Announcement for 10.0.0.9')
    const rarp = run(eth(0x8035, arp(3, '8e:36:06:44:ac:af', '0.0.0.0', '00:00:00:00:00:00', '0.0.0.0')))
    expect(rarp.protocols).toBe('eth:ethertype:arp')
    expect(rarp.d.ctx.protocol).toBe('RARP')
    expect(rarp.d.ctx.info).toBe('Who is 00:00:00:00:00:00? Tell 8e:36:06:44:ac:af')
  })

  it('a cut ARP packet is malformed', () => {
    const r = run(eth(0x0806, [0, 1, 8, 0, 6, 4, 0]))
    expect(r.protocols).toBe('eth:ethertype:arp')
    expect(r.d.ctx.malformed).toBe(true)
  })
})

describe('IPv4', () => {
  it('header fields, -T fields texts and labels', () => {
    const r = run(eth(0x0800, ipv4(17, udp([1]), { flags: 2, ttl: 64, id: 0xaf8c })))
    expect(r.col('ip.version')).toBe('4')
    expect(r.col('ip.hdr_len')).toBe('20')
    expect(r.col('ip.dsfield')).toBe('0x00')
    expect(r.col('ip.flags')).toBe('0x02')
    expect(r.col('ip.flags.df')).toBe('1')
    expect(r.col('ip.id')).toBe('0xaf8c')
    expect(r.col('ip.checksum.status')).toBe('2')
    expect(r.col('ip.addr')).toBe('10.0.0.1,10.0.0.2')
    expect(r.col('ip.host')).toBe('10.0.0.1,10.0.0.2')
    expect(r.label('ip.version')).toBe('0100 .... = Version: 4')
    expect(r.label('ip.hdr_len')).toBe('.... 0101 = Header Length: 20 bytes (5)')
    expect(r.label('ip.dsfield')).toBe('Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)')
    expect(r.label('ip.flags')).toBe("010. .... = Flags: 0x2, Don't fragment")
    expect(r.label('ip.flags.rb')).toBe('0... .... = Reserved bit: Not set')
    expect(r.label('ip.frag_offset')).toBe('...0 0000 0000 0000 = Fragment Offset: 0')
    expect(r.label('ip.ttl')).toBe('Time to Live: 64')
    expect(r.label('ip.proto')).toBe('Protocol: UDP (17)')
    expect(r.label('ip.id')).toBe('Identification: 0xaf8c (44940)')
    expect(r.label('ip.src')).toBe('Source Address: 10.0.0.1')
    expect(r.nodes('ip.addr').every((n) => n.hidden)).toBe(true)
    expect(r.d.tree[2].label).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2')
    const net = r.d.ctx.net
    expect(net).toMatchObject({ version: 4, src: '10.0.0.1', dst: '10.0.0.2', proto: 17, srcOff: 26, dstOff: 30, addrLen: 4, payloadOff: 34, payloadLen: 9, fragment: false, ttl: 64 })
    expect(r.d.ctx.src).toBe('10.0.0.1')
    expect(r.d.ctx.protocol).not.toBe('')
  })

  it('options: record route, timestamp, router alert, strict source route (ip.dst is the final hop)', () => {
    const rr = [7, 11, 8, ...ip4('1.2.3.4'), ...ip4('0.0.0.0'), 0]
    const r1 = run(eth(0x0800, ipv4(1, icmp(8, 0, [0, 1, 0, 1]), { options: rr })))
    expect(r1.col('ip.rec_rt')).toBe('1.2.3.4')
    expect(r1.col('ip.empty_rt')).toBe('0.0.0.0')
    expect(r1.nodes('ip.empty_rt')[0].label).toBe('Empty Route: 0.0.0.0 <- (next)')
    expect(r1.col('ip.opt.type')).toBe('7,0')
    expect(r1.col('ip.opt.ptr')).toBe('8')
    const ts = [68, 12, 9, 0x00, ...u32(82524601), ...u32(0)]
    expect(run(eth(0x0800, ipv4(1, icmp(8, 0, [0, 1, 0, 1]), { options: ts }))).col('ip.opt.time_stamp')).toBe('82524601,0')
    const ra = run(eth(0x0800, ipv4(2, [0x11, 0x64, 0xee, 0x9b, 0, 0, 0, 0], { options: [148, 4, 0, 0], dst: '224.0.0.1' })))
    expect(ra.col('ip.opt.ra')).toBe('0')
    expect(ra.col('ip.opt.type.copy')).toBe('1')
    const ssrr = run(eth(0x0800, ipv4(1, icmp(8, 0, [0, 1, 0, 2]), { options: [1, 137, 7, 4, ...ip4('0.0.0.0')], dst: '10.0.0.138' })))
    expect(ssrr.col('ip.dst')).toBe('0.0.0.0')
    expect(ssrr.col('ip.cur_rt')).toBe('10.0.0.138')
    expect(ssrr.d.ctx.dst).toBe('0.0.0.0')
    expect(ssrr.d.tree[2].label).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 0.0.0.0, Via: 10.0.0.138')
    const list = ssrr.d.tree[2].children?.find((n) => n.label?.startsWith('Options'))
    expect(list?.label).toBe('Options: (8 bytes), Strict Source Route')
  })

  it('CIPSO categories and an option whose length runs past the header', () => {
    const cipso = [134, 14, ...u32(2), 2, 8, 0, 2, ...u16(0), ...u16(2)]
    const r = run(eth(0x0800, ipv4(1, icmp(8, 0, [0, 1, 0, 1]), { options: [...cipso, 0, 0] })))
    expect(r.col('ip.cipso.doi')).toBe('2')
    expect(r.col('ip.cipso.categories')).toBe('0,2')
    const bad = run(eth(0x0800, ipv4(1, icmp(8, 0, [0, 1, 0, 1]), { options: [7, 40, 4, 0] })))
    expect(bad.experts()).toContain('Invalid length for option')
    expect(bad.protocols.startsWith('eth:ethertype:ip:icmp')).toBe(true)
  })

  it('bogus version, header length and total length, in Wireshark words', () => {
    const v5 = ipv4(17, udp())
    v5[0] = 0x55
    const r5 = run(eth(0x0800, v5))
    expect(r5.protocols).toBe('eth:ethertype:ip')
    expect(r5.experts()).toContain('Bogus IPv4 version')
    expect(r5.d.ctx.info).toBe('Bogus IPv4 version (5, must be 4)')
    const hl = ipv4(17, udp())
    hl[0] = 0x44
    expect(run(eth(0x0800, hl)).experts()).toContain('Bogus IP header length (16, must be at least 20)')
    const tl = run(eth(0x0800, ipv4(17, udp([1, 2, 3]), { total: 10 })))
    expect(tl.experts()).toContain('Bogus IP length')
    expect(tl.d.ctx.info).toBe('Bogus IP length (10, less than header length 20)')
    expect(tl.col('ip.src')).toBe('')
    const long = run(eth(0x0800, ipv4(17, udp([1, 2, 3]), { total: 200 })))
    expect(long.experts()).toContain('IPv4 total length exceeds packet length (31 bytes)')
    expect(long.protocols.startsWith('eth:ethertype:ip:udp')).toBe(true)
    for (const r of [r5, tl, long]) expect(r.d.ctx.malformed).toBe(true)
  })

  it('a header cut by the snaplen is drawn as far as it goes', () => {
    const full = eth(0x0800, ipv4(17, udp(new Array(100).fill(0x51))))
    const r = run(full.subarray(0, 30), 1, { origlen: full.length })
    expect(r.col('ip.src')).toBe('10.0.0.1')
    expect(r.col('ip.dst')).toBe('')
    expect(r.col('ip.proto')).toBe('17')
    expect(r.d.tree[2].label).toBe('Internet Protocol Version 4, Src: 10.0.0.1')
    expect(r.experts()).toContain('Packet size limited during capture: IPv4 truncated')
    expect(r.d.ctx.net).toBeUndefined()
  })

  it('TSO (total length 0) takes the frame length', () => {
    const r = run(eth(0x0800, ipv4(17, udp([1, 2, 3]), { total: 0 })))
    expect(r.d.ctx.net?.payloadLen).toBe(11)
    expect(r.d.ctx.malformed).toBe(false)
  })

  it('version 6 under 0x0800 goes on to IPv6 after naming "ip", and IP in IP nests', () => {
    expect(run(eth(0x0800, ipv6(17, udp()))).protocols.startsWith('eth:ethertype:ip:ipv6:udp')).toBe(true)
    const ipip = run(eth(0x0800, ipv4(4, ipv4(17, udp(), { src: '1.1.1.1', dst: '2.2.2.2' }))))
    expect(ipip.protocols.startsWith('eth:ethertype:ip:ip:udp')).toBe(true)
    expect(ipip.col('ip.src')).toBe('10.0.0.1,1.1.1.1')
    expect(ipip.d.ctx.net?.src).toBe('1.1.1.1')
    expect(ipip.d.ctx.src).toBe('1.1.1.1')
  })
})

describe('IPv4 fragments', () => {
  const payload = udp(new Array(60).fill(0x59), 3333, 4444)
  const first = eth(0x0800, ipv4(17, payload.slice(0, 48), { flags: 1, frag: 0, id: 77 }))
  const last = eth(0x0800, ipv4(17, payload.slice(48), { flags: 0, frag: 6, id: 77 }))

  it('without a defragmenter every fragment is data, with the Info tshark shows', () => {
    const a = run(first)
    expect(a.protocols).toBe('eth:ethertype:ip:data')
    expect(a.d.ctx.net?.fragment).toBe(true)
    expect(a.d.ctx.info).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=004d)')
    const b = run(last)
    expect(b.protocols).toBe('eth:ethertype:ip:data')
    expect(b.d.ctx.info).toBe('Fragmented IP protocol (proto=UDP 17, off=48, ID=004d)')
  })

  it('with one, the completing frame dissects the datagram; node offsets stay in the frame', () => {
    const defrag = new IpDefragmenter()
    const a = run(first, 1, { defrag, number: 1 })
    expect(a.protocols).toBe('eth:ethertype:ip:data')
    expect(defrag.pendingDatagrams).toBe(1)
    const b = run(last, 1, { defrag, number: 2 })
    expect(b.protocols.startsWith('eth:ethertype:ip:udp')).toBe(true)
    expect(defrag.pendingDatagrams).toBe(0)
    expect(b.col('ip.fragment')).toBe('1,2')
    expect(b.col('ip.fragment.count')).toBe('2')
    expect(b.col('ip.reassembled.length')).toBe(String(payload.length))
    expect(b.nodes('ip.fragments')[0].label).toBe(`2 IPv4 Fragments (${payload.length} bytes): #1(48), #2(20)`)
    const net = b.d.ctx.net
    expect(net?.reassembled?.length).toBe(34 + payload.length)
    expect(net?.payloadLen).toBe(payload.length)
    expect(net?.fragment).toBe(false)
    // the frame's own bytes again after the reassembled payload was dissected
    expect(b.d.ctx.data.length).toBe(last.length)
    expect(offsetsInFrame(b.d.tree, last.length)).toBe(true)
    // the UDP header came in frame 1: no bytes here
    const udpNode = b.d.tree.find((n) => n.name === 'udp')
    expect(udpNode?.off).toBe(-1)
  })

  it('out of order fragments complete on whichever comes last', () => {
    const defrag = new IpDefragmenter()
    expect(run(last, 1, { defrag, number: 1 }).protocols).toBe('eth:ethertype:ip:data')
    expect(run(first, 1, { defrag, number: 2 }).protocols.startsWith('eth:ethertype:ip:udp')).toBe(true)
  })
})

describe('IPv6', () => {
  it('fixed header fields and labels', () => {
    const pkt = ipv6(17, udp([1]), 'fe80::212:3fff:feae:22f7', 'ff02::1')
    pkt[0] = 0x63
    pkt[1] = 0x00
    pkt[3] = 0x01
    const r = run(eth(0x86dd, pkt))
    expect(r.col('ipv6.tclass')).toBe('0x00000030')
    expect(r.col('ipv6.flow')).toBe('0x000001')
    expect(r.col('ip.version')).toBe('6')
    expect(r.col('ipv6.addr')).toBe('fe80::212:3fff:feae:22f7,ff02::1')
    // EUI-64 with the universal bit: the MAC shows; a locally administered one would not
    expect(r.col('ipv6.src_slaac_mac')).toBe('00:12:3f:ae:22:f7')
    expect(run(eth(0x86dd, ipv6(17, udp(), 'fe80::8c36:6ff:fe44:acaf', 'ff02::1'))).col('ipv6.src_slaac_mac')).toBe('')
    expect(r.label('ipv6.tclass')).toBe('.... 0011 0000 .... .... .... .... .... = Traffic Class: 0x30 (DSCP: AF12, ECN: Not-ECT)')
    expect(r.label('ipv6.flow')).toBe('.... 0000 0000 0000 0000 0001 = Flow Label: 0x00001')
    expect(r.label('ipv6.nxt')).toBe('Next Header: UDP (17)')
    expect(r.nodes('ip.version')[0].hidden).toBe(true)
    expect(r.d.tree[2].label).toBe('Internet Protocol Version 6, Src: fe80::212:3fff:feae:22f7, Dst: ff02::1')
    expect(r.d.ctx.net).toMatchObject({ version: 6, addrLen: 16, srcOff: 22, dstOff: 38, proto: 17, payloadOff: 54, ttl: 64 })
  })

  it('extension headers: hop-by-hop, destination options, routing, AH', () => {
    const hop = [60, 0, 5, 2, 0, 0, 1, 0]
    const dst = [43, 0, 11, 1, 9, 1, 1, 0]
    const rt = [51, 2, 0, 1, 0, 0, 0, 0, ...ip6('2200::210:2:0:0:4')]
    const ah = [17, 4, 0, 0, ...u32(0x100), ...u32(32), ...new Array(12).fill(0x35)]
    const r = run(eth(0x86dd, ipv6(0, [...hop, ...dst, ...rt, ...ah, ...udp([7])])))
    expect(r.protocols.startsWith('eth:ethertype:ipv6:ipv6.hopopts:ipv6.dstopts:ipv6.routing:ah:udp')).toBe(true)
    expect(r.col('ipv6.opt.router_alert')).toBe('0')
    expect(r.col('ipv6.opt.type')).toBe('0x05,0x01,0x0b,0x01')
    expect(r.col('ipv6.opt.padn')).toBe('<none>,00')
    expect(r.col('ipv6.routing.src.addr')).toBe('2200::210:2:0:0:4')
    expect(r.col('ah.spi')).toBe('0x00000100')
    expect(r.label('ah.length')).toBe('Length: 4 (24 bytes)')
    expect(r.experts()).toContain('Routing header type is deprecated')
    expect(r.experts()).toContain('Unknown Data (not interpreted)')
    expect(r.d.ctx.net?.proto).toBe(17)
    expect(r.d.ctx.net?.payloadOff).toBe(14 + 40 + 8 + 8 + 24 + 24)
    // extension headers are drawn inside the ipv6 subtree
    expect(r.d.tree.map((n) => n.name)).not.toContain('ipv6.hopopts')
  })

  it('no next header, a cut extension header, a bogus version under the EtherType', () => {
    expect(run(eth(0x86dd, ipv6(59, []))).protocols).toBe('eth:ethertype:ipv6')
    const cut = run(eth(0x86dd, ipv6(0, [17, 0])))
    expect(cut.protocols).toBe('eth:ethertype:ipv6:ipv6.hopopts')
    expect(cut.d.ctx.malformed).toBe(true)
    const bogus = run(eth(0x86dd, ipv4(17, udp())))
    expect(bogus.protocols).toBe('eth:ethertype:data')
    expect(bogus.experts()).toContain('Bogus IPv6 version')
    const short = run(eth(0x86dd, ipv6(17, udp()).subarray(0, 30)))
    expect(short.experts()).toContain('IPv6 header must be exactly 40 bytes')
    // 30 bytes: the source address fits, the destination does not (as tshark draws it)
    expect(short.col('ipv6.src')).toBe('2001:db8::1')
    expect(short.col('ipv6.dst')).toBe('')
  })

  it('fragment header: data alone, reassembled with a defragmenter', () => {
    const payload = udp(new Array(100).fill(0x5a), 1111, 2222)
    const f1 = eth(0x86dd, ipv6(44, [17, 0, ...u16((0 << 3) | 1), ...u32(0xabcdef01), ...payload.slice(0, 56)]))
    const f2 = eth(0x86dd, ipv6(44, [17, 0, ...u16((7 << 3) | 0), ...u32(0xabcdef01), ...payload.slice(56)]))
    const alone = run(f1)
    expect(alone.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data')
    expect(alone.d.ctx.info).toBe('IPv6 fragment (off=0 more=y ident=0xabcdef01 nxt=17)')
    expect(alone.col('ipv6.fraghdr.more')).toBe('1')
    const defrag = new IpDefragmenter()
    run(f1, 1, { defrag, number: 1 })
    const done = run(f2, 1, { defrag, number: 2 })
    expect(done.protocols.startsWith('eth:ethertype:ipv6:ipv6.fraghdr:udp')).toBe(true)
    expect(done.col('ipv6.fragment')).toBe('1,2')
    expect(offsetsInFrame(done.d.tree, f2.length)).toBe(true)
  })
})

describe('ICMP', () => {
  it('echo request: ident/seq in both byte orders, data, Info with the TTL', () => {
    const r = run(eth(0x0800, ipv4(1, icmp(8, 0, [0, 3, 0, 1], [0xab, 0xcd]), { ttl: 255 })))
    expect(r.protocols).toBe('eth:ethertype:ip:icmp:data')
    expect(r.col('icmp.ident')).toBe('3')
    expect(r.col('icmp.seq_le')).toBe('256')
    expect(r.label('icmp.type')).toBe('Type: 8 (Echo (ping) request)')
    expect(r.label('icmp.ident')).toBe('Identifier (BE): 3 (0x0003)')
    expect(r.label('icmp.checksum')).toMatch(/\[correct\]$/)
    expect(r.col('icmp.checksum.status')).toBe('1')
    expect(r.d.ctx.info).toBe('Echo (ping) request  id=0x0003, seq=1/256, ttl=255')
    expect(r.d.ctx.protocol).toBe('ICMP')
    // data is drawn inside the ICMP subtree
    const icmpNode = r.d.tree.find((n) => n.name === 'icmp')
    expect(icmpNode?.children?.some((n) => n.name === 'data')).toBe(true)
  })

  it('reads a ping timestamp from the data and flags a bad checksum', () => {
    const ts = [...u32(1700000000 - 1), ...u32(500000)].reverse().reverse()
    const body = cat(ts, [1, 2, 3])
    const r = run(eth(0x0800, ipv4(1, icmp(0, 0, [0, 1, 0, 1], body))))
    expect(r.col('icmp.data_time')).toBe('Nov 14, 2023 22:13:19.500000000 UTC')
    expect(r.col('icmp.data_time_relative')).toBe('0.500000000')
    expect(r.col('data.data')).toBe('010203')
    const bad = icmp(8, 0, [0, 1, 0, 1])
    bad[2] ^= 0xff
    expect(run(eth(0x0800, ipv4(1, bad))).experts().some((m) => m.startsWith('Bad checksum [should be'))).toBe(true)
  })

  it('errors quote the IP packet inside the ICMP subtree; columns stay ICMP', () => {
    const quoted = ipv4(17, udp([104, 105]), { src: '10.0.0.2', dst: '10.0.0.9' }).subarray(0, 28)
    const r = run(eth(0x0800, ipv4(1, icmp(3, 3, [0, 0, 0, 0], quoted), { src: '10.0.0.9', dst: '10.0.0.2' })))
    expect(r.protocols.startsWith('eth:ethertype:ip:icmp:ip:udp')).toBe(true)
    expect(r.col('ip.src')).toBe('10.0.0.9,10.0.0.2')
    expect(r.col('ip.proto')).toBe('1,17')
    expect(r.d.ctx.info).toBe('Destination unreachable (Port unreachable)')
    expect(r.d.ctx.protocol).toBe('ICMP')
    expect(r.d.ctx.src).toBe('10.0.0.9')
    expect(r.d.ctx.net?.proto).toBe(1)
    expect(r.d.ctx.udp).toBeUndefined()
    expect(r.d.ctx.inErrorPkt).toBe(false)
    expect(r.d.ctx.malformed).toBe(false)
    const icmpNode = r.d.tree.find((n) => n.name === 'icmp')
    expect(icmpNode?.children?.some((n) => n.name === 'ip')).toBe(true)
    const mtu = run(eth(0x0800, ipv4(1, icmp(3, 4, [0, 0, ...u16(1400)], quoted))))
    expect(mtu.col('icmp.mtu')).toBe('1400')
    const redir = run(eth(0x0800, ipv4(1, icmp(5, 1, ip4('10.0.0.77'), quoted))))
    expect(redir.col('icmp.redir_gw')).toBe('10.0.0.77')
    expect(redir.d.ctx.info).toBe('Redirect             (Redirect for host)')
  })

  it('a cut ICMP header is malformed', () => {
    const r = run(eth(0x0800, ipv4(1, [8, 0])))
    expect(r.protocols).toBe('eth:ethertype:ip:icmp')
    expect(r.d.ctx.malformed).toBe(true)
  })
})

describe('ICMPv6', () => {
  it('echo with the hop limit in Info', () => {
    const r = run(eth(0x86dd, icmp6(128, 0, [...u16(0x1234), ...u16(7), 1, 2])))
    expect(r.protocols).toBe('eth:ethertype:ipv6:icmpv6:data')
    expect(r.col('icmpv6.echo.identifier')).toBe('0x1234')
    expect(r.label('icmpv6.type')).toBe('Type: Echo (ping) request (128)')
    expect(r.label('icmpv6.checksum')).toMatch(/\[correct\]$/)
    expect(r.d.ctx.info).toBe('Echo (ping) request id=0x1234, seq=7, hop limit=255')
  })

  it('neighbor discovery Info texts and options', () => {
    const ns = run(eth(0x86dd, icmp6(135, 0, [0, 0, 0, 0, ...ip6('fe80::2'), 1, 1, ...mac('00:11:22:33:44:55')])))
    expect(ns.d.ctx.info).toBe('Neighbor Solicitation for fe80::2 from 00:11:22:33:44:55')
    expect(ns.col('icmpv6.opt.linkaddr')).toBe('00:11:22:33:44:55')
    const na = run(eth(0x86dd, icmp6(136, 0, [...u32(0xe0000000), ...ip6('fe80::1'), 2, 1, ...mac('00:11:22:33:44:66')])))
    expect(na.d.ctx.info).toBe('Neighbor Advertisement fe80::1 (rtr, sol, ovr) is at 00:11:22:33:44:66')
    expect(na.label('icmpv6.nd.na.flag')).toBe('Flags: 0xe0000000, Router, Solicited, Override')
    const rs = run(eth(0x86dd, icmp6(133, 0, [0, 0, 0, 0, 1, 1, ...mac('00:11:22:33:44:55')])))
    expect(rs.d.ctx.info).toBe('Router Solicitation from 00:11:22:33:44:55')
  })

  it('errors quote the IPv6 packet', () => {
    const r = run(eth(0x86dd, icmp6(1, 4, [0, 0, 0, 0, ...ipv6(17, udp([1]), 'fe80::2', '2001:db8::9')])))
    expect(r.protocols.startsWith('eth:ethertype:ipv6:icmpv6:ipv6:udp')).toBe(true)
    expect(r.d.ctx.info).toBe('Destination Unreachable (Port unreachable)')
    expect(r.col('ipv6.src')).toBe('fe80::1,fe80::2')
  })

  it('uses the routing header final destination in the checksum pseudo-header', () => {
    // a type 0 routing header with one address left: the pseudo-header's destination is that address
    const body = [128, 0, 0, 0, 0, 0, 0, 0]
    const final = '2200::240:2:0:0:4'
    const pseudo = [...ip6('2001:db8::1'), ...ip6(final), ...u32(8), 0, 0, 0, 58]
    let s = 0
    const all = [...pseudo, ...body]
    for (let i = 0; i < all.length; i += 2) s += (all[i] << 8) | all[i + 1]
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16)
    const c = ~s & 0xffff
    body[2] = c >> 8
    body[3] = c & 0xff
    const rt = [58, 2, 0, 1, 0, 0, 0, 0, ...ip6(final)]
    const r = run(eth(0x86dd, ipv6(43, [...rt, ...body])))
    expect(r.label('icmpv6.checksum')).toMatch(/\[correct\]$/)
  })
})

describe('IGMP', () => {
  it('v2 query, v2 report, v3 query, v3 report: igmp twice, version in the protocol column', () => {
    const q2 = run(eth(0x0800, ipv4(2, [0x11, 0x64, 0xee, 0x9b, 0, 0, 0, 0], { dst: '224.0.0.1', ttl: 1 })))
    expect(q2.protocols).toBe('eth:ethertype:ip:igmp:igmp')
    expect(q2.d.ctx.protocol).toBe('IGMPv2')
    expect(q2.d.ctx.info).toBe('Membership Query, general')
    expect(q2.label('igmp.max_resp')).toBe('Max Resp Time: 10.0 sec (0x64)')
    expect(q2.label('igmp.checksum')).toBe('Checksum: 0xee9b [correct]')
    const v3q = run(eth(0x0800, ipv4(2, [0x11, 0x0a, 0xec, 0x78, 0, 0, 0, 0, 0x02, 0x7d, 0, 0], { dst: '224.0.0.1' })))
    expect(v3q.d.ctx.protocol).toBe('IGMPv3')
    expect(v3q.col('igmp.qrv')).toBe('2')
    expect(v3q.col('igmp.max_resp')).toBe('10')
    const rep = run(eth(0x0800, ipv4(2, [0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, ...ip4('239.255.255.250')], { dst: '224.0.0.22' })))
    expect(rep.d.ctx.info).toBe('Membership Report / Join group 239.255.255.250 for any sources')
    expect(rep.experts().some((m) => m.startsWith('Bad checksum'))).toBe(true)
  })
})

describe('GRE and what it carries', () => {
  const inner = ipv4(1, icmp(8, 0, [0, 5, 0, 6], [1]), { src: '192.168.0.1', dst: '192.168.0.2' })

  it('plain GRE to IPv4; key and checksum fields; a bad checksum is a warning', () => {
    const r = run(eth(0x0800, ipv4(47, cat(u16(0), u16(0x0800), inner))))
    expect(r.protocols.startsWith('eth:ethertype:ip:gre:ip:icmp')).toBe(true)
    expect(r.d.tree.find((n) => n.name === 'gre')?.label).toBe('Generic Routing Encapsulation (IP)')
    const k = run(eth(0x0800, ipv4(47, cat(u16(0xa000), u16(0x0800), [0, 0, 0, 0], u32(42), inner))))
    expect(k.col('gre.key')).toBe('0x0000002a')
    expect(k.experts().some((m) => m.startsWith('Incorrect GRE Checksum'))).toBe(true)
  })

  it('enhanced GRE (PPTP) to PPP and LCP', () => {
    const lcp = [1, 0, ...u16(14), 5, 6, ...u32(0x021952cf), 7, 2, 8, 2]
    const ppp = [0xff, 0x03, ...u16(0xc021), ...lcp]
    const r = run(eth(0x0800, ipv4(47, cat(u16(0x3001), u16(0x880b), u16(ppp.length), u16(0), u32(0), ppp))))
    expect(r.protocols).toBe('eth:ethertype:ip:gre:ppp:lcp')
    expect(r.col('gre.key.payload_length')).toBe(String(ppp.length))
    expect(r.col('ppp.protocol')).toBe('0xc021')
    expect(r.col('lcp.opt.magic_number')).toBe('0x021952cf')
    expect(r.d.ctx.info).toBe('Configuration Request')
  })

  it('ERSPAN II and transparent Ethernet bridging carry Ethernet (no FCS)', () => {
    const frame = eth(0x0800, ipv4(17, udp([1])), 'aa:aa:aa:aa:aa:aa', 'bb:bb:bb:bb:bb:bb')
    const teb = run(eth(0x0800, ipv4(47, cat(u16(0), u16(0x6558), frame))))
    expect(teb.protocols.startsWith('eth:ethertype:ip:gre:eth:ethertype:ip:udp')).toBe(true)
    expect(teb.col('eth.src')).toBe('66:77:88:99:aa:bb,bb:bb:bb:bb:bb:bb')
    const er = run(eth(0x0800, ipv4(47, cat(u16(0x1000), u16(0x88be), u32(7), u16(0x1001), u16(5), u32(0), frame))))
    expect(er.protocols.startsWith('eth:ethertype:ip:gre:erspan:eth:ethertype:ip:udp')).toBe(true)
    expect(er.col('erspan.spanid')).toBe('5')
    expect(er.col('erspan.vlan')).toBe('1')
  })

  it('ERSPAN III whose optional subheader was cut: truncated there', () => {
    const hdr = cat(u16(0x2d2d), u16(0x0800), u32(1207961670), u16(256), u16(0x0001))
    const r = run(eth(0x0800, ipv4(47, cat(u16(0x1000), u16(0x22eb), u32(1), hdr))))
    expect(r.protocols).toBe('eth:ethertype:ip:gre:erspan')
    expect(r.d.ctx.malformed).toBe(true)
  })
})

describe('OSPF and AH over IPv4', () => {
  it('OSPFv2 hello', () => {
    const ospf = [2, 1, ...u16(44), ...ip4('1.1.1.1'), ...ip4('0.0.0.0'), 0, 0, 0, 0, ...new Array(8).fill(0), ...ip4('255.255.255.0'), ...u16(10), 2, 1, ...u32(40), ...ip4('0.0.0.0'), ...ip4('0.0.0.0')]
    const r = run(eth(0x0800, ipv4(89, ospf, { dst: '224.0.0.5' })))
    expect(r.protocols).toBe('eth:ethertype:ip:ospf')
    expect(r.d.ctx.info).toBe('Hello Packet')
    expect(r.col('ospf.hello.hello_interval')).toBe('10')
    expect(r.label('ospf.v2.options')).toBe('Options: 0x02, (E) External Routing')
    expect(r.label('ospf.area_id')).toBe('Area ID: 0.0.0.0 (Backbone)')
  })

  it('AH is a layer of its own under IPv4', () => {
    const ah = [17, 4, 0, 0, ...u32(0x100), ...u32(1), ...new Array(12).fill(0x11)]
    const r = run(eth(0x0800, ipv4(51, [...ah, ...udp([1])])))
    expect(r.protocols.startsWith('eth:ethertype:ip:ah:udp')).toBe(true)
    expect(r.d.tree.some((n) => n.name === 'ah')).toBe(true)
    expect(r.d.ctx.net?.proto).toBe(17)
  })
})
