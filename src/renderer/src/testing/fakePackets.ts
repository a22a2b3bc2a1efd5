// Synthetic traffic for the fake API (tests and UI development only; never imported by
// production code). Every frame is computed from its number: a repeating 12-frame pattern
// of one DNS lookup and one short HTTP connection, each group its own TCP stream, so a
// 5-million-packet "file" costs nothing to hold.
import type { PacketRow, RowColor, StreamPacket, StreamSummary, TreeNode } from '../../../shared/contract'
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../../../shared/diagram/format'

export const PERIOD = 12
const BASE_TIME = 1_700_000_000

/** Position in the group → what the frame is. */
export type Kind = 'dns-q' | 'dns-r' | 'syn' | 'synack' | 'ack3' | 'get' | 'ack-get' | 'ok' | 'ack-ok' | 'fin-c' | 'fin-s' | 'ack-fin'
export const KINDS: Kind[] = ['dns-q', 'dns-r', 'syn', 'synack', 'ack3', 'get', 'ack-get', 'ok', 'ack-ok', 'fin-c', 'fin-s', 'ack-fin']

const GET = 'GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: wirenote-fake\r\n\r\n'
const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 24\r\n\r\n<html><b>hello</b></html>'

function hash32(n: number): number {
  let x = (n + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

export interface Frame {
  no: number
  group: number
  pos: number
  kind: Kind
  time: number
  fromClient: boolean
  src: string
  dst: string
  sport: number
  dport: number
  tcp: boolean
  flags: number
  seqRel: number
  ackRel: number
  seqRaw: number
  ackRaw: number
  payload: string
  retrans: boolean
  rst: boolean
  window: number
}

export function clientAddr(g: number): string {
  return `192.168.${(g >> 8) & 255}.${(g & 255) + 2 > 254 ? 2 : (g & 255) + 2}`
}
const SERVER = '93.184.216.34'
const RESOLVER = '10.0.0.53'

export function frame(no: number): Frame {
  const group = Math.floor((no - 1) / PERIOD)
  const pos = (no - 1) % PERIOD
  const kind = KINDS[pos]
  const time = BASE_TIME + group * 0.05 + pos * 0.0013
  const cport = 40000 + (group % 20000)
  const isnC = hash32(group * 2)
  const isnS = hash32(group * 2 + 1)
  const retrans = group % 7 === 3 && kind === 'ok'
  const rst = group % 13 === 5 && kind === 'fin-c'
  const c = clientAddr(group)
  const base = { no, group, pos, kind, time, retrans, rst, window: 64240 }
  if (kind === 'dns-q' || kind === 'dns-r') {
    const q = kind === 'dns-q'
    return { ...base, fromClient: q, src: q ? c : RESOLVER, dst: q ? RESOLVER : c, sport: q ? 50000 + (group % 10000) : 53, dport: q ? 53 : 50000 + (group % 10000), tcp: false, flags: 0, seqRel: 0, ackRel: 0, seqRaw: 0, ackRaw: 0, payload: '' }
  }
  const getLen = GET.length
  const okLen = OK.length
  // [fromClient, flags, seqRel, ackRel, payload]
  const table: Record<string, [boolean, number, number, number, string]> = {
    syn: [true, TCP_SYN, 0, 0, ''],
    synack: [false, TCP_SYN | TCP_ACK, 0, 1, ''],
    ack3: [true, TCP_ACK, 1, 1, ''],
    get: [true, TCP_PSH | TCP_ACK, 1, 1, GET],
    'ack-get': [false, TCP_ACK, 1, 1 + getLen, ''],
    ok: [false, TCP_PSH | TCP_ACK, 1, 1 + getLen, OK],
    'ack-ok': [true, TCP_ACK, 1 + getLen, 1 + okLen, ''],
    'fin-c': [true, rst ? TCP_RST | TCP_ACK : TCP_FIN | TCP_ACK, 1 + getLen, 1 + okLen, ''],
    'fin-s': [false, TCP_FIN | TCP_ACK, 1 + okLen, 2 + getLen, ''],
    'ack-fin': [true, TCP_ACK, 2 + getLen, 2 + okLen, '']
  }
  const [fromClient, flags, seqRel, ackRel, payload] = table[kind]
  const seqRaw = ((fromClient ? isnC : isnS) + seqRel) >>> 0
  const ackRaw = flags & TCP_ACK ? ((fromClient ? isnS : isnC) + ackRel) >>> 0 : 0
  return {
    ...base,
    fromClient,
    src: fromClient ? c : SERVER,
    dst: fromClient ? SERVER : c,
    sport: fromClient ? cport : 80,
    dport: fromClient ? 80 : cport,
    tcp: true,
    flags,
    seqRel,
    ackRel: flags & TCP_ACK ? ackRel : 0,
    seqRaw,
    ackRaw,
    payload
  }
}

function flagNames(flags: number): string {
  const n: string[] = []
  if (flags & TCP_FIN) n.push('FIN')
  if (flags & TCP_SYN) n.push('SYN')
  if (flags & TCP_RST) n.push('RST')
  if (flags & TCP_PSH) n.push('PSH')
  if (flags & TCP_ACK) n.push('ACK')
  return n.join(', ')
}

function frameLen(f: Frame): number {
  if (!f.tcp) return 14 + 20 + 8 + (f.kind === 'dns-q' ? 30 : 46)
  return 14 + 20 + (f.flags & TCP_SYN ? 32 : 20) + f.payload.length
}

function color(f: Frame): RowColor {
  if (f.retrans) return 'retrans'
  if (f.rst) return 'rst'
  if (f.kind === 'syn' || f.kind === 'synack' || f.kind === 'ack3') return 'handshake'
  if (f.flags & TCP_FIN) return 'fin'
  return ''
}

export function info(f: Frame): string {
  if (f.kind === 'dns-q') return `Standard query 0x${(f.group & 0xffff).toString(16).padStart(4, '0')} A example.test`
  if (f.kind === 'dns-r') return `Standard query response 0x${(f.group & 0xffff).toString(16).padStart(4, '0')} A example.test A ${SERVER}`
  if (f.kind === 'get') return 'GET /index.html HTTP/1.1 '
  if (f.kind === 'ok') return (f.retrans ? '[TCP Retransmission] ' : '') + 'HTTP/1.1 200 OK  (text/html)'
  let s = `${f.sport} → ${f.dport} [${flagNames(f.flags)}] Seq=${f.seqRel}`
  if (f.flags & TCP_ACK) s += ` Ack=${f.ackRel}`
  s += ` Win=${f.window} Len=${f.payload.length}`
  if (f.flags & TCP_SYN) s += ' MSS=1460 SACK_PERM WS=128'
  return s
}

export function row(no: number, prevNo: number | null, annotated: boolean): PacketRow {
  const f = frame(no)
  const first = frame(1)
  const prev = prevNo ? frame(prevNo) : f
  return {
    no,
    abs: f.time,
    rel: f.time - first.time,
    delta: f.time - prev.time,
    src: f.src,
    dst: f.dst,
    protocol: f.kind.startsWith('dns') ? 'DNS' : f.kind === 'get' || f.kind === 'ok' ? 'HTTP' : 'TCP',
    length: frameLen(f),
    info: info(f),
    color: color(f),
    stream: f.tcp ? f.group : -1,
    annotated
  }
}

// ---- bytes + tree ----------------------------------------------------------------------

function ipBytes(a: string): number[] {
  return a.split('.').map(Number)
}

export function details(no: number): { tree: TreeNode[]; bytes: Uint8Array } {
  const f = frame(no)
  const len = frameLen(f)
  const b = new Uint8Array(len)
  const set16 = (o: number, v: number) => {
    b[o] = (v >> 8) & 255
    b[o + 1] = v & 255
  }
  const set32 = (o: number, v: number) => {
    set16(o, (v >>> 16) & 0xffff)
    set16(o + 2, v & 0xffff)
  }
  const macC = [0x02, 0x42, 0xac, 0x11, (f.group >> 8) & 255, f.group & 255]
  const macS = [0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e]
  b.set(f.fromClient ? macS : macC, 0)
  b.set(f.fromClient ? macC : macS, 6)
  set16(12, 0x0800)
  b[14] = 0x45
  set16(16, len - 14)
  set16(18, (no * 7) & 0xffff)
  b[20] = 0x40
  b[22] = 64
  b[23] = f.tcp ? 6 : 17
  set16(24, 0xb1e6)
  b.set(ipBytes(f.src), 26)
  b.set(ipBytes(f.dst), 30)
  const mac = (m: number[]) => m.map((x) => x.toString(16).padStart(2, '0')).join(':')
  const tree: TreeNode[] = [
    {
      name: 'frame',
      label: `Frame ${no}: ${len} bytes on wire (${len * 8} bits), ${len} bytes captured (${len * 8} bits)`,
      off: 0,
      len,
      children: [
        { name: 'frame.time_epoch', label: `Epoch Arrival Time: ${f.time.toFixed(9)} seconds`, off: 0, len: 0 },
        { name: 'frame.number', label: `Frame Number: ${no}`, off: 0, len: 0 },
        { name: 'frame.len', label: `Frame Length: ${len} bytes (${len * 8} bits)`, off: 0, len: 0 }
      ]
    },
    {
      name: 'eth',
      label: `Ethernet II, Src: ${mac(Array.from(b.slice(6, 12)))}, Dst: ${mac(Array.from(b.slice(0, 6)))}`,
      off: 0,
      len: 14,
      children: [
        { name: 'eth.dst', label: `Destination: ${mac(Array.from(b.slice(0, 6)))}`, off: 0, len: 6 },
        { name: 'eth.src', label: `Source: ${mac(Array.from(b.slice(6, 12)))}`, off: 6, len: 6 },
        { name: 'eth.type', label: 'Type: IPv4 (0x0800)', off: 12, len: 2 }
      ]
    },
    {
      name: 'ip',
      label: `Internet Protocol Version 4, Src: ${f.src}, Dst: ${f.dst}`,
      off: 14,
      len: 20,
      children: [
        { name: 'ip.version', label: '0100 .... = Version: 4', off: 14, len: 1 },
        { name: 'ip.hdr_len', label: '.... 0101 = Header Length: 20 bytes (5)', off: 14, len: 1 },
        { name: 'ip.len', label: `Total Length: ${len - 14}`, off: 16, len: 2 },
        { name: 'ip.id', label: `Identification: 0x${((no * 7) & 0xffff).toString(16).padStart(4, '0')} (${(no * 7) & 0xffff})`, off: 18, len: 2 },
        { name: 'ip.flags', label: "010. .... = Flags: 0x2, Don't fragment", off: 20, len: 1 },
        { name: 'ip.ttl', label: 'Time to Live: 64', off: 22, len: 1 },
        { name: 'ip.proto', label: `Protocol: ${f.tcp ? 'TCP (6)' : 'UDP (17)'}`, off: 23, len: 1 },
        { name: 'ip.checksum', label: 'Header Checksum: 0xb1e6 [validation disabled]', off: 24, len: 2 },
        { name: 'ip.src', label: `Source Address: ${f.src}`, off: 26, len: 4 },
        { name: 'ip.dst', label: `Destination Address: ${f.dst}`, off: 30, len: 4 }
      ]
    }
  ]
  if (!f.tcp) {
    set16(34, f.sport)
    set16(36, f.dport)
    set16(38, len - 34)
    const name = 'example.test'
    const dnsOff = 42
    set16(dnsOff, f.group & 0xffff)
    set16(dnsOff + 2, f.kind === 'dns-q' ? 0x0100 : 0x8180)
    let o = dnsOff + 12
    for (const part of name.split('.')) {
      b[o++] = part.length
      for (const ch of part) b[o++] = ch.charCodeAt(0)
    }
    tree.push(
      {
        name: 'udp',
        label: `User Datagram Protocol, Src Port: ${f.sport}, Dst Port: ${f.dport}`,
        off: 34,
        len: 8,
        children: [
          { name: 'udp.srcport', label: `Source Port: ${f.sport}`, off: 34, len: 2 },
          { name: 'udp.dstport', label: `Destination Port: ${f.dport}`, off: 36, len: 2 },
          { name: 'udp.length', label: `Length: ${len - 34}`, off: 38, len: 2 }
        ]
      },
      {
        name: 'dns',
        label: `Domain Name System (${f.kind === 'dns-q' ? 'query' : 'response'})`,
        off: dnsOff,
        len: len - dnsOff,
        children: [
          { name: 'dns.id', label: `Transaction ID: 0x${(f.group & 0xffff).toString(16).padStart(4, '0')}`, off: dnsOff, len: 2 },
          {
            name: 'dns.qry.name',
            label: `Name: ${name}`,
            off: dnsOff + 12,
            len: name.length + 2
          }
        ]
      }
    )
    return { tree, bytes: b }
  }
  const hl = f.flags & TCP_SYN ? 32 : 20
  set16(34, f.sport)
  set16(36, f.dport)
  set32(38, f.seqRaw)
  set32(42, f.ackRaw)
  b[46] = (hl / 4) << 4
  b[47] = f.flags & 0xff
  set16(48, 502)
  set16(50, 0xfe30)
  if (hl > 20) b.set([2, 4, 5, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7], 54)
  for (let i = 0; i < f.payload.length; i++) b[34 + hl + i] = f.payload.charCodeAt(i)
  const bit = (mask: number, name: string, title: string) => {
    const on = (f.flags & mask) !== 0
    return { name, label: `${title}: ${on ? 'Set' : 'Not set'}`, off: 46, len: 2 }
  }
  const tcpChildren: TreeNode[] = [
    { name: 'tcp.srcport', label: `Source Port: ${f.sport}`, off: 34, len: 2 },
    { name: 'tcp.dstport', label: `Destination Port: ${f.dport}`, off: 36, len: 2 },
    { name: 'tcp.stream', label: `[Stream index: ${f.group}]`, off: 0, len: 0 },
    { name: 'tcp.len', label: `[TCP Segment Len: ${f.payload.length}]`, off: 0, len: 0 },
    { name: 'tcp.seq', label: `Sequence Number: ${f.seqRel}    (relative sequence number)`, off: 38, len: 4 },
    { name: 'tcp.seq_raw', label: `Sequence Number (raw): ${f.seqRaw}`, off: 38, len: 4 },
    { name: 'tcp.ack', label: `Acknowledgment Number: ${f.ackRel}    (relative ack number)`, off: 42, len: 4 },
    { name: 'tcp.ack_raw', label: `Acknowledgment number (raw): ${f.ackRaw}`, off: 42, len: 4 },
    { name: 'tcp.hdr_len', label: `${((hl / 4) >>> 0).toString(2).padStart(4, '0')} .... = Header Length: ${hl} bytes (${hl / 4})`, off: 46, len: 1 },
    {
      name: 'tcp.flags',
      label: `Flags: 0x${f.flags.toString(16).padStart(3, '0')} (${flagNames(f.flags)})`,
      off: 46,
      len: 2,
      children: [
        bit(TCP_ACK, 'tcp.flags.ack', '.... ...1 .... = Acknowledgment'),
        bit(TCP_PSH, 'tcp.flags.push', '.... .... 1... = Push'),
        bit(TCP_RST, 'tcp.flags.reset', '.... .... .1.. = Reset'),
        bit(TCP_SYN, 'tcp.flags.syn', '.... .... ..1. = Syn'),
        bit(TCP_FIN, 'tcp.flags.fin', '.... .... ...1 = Fin')
      ]
    },
    { name: 'tcp.window_size_value', label: 'Window: 502', off: 48, len: 2 },
    { name: 'tcp.checksum', label: 'Checksum: 0xfe30 [unverified]', off: 50, len: 2 },
    { name: 'tcp.urgent_pointer', label: 'Urgent Pointer: 0', off: 52, len: 2 }
  ]
  if (hl > 20) {
    tcpChildren.push({
      name: 'tcp.options',
      label: 'Options: (12 bytes), Maximum segment size, No-Operation (NOP), No-Operation (NOP), SACK permitted, Window scale',
      off: 54,
      len: 12,
      children: [
        { name: 'tcp.options.mss', label: 'TCP Option - Maximum segment size: 1460 bytes', off: 54, len: 4, children: [{ name: 'tcp.options.mss_val', label: 'MSS Value: 1460', off: 56, len: 2 }] },
        { name: 'tcp.options.nop', label: 'TCP Option - No-Operation (NOP)', off: 58, len: 1 },
        { name: 'tcp.options.nop', label: 'TCP Option - No-Operation (NOP)', off: 59, len: 1 },
        { name: 'tcp.options.sack_perm', label: 'TCP Option - SACK permitted', off: 60, len: 2 },
        { name: 'tcp.options.wscale', label: 'TCP Option - Window scale: 7 (multiply by 128)', off: 62, len: 3 }
      ]
    })
  }
  if (f.retrans) {
    tcpChildren.push({
      name: 'tcp.analysis',
      label: '[SEQ/ACK analysis]',
      off: 0,
      len: 0,
      children: [
        {
          name: 'tcp.analysis.flags',
          label: '[TCP Analysis Flags]',
          off: 0,
          len: 0,
          children: [
            {
              name: 'tcp.analysis.retransmission',
              label: '[This frame is a (suspected) retransmission]',
              off: 0,
              len: 0,
              expert: { severity: 'note', message: 'This frame is a (suspected) retransmission' }
            }
          ]
        }
      ]
    })
  }
  if (f.rst) tcpChildren[9].expert = { severity: 'warn', message: 'Connection reset (RST)' }
  tree.push({
    name: 'tcp',
    label: `Transmission Control Protocol, Src Port: ${f.sport}, Dst Port: ${f.dport}, Seq: ${f.seqRel}${f.flags & TCP_ACK ? `, Ack: ${f.ackRel}` : ''}, Len: ${f.payload.length}`,
    off: 34,
    len: hl,
    children: tcpChildren
  })
  if (f.payload) {
    const off = 34 + hl
    const lines = f.payload.split('\r\n')
    let o = off
    const children: TreeNode[] = []
    for (const l of lines) {
      if (o >= off + f.payload.length) break
      children.push({ name: '', label: l ? `${l}\\r\\n` : '\\r\\n', off: o, len: Math.min(l.length + 2, off + f.payload.length - o) })
      o += l.length + 2
    }
    tree.push({ name: 'http', label: 'Hypertext Transfer Protocol', off, len: f.payload.length, children })
  }
  return { tree, bytes: b }
}

// ---- streams ---------------------------------------------------------------------------

export function streamSummary(g: number, total: number): StreamSummary {
  const first = g * PERIOD + 3
  const last = Math.min(total, g * PERIOD + PERIOD)
  const packets = Math.max(0, last - first + 1)
  let bytes = 0
  for (let n = first; n <= last; n++) bytes += frameLen(frame(n))
  const f = frame(first)
  return {
    stream: g,
    client: `${f.src}:${f.sport}`,
    server: `${f.dst}:${f.dport}`,
    handshake: packets >= 3 ? 'complete' : packets > 0 ? 'partial' : 'none',
    packets,
    bytes,
    firstNo: first,
    state: frame(g * PERIOD + 10).rst ? 'reset' : 'closed'
  }
}

export function streamPackets(g: number, total: number): StreamPacket[] {
  const out: StreamPacket[] = []
  const t0 = frame(g * PERIOD + 3).time
  for (let n = g * PERIOD + 3; n <= Math.min(total, g * PERIOD + PERIOD); n++) {
    const f = frame(n)
    if (f.rst && f.kind === 'fin-c') {
      out.push(toStreamPacket(f, t0))
      break
    }
    out.push(toStreamPacket(f, t0))
  }
  return out
}

function toStreamPacket(f: Frame, t0: number): StreamPacket {
  return {
    no: f.no,
    time: f.time,
    rel: f.time - t0,
    fromClient: f.fromClient,
    flags: f.flags,
    seqRaw: f.seqRaw,
    ackRaw: f.ackRaw,
    seqRel: f.seqRel,
    ackRel: f.ackRel,
    len: f.payload.length,
    window: f.window,
    handshakeStep: f.kind === 'syn' ? 1 : f.kind === 'synack' ? 2 : f.kind === 'ack3' ? 3 : 0,
    retransmission: f.retrans,
    dupAck: false,
    info: info(f)
  }
}
