// Builds the note-export fixtures once from real captures, with tshark as the oracle:
//   node test/golden/make-fixtures.mjs
// - stream-fin.fixture.json: stream 0 of ../shared/corpus/pcpp-one_http_stream_fin.pcap
// - hostile.fixture.json: hostile-uri-sni.pcap, written here, whose HTTP URI, Host and TLS SNI
//   carry <script>, ](javascript:...), backticks and pipes.
// Each fixture holds the StreamDetail, the details tree (from tshark's PDML) and bytes of the
// annotated frames, and the annotations the tests feed the exporter. The goldens derived from
// them (note-*.md, *.png) are re-made by the tests with WIRENOTE_UPDATE_GOLDEN=1, then reviewed.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url))

// ---- the hostile capture -----------------------------------------------------------------

function ipv4Checksum(b) {
  let s = 0
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0)
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16)
  return ~s & 0xffff
}

function tcpChecksum(src, dst, seg) {
  const pseudo = Buffer.concat([Buffer.from(src), Buffer.from(dst), Buffer.from([0, 6, seg.length >> 8, seg.length & 0xff])])
  return ipv4Checksum(Buffer.concat([pseudo, seg, seg.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]))
}

function frame({ src, dst, sport, dport, seq, ack, flags, payload = Buffer.alloc(0), win = 64240, opts = Buffer.alloc(0) }) {
  const tcpLen = 20 + opts.length
  const tcp = Buffer.alloc(tcpLen)
  tcp.writeUInt16BE(sport, 0)
  tcp.writeUInt16BE(dport, 2)
  tcp.writeUInt32BE(seq >>> 0, 4)
  tcp.writeUInt32BE(ack >>> 0, 8)
  tcp.writeUInt16BE(((tcpLen / 4) << 12) | flags, 12)
  tcp.writeUInt16BE(win, 14)
  opts.copy(tcp, 20)
  const seg = Buffer.concat([tcp, payload])
  seg.writeUInt16BE(tcpChecksum(src, dst, seg), 16)
  const ip = Buffer.alloc(20)
  ip[0] = 0x45
  ip.writeUInt16BE(20 + seg.length, 2)
  ip.writeUInt16BE(0x4000, 6)
  ip[8] = 64
  ip[9] = 6
  Buffer.from(src).copy(ip, 12)
  Buffer.from(dst).copy(ip, 16)
  ip.writeUInt16BE(ipv4Checksum(ip), 10)
  const eth = Buffer.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])
  return Buffer.concat([eth, ip, seg])
}

function clientHello(sni) {
  const name = Buffer.from(sni, 'latin1')
  const sniExt = Buffer.alloc(9 + name.length)
  sniExt.writeUInt16BE(0, 0) // server_name
  sniExt.writeUInt16BE(5 + name.length, 2)
  sniExt.writeUInt16BE(3 + name.length, 4)
  sniExt[6] = 0 // host_name
  sniExt.writeUInt16BE(name.length, 7)
  name.copy(sniExt, 9)
  const exts = Buffer.concat([Buffer.from([sniExt.length >> 8, sniExt.length & 0xff]), sniExt])
  const body = Buffer.concat([
    Buffer.from([0x03, 0x03]),
    Buffer.alloc(32, 0x42),
    Buffer.from([0]), // session id
    Buffer.from([0, 2, 0x13, 0x01]), // cipher suites
    Buffer.from([1, 0]), // compression
    exts
  ])
  const hs = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body])
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01, hs.length >> 8, hs.length & 0xff]), hs])
}

function writePcap(path, frames) {
  const head = Buffer.alloc(24)
  head.writeUInt32LE(0xa1b2c3d4, 0)
  head.writeUInt16LE(2, 4)
  head.writeUInt16LE(4, 6)
  head.writeUInt32LE(262144, 16)
  head.writeUInt32LE(1, 20)
  const recs = frames.map(({ t, data }) => {
    const r = Buffer.alloc(16)
    r.writeUInt32LE(Math.floor(t), 0)
    r.writeUInt32LE(Math.round((t % 1) * 1e6), 4)
    r.writeUInt32LE(data.length, 8)
    r.writeUInt32LE(data.length, 12)
    return Buffer.concat([r, data])
  })
  writeFileSync(path, Buffer.concat([head, ...recs]))
}

const HOSTILE_URI = '/<script>alert(1)</script>](javascript:alert(1))`rm`|x'
const HOSTILE_SNI = '<script>x</script>](javascript:alert(1))`.example'

function makeHostile() {
  const C = [10, 0, 0, 1]
  const S = [10, 0, 0, 2]
  const t0 = 1700000000.1
  const mss = Buffer.from([2, 4, 0x05, 0xb4])
  const http = Buffer.from(`GET ${HOSTILE_URI} HTTP/1.1\r\nHost: evil\`.example](javascript:alert(1))\r\nUser-Agent: <img src=x onerror=alert(1)>\r\n\r\n`, 'latin1')
  const tls = clientHello(HOSTILE_SNI)
  const a = { src: C, dst: S, sport: 51000, dport: 80 }
  const b = { src: S, dst: C, sport: 80, dport: 51000 }
  const a2 = { src: C, dst: S, sport: 51001, dport: 443 }
  const b2 = { src: S, dst: C, sport: 443, dport: 51001 }
  const x = 0x4ce45750
  const y = 0x1c0ffee0
  const x2 = 0x0badf00d
  const y2 = 0x7e57ab1e
  writePcap(`${here}/hostile-uri-sni.pcap`, [
    { t: t0, data: frame({ ...a, seq: x, ack: 0, flags: 0x002, opts: mss }) },
    { t: t0 + 0.0125, data: frame({ ...b, seq: y, ack: x + 1, flags: 0x012, opts: mss }) },
    { t: t0 + 0.0127, data: frame({ ...a, seq: x + 1, ack: y + 1, flags: 0x010 }) },
    { t: t0 + 0.013, data: frame({ ...a, seq: x + 1, ack: y + 1, flags: 0x018, payload: http }) },
    { t: t0 + 0.02, data: frame({ ...a2, seq: x2, ack: 0, flags: 0x002, opts: mss }) },
    { t: t0 + 0.031, data: frame({ ...b2, seq: y2, ack: x2 + 1, flags: 0x012, opts: mss }) },
    { t: t0 + 0.0312, data: frame({ ...a2, seq: x2 + 1, ack: y2 + 1, flags: 0x010 }) },
    { t: t0 + 0.0315, data: frame({ ...a2, seq: x2 + 1, ack: y2 + 1, flags: 0x018, payload: tls }) }
  ])
}

// ---- tshark → fixture --------------------------------------------------------------------

function tshark(args) {
  return execFileSync('tshark', ['-n', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 })
}

function readPcapFrames(path) {
  const b = readFileSync(path)
  const frames = []
  for (let off = 24; off + 16 <= b.length; ) {
    const cap = b.readUInt32LE(off + 8)
    frames.push(b.subarray(off + 16, off + 16 + cap))
    off += 16 + cap
  }
  return frames
}

function streamDetail(path, stream) {
  const fields = ['frame.number', 'frame.time_epoch', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.window_size', 'tcp.analysis.retransmission', 'tcp.analysis.duplicate_ack', '_ws.col.Info']
  const rows = tshark(['-r', path, '-Y', `tcp.stream == ${stream}`, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', ...fields.flatMap((f) => ['-e', f])])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
  const first = rows[0]
  const clientAddr = first[2] || first[3]
  const clientPort = Number(first[4])
  // Nanosecond integers: subtracting two epoch floats would add rounding noise to `rel`.
  const ns = (epoch) => BigInt(epoch.replace('.', ''))
  const t0 = ns(first[1])
  const packets = rows.map((r) => {
    const src = r[2] || r[3]
    const fromClient = src === clientAddr && Number(r[4]) === clientPort
    const flags = parseInt(r[8], 16)
    return {
      no: Number(r[0]),
      time: Number(r[1]),
      rel: Number(ns(r[1]) - t0) / 1e9,
      fromClient,
      flags,
      seqRaw: Number(r[9]),
      ackRaw: Number(r[10]),
      seqRel: Number(r[11]),
      ackRel: Number(r[12]),
      len: Number(r[13]),
      window: Number(r[14]),
      handshakeStep: 0,
      retransmission: r[15] !== '',
      dupAck: r[16] !== '',
      info: r[17]
    }
  })
  const syn = packets.find((p) => p.flags === 0x002 && p.fromClient)
  const synAck = packets.find((p) => p.flags === 0x012 && !p.fromClient)
  const ack = synAck && packets.find((p) => p.fromClient && p.no > synAck.no && (p.flags & 0x017) === 0x010 && p.ackRaw === ((synAck.seqRaw + 1) >>> 0))
  if (syn) syn.handshakeStep = 1
  if (synAck) synAck.handshakeStep = 2
  if (ack) ack.handshakeStep = 3
  const server = { addr: first[5] || first[6], port: Number(first[7]) }
  return { stream, client: { addr: clientAddr, port: clientPort }, server, handshake: syn && synAck && ack ? 'complete' : 'partial', packets, truncated: false }
}

function unescapeXml(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
  )
}

/** PDML of one frame → TreeNode[] (hidden fields and geninfo left out, as in Wireshark's details pane). */
function detailsTree(path, no) {
  const xml = tshark(['-r', path, '-T', 'pdml', '-Y', `frame.number == ${no}`])
  const root = { children: [] }
  const stack = [root]
  const skip = []
  for (const m of xml.matchAll(/<(\/?)(proto|field)\b([^>]*?)(\/?)>/g)) {
    const [, close, , attrText, selfClose] = m
    if (close) {
      if (skip.pop()) continue
      stack.pop()
      continue
    }
    const attrs = {}
    for (const a of attrText.matchAll(/(\w+)="([^"]*)"/g)) attrs[a[1]] = unescapeXml(a[2])
    const hidden = attrs.hide === 'yes' || attrs.name === 'geninfo' || skip.includes(true)
    if (hidden) {
      if (!selfClose) skip.push(true)
      continue
    }
    const node = { name: attrs.name ?? '', label: attrs.showname ?? attrs.show ?? '', off: Number(attrs.pos ?? 0), len: Number(attrs.size ?? 0) }
    const parent = stack[stack.length - 1]
    ;(parent.children ??= []).push(node)
    if (!selfClose) {
      skip.push(false)
      stack.push(node)
    }
  }
  return root.children
}

function find(tree, name) {
  for (const n of tree) {
    if (n.name === name) return n
    const c = n.children && find(n.children, name)
    if (c) return c
  }
  return undefined
}

function hl(tree, name) {
  const n = find(tree, name)
  if (!n) throw new Error(`no ${name}`)
  return { name, off: n.off, len: n.len }
}

function build(path, fileName, stream, annotated, annotations, out) {
  const frames = readPcapFrames(path)
  const details = {}
  for (const no of annotated) details[no] = { no, tree: detailsTree(path, no), bytes: frames[no - 1].toString('base64') }
  const ann = annotations((no, name) => hl(details[no].tree, name))
  writeFileSync(`${here}/${out}`, JSON.stringify({ source: fileName, fileName, stream: streamDetail(path, stream), details, annotations: ann }, null, 1) + '\n')
}

build(`${corpus}pcpp-one_http_stream_fin.pcap`, 'pcpp-one_http_stream_fin.pcap', 0, [1, 2, 3, 4], (h) => ({
  title: 'What happens when my PC fetches an AVG update over HTTP',
  intro: 'A capture of **one** HTTP download from `77.67.44.206`, start to finish.\nThe first three packets are the [three-way handshake](https://www.rfc-editor.org/rfc/rfc9293#section-3.5).',
  packets: [
    { no: 1, step: 'Step 1 · SYN', note: 'The client picks its initial sequence number *x* and sets **SYN**.', highlights: [h(1, 'tcp.flags.syn'), h(1, 'tcp.seq_raw')] },
    { no: 2, step: 'Step 2 · SYN-ACK', note: 'The server answers with its own ISN *y* and acknowledges x + 1.', highlights: [h(2, 'tcp.seq_raw'), h(2, 'tcp.ack_raw')] },
    { no: 3, step: '第三步 · ACK', note: '客户端确认服务器的 SYN：Ack = y + 1。握手完成，连接建立。\n\nThe handshake is complete.', highlights: [h(3, 'tcp.ack_raw')] },
    { no: 4, step: '', note: 'The request itself: `GET /softw/90/update/avg9infoavi.ctf`.', highlights: [h(4, 'http.request.uri')] }
  ]
}), 'stream-fin.fixture.json')

makeHostile()
build(`${here}/hostile-uri-sni.pcap`, 'hostile <b>`capture`</b>](javascript:alert(1)).pcap', 0, [4, 8], (h) => ({
  title: 'Title with <script>alert(1)</script> and "quotes": {{ site.title }} {% raw %}',
  intro: 'Intro with <img src=x onerror=alert(1)> and [a link](javascript:alert(1)).\n\n<script>alert(2)</script>\n\n```\n<kept in code>\n```',
  packets: [
    { no: 4, step: 'Step <4> | `GET`', note: 'URI was `' + HOSTILE_URI + '` <iframe src=x>', highlights: [h(4, 'http.request.uri')] },
    { no: 8, step: '](javascript:alert(1))', note: 'SNI [click](javascript:alert(1)) <a href="javascript:x">y</a>', highlights: [h(8, 'tls.handshake.extensions_server_name')] }
  ]
}), 'hostile.fixture.json')
