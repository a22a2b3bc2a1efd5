// Link-layer dissectors on hand-built frames: Ethernet II / 802.3 + LLC/SNAP, VLAN tags,
// Linux cooked v1/v2, BSD NULL/LOOP, raw IP link types; short and malformed headers.
import { describe, expect, it } from 'vitest'
import { cat, eth, hex, ip4, ipv4, ipv6, mac, offsetsInFrame, run, u16, u32, udp } from './dissect-lower-packets'

const UDP_V4 = ipv4(17, udp([1, 2, 3]))

describe('Ethernet', () => {
  it('decodes Ethernet II with the ethertype step and hidden address fields', () => {
    const r = run(eth(0x0800, UDP_V4))
    expect(r.protocols.startsWith('eth:ethertype:ip:udp')).toBe(true)
    expect(r.col('eth.dst')).toBe('00:11:22:33:44:55')
    expect(r.col('eth.src')).toBe('66:77:88:99:aa:bb')
    // eth.addr: destination first, as in the tree
    expect(r.col('eth.addr')).toBe('00:11:22:33:44:55,66:77:88:99:aa:bb')
    expect(r.col('eth.type')).toBe('0x0800')
    expect(r.col('eth.ig')).toBe('0,0')
    expect(r.col('eth.lg')).toBe('0,1')
    expect(r.label('eth.type')).toBe('Type: IPv4 (0x0800)')
    expect(r.label('eth.dst.lg')).toBe('.... ..0. .... .... .... .... = LG bit: Globally unique address (factory default)')
    expect(r.d.tree[1].label).toBe('Ethernet II, Src: 66:77:88:99:aa:bb, Dst: 00:11:22:33:44:55')
    expect(r.nodes('eth.addr_resolved').every((n) => n.hidden)).toBe(true)
    expect(offsetsInFrame(r.d.tree, r.d.ctx.caplen)).toBe(true)
  })

  it('splits padding from an FCS on a minimum-size frame', () => {
    // 14 + 28 (IP+UDP) = 42 bytes, 18 of padding to 60, then 4 bytes of FCS: 64 on the wire
    const frame = cat(eth(0x0800, ipv4(17, udp([]))), new Uint8Array(18), [0xde, 0xad, 0xbe, 0xef])
    const r = run(frame)
    expect(r.col('eth.padding')).toBe('00'.repeat(18))
    expect(r.col('eth.fcs')).toBe('0xdeadbeef')
    expect(r.col('eth.trailer')).toBe('')
  })

  it('calls non-zero filler a trailer and says why, as Wireshark does', () => {
    const frame = cat(eth(0x0800, ipv4(17, udp([]))), new Uint8Array(12).fill(0x20), [0x55, 0x55, 0x55, 0x55, 0x55, 0x55])
    const r = run(frame)
    expect(r.d.ctx.caplen).toBe(60)
    expect(r.col('eth.padding')).toBe('')
    expect(r.col('eth.trailer')).toBe('20'.repeat(12) + '55'.repeat(6))
    expect(r.experts()).toContain("Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.")
  })

  it('marks a frame shorter than its header malformed, not throwing', () => {
    const r = run(hex('00112233445566778899'))
    expect(r.protocols).toBe('eth')
    expect(r.d.ctx.malformed).toBe(true)
    expect(r.experts()).toContain('Malformed Packet: Ethernet')
  })

  it('says "Packet size limited during capture" when the snaplen cut the header', () => {
    const r = run(hex('00112233445566778899'), 1, { origlen: 60 })
    expect(r.experts()).toContain('Packet size limited during capture: Ethernet truncated')
  })

  it('hands an unknown EtherType to data and an invalid length/type to data too', () => {
    expect(run(eth(0x88b5, [1, 2, 3, 4])).protocols).toBe('eth:ethertype:data')
    const bad = run(eth(1501, [1, 2, 3, 4]))
    expect(bad.protocols).toBe('eth:data')
    expect(bad.col('eth.invalid_lentype')).toBe('0x05dd')
  })

  it('decodes 802.3 + LLC/SNAP to CDP with the Cisco OUI', () => {
    const cdp = cat([2, 180, 0, 0], u16(1), u16(6), [0x52, 0x31], u16(3), u16(8), [0x46, 0x30, 0x2f, 0x30])
    const llc = cat([0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c], u16(0x2000), cdp)
    const r = run(cat(mac('01:00:0c:cc:cc:cc'), mac('00:0f:34:5f:16:8d'), u16(llc.length), llc))
    expect(r.protocols).toBe('eth:llc:cdp')
    expect(r.col('eth.len')).toBe(String(llc.length))
    expect(r.col('llc.oui')).toBe('12')
    expect(r.label('llc.oui')).toBe('Organization Code: 00:00:0c (Cisco Systems, Inc)')
    expect(r.col('llc.cisco_pid')).toBe('0x2000')
    expect(r.col('cdp.deviceid')).toBe('R1')
    expect(r.col('cdp.portid')).toBe('F0/0')
    expect(r.label('llc.control')).toBe('Control field: U, func=UI (0x03)')
  })

  it('goes straight from SNAP with OUI 0 to the EtherType table (no ethertype layer)', () => {
    const llc = cat([0xaa, 0xaa, 0x03, 0, 0, 0], u16(0x0800), UDP_V4)
    const r = run(cat(mac('00:11:22:33:44:55'), mac('66:77:88:99:aa:bb'), u16(llc.length), llc))
    expect(r.protocols.startsWith('eth:llc:ip:udp')).toBe(true)
    expect(r.col('llc.type')).toBe('0x0800')
  })
})

describe('bridging protocols', () => {
  it('STP configuration, RST and TCN BPDUs over LLC', () => {
    const bpdu = (body: number[]): Uint8Array => cat(mac('01:80:c2:00:00:00'), mac('00:11:22:33:44:55'), u16(3 + body.length), [0x42, 0x42, 0x03], body, new Uint8Array(8))
    const id = (prio: number, m: string): number[] => [...u16(prio), ...mac(m)]
    const conf = run(bpdu([0, 0, 0, 0, 0x01, ...id(0x8001, '00:11:22:33:44:55'), ...u32(4), ...id(0x8001, '00:11:22:33:44:66'), ...u16(0x8002), ...u16(256), ...u16(20 * 256), ...u16(512), ...u16(15 * 256)]))
    expect(conf.protocols).toBe('eth:llc:stp')
    expect(conf.d.ctx.info).toBe('Conf. TC + Root = 32768/1/00:11:22:33:44:55  Cost = 4  Port = 0x8002')
    expect(conf.col('stp.msg_age')).toBe('1')
    expect(conf.col('stp.root.hw')).toBe('00:11:22:33:44:55')
    const rst = run(bpdu([0, 0, 2, 2, 0x3c, ...id(0x8001, '00:11:22:33:44:55'), ...u32(0), ...id(0x8001, '00:11:22:33:44:55'), ...u16(0x8001), 0, 0, ...u16(20 * 256), ...u16(512), ...u16(15 * 256), 0]))
    expect(rst.label('stp.flags')).toBe('BPDU flags: 0x3c, Forwarding, Learning, Port Role: Designated')
    expect(rst.col('stp.flags.port_role')).toBe('3')
    expect(run(bpdu([0, 0, 0, 0x80])).d.ctx.info).toBe('Topology Change Notification')
  })

  it('LLDP chassis, port and TTL', () => {
    const tlv = (t: number, v: number[]): number[] => [...u16((t << 9) | v.length), ...v]
    const body = [...tlv(1, [4, ...mac('00:11:22:33:44:55')]), ...tlv(2, [5, ...Array.from('Gi0/1', (c) => c.charCodeAt(0))]), ...tlv(3, u16(120)), ...tlv(0, [])]
    const r = run(eth(0x88cc, body, '01:80:c2:00:00:0e'))
    expect(r.protocols).toBe('eth:ethertype:lldp')
    expect(r.col('lldp.chassis.id.mac')).toBe('00:11:22:33:44:55')
    expect(r.col('lldp.port.id')).toBe('Gi0/1')
    expect(r.col('lldp.time_to_live')).toBe('120')
    expect(r.col('lldp.tlv.type')).toBe('1,2,3,0')
    expect(r.d.ctx.info).toBe('MA/00:11:22:33:44:55 IN/Gi0/1 120')
  })
})

describe('VLAN tags', () => {
  it('stacks 802.1ad over 802.1Q, each with its own ethertype step, trailer on the inner tag', () => {
    const arp = cat(u16(1), u16(0x0800), [6, 4], u16(1), mac('00:20:d2:5a:fb:3f'), ip4('172.21.79.97'), mac('00:00:00:00:00:00'), ip4('172.21.79.100'))
    const frame = cat(eth(0x88a8, cat(u16(200), u16(0x8100), u16(2001), u16(0x0806), arp)), new Uint8Array(14))
    const r = run(frame)
    expect(r.protocols).toBe('eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp')
    expect(r.col('ieee8021ad.id')).toBe('200')
    expect(r.col('vlan.id')).toBe('2001')
    expect(r.col('eth.padding')).toBe('00'.repeat(10))
    expect(r.col('vlan.trailer')).toBe('00000000')
    expect(r.d.ctx.info).toBe('Who has 172.21.79.100? Tell 172.21.79.97')
    expect(r.d.ctx.protocol).toBe('ARP')
  })

  it('labels priority, DEI and ID as bit fields and reads old QinQ 0x9100', () => {
    const r = run(eth(0x9100, cat(u16((5 << 13) | 118), u16(0x0800), UDP_V4)))
    expect(r.protocols.startsWith('eth:ethertype:vlan:ethertype:ip:udp')).toBe(true)
    expect(r.label('vlan.priority')).toBe('101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)')
    expect(r.label('vlan.dei')).toBe('...0 .... .... .... = DEI: Ineligible')
    expect(r.label('vlan.id')).toBe('.... 0000 0111 0110 = ID: 118')
    expect(r.d.tree[2].label).toBe('802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 118')
  })

  it('survives a frame of nothing but VLAN tags', () => {
    const tags: number[] = []
    for (let i = 0; i < 2000; i++) tags.push(...u16(1), ...u16(0x8100))
    const r = run(eth(0x8100, tags))
    expect(r.d.ctx.malformed).toBe(true)
    expect(r.protocols.split(':').filter((p) => p === 'vlan').length).toBeLessThan(50)
  })

  it('marks a cut tag malformed', () => {
    const r = run(eth(0x8100, [0, 5]))
    expect(r.protocols).toBe('eth:ethertype:vlan')
    expect(r.d.ctx.malformed).toBe(true)
  })
})

describe('Linux cooked captures', () => {
  it('SLL v1: address, unused bytes and the EtherType', () => {
    const hdr = cat(u16(4), u16(1), u16(6), mac('00:11:22:33:44:55'), [0, 0], u16(0x0800))
    const r = run(cat(hdr, UDP_V4), 113)
    expect(r.protocols.startsWith('sll:ethertype:ip:udp')).toBe(true)
    expect(r.col('sll.pkttype')).toBe('4')
    expect(r.label('sll.pkttype')).toBe('Packet type: Sent by us (4)')
    expect(r.col('sll.src.eth')).toBe('00:11:22:33:44:55')
    expect(r.col('sll.unused')).toBe('0000')
    expect(r.col('sll.etype')).toBe('0x0800')
  })

  it('SLL v1: 802.2 LLC pseudo-protocol and GRE protocol types', () => {
    const llc = run(cat(u16(0), u16(1), u16(0), new Uint8Array(8), u16(0x0004), [0x42, 0x42, 0x03, 0, 0]), 113)
    expect(llc.protocols.startsWith('sll:llc')).toBe(true)
    expect(llc.col('sll.ltype')).toBe('0x0004')
    const gre = run(cat(u16(0), u16(778), u16(4), ip4('1.2.3.4'), [0, 0, 0, 0], u16(0x0800), UDP_V4), 113)
    expect(gre.protocols.startsWith('sll:ip:udp')).toBe(true)
    expect(gre.col('sll.src.ipv4')).toBe('1.2.3.4')
  })

  it('SLL v2: protocol first, interface index, then the v1 fields', () => {
    const hdr = cat(u16(0x86dd), [0, 0], u32(3), u16(772), [0, 6], mac('00:00:00:00:00:00'), [0, 0])
    const r = run(cat(hdr, ipv6(17, udp([9]))), 276)
    expect(r.protocols.startsWith('sll:ethertype:ipv6:udp')).toBe(true)
    expect(r.col('sll.ifindex')).toBe('3')
    const sll = r.d.tree[1]
    expect(sll.label).toBe('Linux cooked capture v2')
    expect(sll.children?.[0].name).toBe('sll.etype')
  })

  it('short cooked headers are malformed', () => {
    expect(run(new Uint8Array(10), 113).d.ctx.malformed).toBe(true)
    expect(run(new Uint8Array(12), 276).d.ctx.malformed).toBe(true)
  })
})

describe('BSD loopback', () => {
  it('NULL: the family in either byte order', () => {
    const le = run(cat([2, 0, 0, 0], UDP_V4), 0)
    const be = run(cat([0, 0, 0, 2], UDP_V4), 0)
    for (const r of [le, be]) {
      expect(r.protocols.startsWith('null:ip:udp')).toBe(true)
      expect(r.col('null.family')).toBe('2')
    }
    for (const af of [24, 28, 30]) {
      expect(run(cat([af, 0, 0, 0], ipv6(17, udp())), 0).protocols.startsWith('null:ipv6:udp')).toBe(true)
      expect(run(cat([0, 0, 0, af], ipv6(17, udp())), 0).protocols.startsWith('null:ipv6:udp')).toBe(true)
    }
  })

  it('NULL: an EtherType where a family should be (seen in the wild), and PPP', () => {
    const r = run(cat([0x0f, 0x00, 0x08, 0x00], UDP_V4), 0)
    expect(r.protocols.startsWith('null:ip:udp')).toBe(true)
    expect(r.col('null.type')).toBe('0x0800')
    expect(run(cat([0xff, 0x03, 0x00, 0x21], UDP_V4), 0).protocols.startsWith('null:ppp:ip:udp')).toBe(true)
  })

  it('LOOP: network byte order only, as Wireshark reads it', () => {
    expect(run(cat([0, 0, 0, 2], UDP_V4), 108).protocols.startsWith('null:ip:udp')).toBe(true)
    expect(run(cat([2, 0, 0, 0], UDP_V4), 108).protocols).toBe('null:data')
  })

  it('unknown families are data; a short header is malformed', () => {
    expect(run(cat([7, 0, 0, 0], [1, 2, 3]), 0).protocols).toBe('null:data')
    expect(run(new Uint8Array(2), 0).d.ctx.malformed).toBe(true)
  })
})

describe('raw IP link types', () => {
  it('101/12/14: "raw", then the version nibble decides', () => {
    for (const lt of [101, 12, 14]) {
      expect(run(UDP_V4, lt).protocols.startsWith('raw:ip:udp')).toBe(true)
      expect(run(ipv6(17, udp()), lt).protocols.startsWith('raw:ipv6:udp')).toBe(true)
      expect(run(hex('55616263'), lt).protocols).toBe('raw')
    }
  })

  it('228: IPv4 only (an IPv6 packet goes through "ip" first, as in Wireshark)', () => {
    expect(run(UDP_V4, 228).protocols.startsWith('ip:udp')).toBe(true)
    expect(run(ipv6(17, udp()), 228).protocols.startsWith('ip:ipv6:udp')).toBe(true)
  })

  it('229: an IPv4 packet is a bogus IPv6 header and frame.protocols stays empty', () => {
    expect(run(ipv6(17, udp()), 229).protocols.startsWith('ipv6:udp')).toBe(true)
    const r = run(UDP_V4, 229)
    expect(r.protocols).toBe('')
    expect(r.d.ctx.malformed).toBe(true)
    expect(r.experts()).toContain('Bogus IPv6 version')
    expect(r.d.tree.some((n) => n.name === 'ipv6')).toBe(true)
  })

  it('an unknown link type is data', () => {
    expect(run(hex('68656c6c6f'), 147).protocols).toBe('data')
  })
})

describe('frame node', () => {
  it('has frame.* fields, tshark texts and the protocol chain', () => {
    const r = run(eth(0x0800, UDP_V4))
    expect(r.col('frame.number')).toBe('1')
    expect(r.col('frame.time_epoch')).toBe('1700000000.000000000')
    expect(r.col('frame.time')).toBe('Nov 14, 2023 22:13:20.000000000 UTC')
    expect(r.col('frame.len')).toBe(String(14 + UDP_V4.length))
    expect(r.col('frame.encap_type')).toBe('1')
    expect(r.col('frame.marked')).toBe('0')
    expect(r.col('frame.protocols')).toBe(r.protocols)
    expect(r.label('frame')).toBe(`Frame 1: ${14 + UDP_V4.length} bytes on wire (${8 * (14 + UDP_V4.length)} bits), ${14 + UDP_V4.length} bytes captured (${8 * (14 + UDP_V4.length)} bits)`)
  })

  it('notes frame.len < frame.cap_len and builds nothing in summary mode', () => {
    const r = run(eth(0x0800, UDP_V4), 1, { origlen: 20 })
    expect(r.experts()).toContain('Frame length is less than captured length')
    const s = run(eth(0x0800, UDP_V4), 1, { tree: false })
    expect(s.d.tree).toEqual([])
    expect(s.d.ctx.layers).toEqual([])
    expect(s.d.ctx.info).toBe('')
    expect(s.protocols).toBe(r.protocols)
    expect(s.d.ctx.net?.src).toBe('10.0.0.1')
  })
})
