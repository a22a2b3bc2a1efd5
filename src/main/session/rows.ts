// One row of the packet list: the columns Wireshark shows, from the packet re-dissected with
// its stored analysis, and the colour and annotation marks the index kept.
import type { PacketRow } from '../../shared/contract'
import type { RawFrame } from './decoding'
import { markColor, MARK_ANNOTATED } from './marks'
import type { OpenCapture } from './open-capture'

/** `first`: the Time column's zero; `prev`: the previous displayed packet's time (NaN: none). */
export function packetRow(cap: OpenCapture, f: RawFrame, first: number, prev: number): PacketRow {
  const d = cap.decoder.dissect(f, true)
  const e = f.entry
  const abs = Number.isNaN(e.tsSec) ? NaN : e.tsSec + e.tsNsec / 1e9
  return {
    no: f.number,
    abs: Number.isNaN(abs) ? 0 : abs,
    rel: Number.isNaN(abs) ? 0 : abs - first,
    delta: Number.isNaN(abs) || Number.isNaN(prev) ? 0 : abs - prev,
    src: d.ctx.src,
    dst: d.ctx.dst,
    protocol: d.ctx.protocol || (d.ctx.protocols.at(-1) ?? '').toUpperCase(),
    length: e.origlen,
    info: d.ctx.info,
    color: markColor(e.mark),
    stream: e.stream,
    annotated: (e.mark & MARK_ANNOTATED) !== 0
  }
}
