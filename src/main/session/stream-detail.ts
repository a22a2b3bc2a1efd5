// One TCP stream's segments as the diagram, the handshake table and the note export need
// them: raw and relative numbers, direction, handshake step and analysis marks.
import type { StreamDetail, StreamPacket } from '../../shared/contract'
import type { Dissection } from '../dissect/index'
import type { FieldNode, FieldValue } from '../dissect/fields'
import { TCP_FLAGS } from '../engine/decoder'
import { UserError } from '../rpc/router'
import type { RawFrame } from './decoding'
import type { OpenCapture } from './open-capture'

/** Frames read back and dissected per batch. */
const READ_SLICE = 2_048

function firstValue(nodes: readonly FieldNode[], name: string): FieldValue | undefined {
  for (const n of nodes) {
    if (n.name === name) return n.value
    if (n.children) {
      const v = firstValue(n.children, name)
      if (v !== undefined) return v
    }
  }
  return undefined
}

/** One segment as the diagram and the note need it; `zero` gives the stream's first time. */
function streamPacket(d: Dissection, f: RawFrame, zero: (t: number) => number): StreamPacket {
  const e = f.entry
  const t = d.ctx.tcp
  const time = Number.isNaN(e.tsSec) ? 0 : e.tsSec + e.tsNsec / 1e9
  const seqRaw = t?.seq ?? 0
  const ackRaw = t?.ack ?? 0
  const num = (v: FieldValue | undefined, fallback: number): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : fallback)
  return {
    no: f.number,
    time,
    rel: time - zero(time),
    fromClient: (e.tcpFlags & TCP_FLAGS.FROM_CLIENT) !== 0,
    flags: t?.flags ?? 0,
    seqRaw,
    ackRaw,
    seqRel: num(firstValue(d.tree, 'tcp.seq'), seqRaw),
    ackRel: num(firstValue(d.tree, 'tcp.ack'), ackRaw),
    len: Math.max(0, t?.len ?? 0),
    window: t?.window ?? 0,
    handshakeStep: (e.tcpFlags & TCP_FLAGS.HANDSHAKE_MASK) as 0 | 1 | 2 | 3,
    retransmission: (e.tcpFlags & TCP_FLAGS.RETRANS_MASK) !== 0,
    dupAck: (e.tcpFlags & TCP_FLAGS.DUP_ACK) !== 0,
    info: d.ctx.info
  }
}

/** The segments of one TCP stream with raw and relative numbers (diagram, note export). */
export function streamDetail(cap: OpenCapture, stream: number, limit: number): StreamDetail {
  const T = cap.decoder.streams
  if (stream >= T.count) throw new UserError(`There is no TCP stream ${stream}: the capture has ${T.count}.`)
  const nos: number[] = []
  const span = T.summary(stream)
  const last = Math.min(span.lastFrame, cap.packets)
  let truncated = false
  for (let no = span.firstFrame; no <= last; no++) {
    if (cap.index.stream(no - 1) !== stream) continue
    if (nos.length === limit) {
      truncated = true
      break
    }
    nos.push(no)
  }
  const ep = T.endpoints(stream)
  const packets: StreamPacket[] = []
  let t0 = NaN
  for (let i = 0; i < nos.length; i += READ_SLICE) {
    for (const f of cap.frames(nos.slice(i, i + READ_SLICE))) packets.push(streamPacket(cap.decoder.dissect(f, true), f, (t) => (Number.isNaN(t0) ? (t0 = t) : t0)))
  }
  return { stream, client: ep.client, server: ep.server, handshake: T.handshakeState(stream), packets, truncated }
}
