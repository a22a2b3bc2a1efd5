// The fast path of `wirenote fields`: when every requested field can be read from a summary
// dissection (no tree), lines are built from the packet context, the TCP record and the
// values dissectors collect. A field that could occur more than once in a frame (tunnels,
// packets quoted in ICMP errors) makes its extractor decline, and the caller renders that
// frame from a tree instead, so the output is the same as the tree path's.
import type { FrameInput } from '../dissect'
import type { PacketContext } from '../dissect/context'
import { epochText, escapeText } from '../dissect/format'
import type { TcpPacketRecord } from '../analysis/tcp-analysis'
import { countProtocols, type ProtocolCounts } from '../dissect/protocol-counts'

export interface FastFrame extends ProtocolCounts {
  input: FrameInput
  ctx: PacketContext
  tcp: TcpPacketRecord
  /** collector.values of the frame: [name, value, ...]. */
  values: readonly string[]
}

/** Returns the cell text, or null when this frame needs the tree. */
type Extractor = (f: FastFrame) => string | null

const hex2 = (b: number) => (b < 16 ? '0' : '') + b.toString(16)
function mac(d: Uint8Array, o: number): string {
  return `${hex2(d[o]!)}:${hex2(d[o + 1]!)}:${hex2(d[o + 2]!)}:${hex2(d[o + 3]!)}:${hex2(d[o + 4]!)}:${hex2(d[o + 5]!)}`
}

const ip4 = (pick: (f: FastFrame) => string): Extractor => (f) => {
  if (f.nIp === 0) return ''
  if (f.nIp !== 1 || !f.ctx.net || f.ctx.net.version !== 4 || f.nIpv6 !== 0) return null
  return pick(f)
}
const ip6 = (pick: (f: FastFrame) => string): Extractor => (f) => {
  if (f.nIpv6 === 0) return ''
  if (f.nIpv6 !== 1 || !f.ctx.net || f.ctx.net.version !== 6 || f.nIp !== 0) return null
  return pick(f)
}
const tcp = (pick: (f: FastFrame) => string | null): Extractor => (f) => {
  if (f.nTcp === 0) return ''
  if (f.nTcp !== 1 || !f.ctx.tcp || f.ctx.tcp.bogus) return null
  return pick(f)
}
const udp = (pick: (f: FastFrame) => string): Extractor => (f) => {
  if (f.nUdp === 0) return ''
  if (f.nUdp !== 1 || !f.ctx.udp) return null
  return pick(f)
}
const collected = (name: string): Extractor => (f) => {
  let out: string | null = null
  const v = f.values
  for (let i = 0; i < v.length; i += 2) {
    if (v[i] !== name) continue
    const s = escapeText(v[i + 1]!)
    out = out === null ? s : out + ',' + s
  }
  return out ?? ''
}

export const FAST_FIELDS: Readonly<Record<string, Extractor>> = {
  'frame.number': (f) => String(f.input.number),
  'frame.time_epoch': (f) => (f.input.hasTs ? epochText({ sec: f.input.tsSec, nsec: f.input.tsNsec }) : ''),
  'frame.len': (f) => String(f.input.origlen),
  'frame.cap_len': (f) => String(f.input.data.length),
  'frame.protocols': (f) => f.ctx.protocols.join(':'),
  'frame.comment': (f) => f.input.comments.map(escapeText).join(','),
  'eth.src': (f) => (f.nEth === 0 ? '' : f.nEth === 1 && f.input.linktype === 1 && f.input.data.length >= 14 ? mac(f.input.data, 6) : null),
  'eth.dst': (f) => (f.nEth === 0 ? '' : f.nEth === 1 && f.input.linktype === 1 && f.input.data.length >= 14 ? mac(f.input.data, 0) : null),
  'ip.src': ip4((f) => f.ctx.net!.src),
  'ip.dst': ip4((f) => f.ctx.net!.dst),
  'ip.proto': ip4((f) => String(f.ctx.net!.proto)),
  'ipv6.src': ip6((f) => f.ctx.net!.src),
  'ipv6.dst': ip6((f) => f.ctx.net!.dst),
  'tcp.srcport': tcp((f) => String(f.ctx.tcp!.srcport)),
  'tcp.dstport': tcp((f) => String(f.ctx.tcp!.dstport)),
  'tcp.flags': tcp((f) => '0x' + f.ctx.tcp!.flags.toString(16).padStart(4, '0')),
  'tcp.seq_raw': tcp((f) => String(f.ctx.tcp!.seq)),
  'tcp.ack_raw': tcp((f) => String(f.ctx.tcp!.ack)),
  'tcp.len': tcp((f) => (f.ctx.tcp!.len >= 0 ? String(f.ctx.tcp!.len) : '')),
  'tcp.hdr_len': tcp((f) => String(f.ctx.tcp!.hdrLen)),
  'tcp.window_size_value': tcp((f) => String(f.ctx.tcp!.window)),
  'tcp.options.mss_val': tcp((f) => (f.ctx.tcp!.mss === undefined ? '' : String(f.ctx.tcp!.mss))),
  'tcp.options.wscale.shift': tcp((f) => (f.ctx.tcp!.wscale === undefined ? '' : String(f.ctx.tcp!.wscale))),
  'tcp.stream': tcp((f) => (f.tcp.stream >= 0 ? String(f.tcp.stream) : null)),
  'udp.srcport': udp((f) => String(f.ctx.udp!.srcport)),
  'udp.dstport': udp((f) => String(f.ctx.udp!.dstport)),
  'dns.qry.name': collected('dns.qry.name'),
  'tls.handshake.extensions_server_name': collected('tls.handshake.extensions_server_name'),
  'http.request.method': collected('http.request.method'),
  'http.request.uri': collected('http.request.uri'),
  'http.host': collected('http.host'),
  'http.response.code': collected('http.response.code')
}

/** Fields whose values dissectors must collect in summary mode. */
export const COLLECTED_FIELDS = new Set([
  'dns.qry.name', 'tls.handshake.extensions_server_name', 'http.request.method', 'http.request.uri', 'http.host', 'http.response.code'
])

export class FastFieldsRenderer {
  private readonly extractors: Extractor[]
  private readonly frame: FastFrame = {
    input: undefined as unknown as FrameInput,
    ctx: undefined as unknown as PacketContext,
    tcp: { stream: -1, flags: 0 },
    values: [],
    nIp: 0,
    nIpv6: 0,
    nTcp: 0,
    nUdp: 0,
    nEth: 0
  }
  private readonly cells: string[]

  /** Null when some field has no fast extractor. */
  static create(fields: readonly string[], separator = '\t'): FastFieldsRenderer | null {
    for (const f of fields) if (!FAST_FIELDS[f]) return null
    return new FastFieldsRenderer(fields, separator)
  }

  private constructor(readonly fields: readonly string[], readonly separator: string) {
    this.extractors = fields.map((f) => FAST_FIELDS[f]!)
    this.cells = new Array<string>(fields.length).fill('')
  }

  /** Field names to collect in summary mode. */
  get collect(): ReadonlySet<string> {
    return new Set(this.fields.filter((f) => COLLECTED_FIELDS.has(f)))
  }

  /** The line of one summary-dissected frame, or null when the frame needs the tree path. */
  line(input: FrameInput, ctx: PacketContext, tcp: TcpPacketRecord, values: readonly string[]): string | null {
    const f = this.frame
    f.input = input
    f.ctx = ctx
    f.tcp = tcp
    f.values = values
    countProtocols(f, ctx.protocols)
    const cells = this.cells
    for (let i = 0; i < cells.length; i++) {
      const v = this.extractors[i]!(f)
      if (v === null) return null
      cells[i] = v
    }
    return cells.join(this.separator)
  }
}
