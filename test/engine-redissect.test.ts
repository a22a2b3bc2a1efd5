// The random-access path (one packet re-dissected with the compact record and the stream
// table the sequential pass left) gives the same tree as the sequential pass: the details pane
// shows what `wirenote fields` printed.
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import type { FrameInput } from '../src/main/dissect'
import type { FieldNode } from '../src/main/dissect/fields'
import { formatNode } from '../src/main/dissect/format'
import { labelOf } from '../src/main/dissect/label'
import { frameInput, redissect, SequentialDecoder, TCP_FLAGS, type TcpPacketRecord } from '../src/main/engine/decoder'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

/**
 * Every node in tree order: depth, name=value (what filters and -T fields see), bytes, label,
 * flags and expert note (what the details pane shows).
 */
function flatten(nodes: readonly FieldNode[], out: string[] = [], depth = 0): string[] {
  for (const n of nodes) {
    const flags = `${n.hidden ? 'H' : ''}${n.generated ? 'G' : ''}`
    const expert = n.expert ? ` !${n.expert.severity}:${n.expert.message}` : ''
    out.push(`${depth} ${n.name ? `${n.name}=${formatNode(n)}` : '-'} @${n.off}+${n.len} ${flags} "${labelOf(n)}"${expert}`)
    if (n.children) flatten(n.children, out, depth + 1)
  }
  return out
}

function copy(f: FrameInput): FrameInput {
  return { ...f, data: f.data.slice(), comments: [...f.comments] }
}

// pcpp-frag_http_req.pcap's last frame completes an IPv4 datagram from 11 fragments: redissect
// rebuilds it from the fragment frames the pass recorded (SequentialDecoder.datagrams).
const files = readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng|ntar)$/.test(f))

describe('redissect reproduces the sequential pass', () => {
  for (const file of files) {
    it(file, () => {
      let reader
      try {
        reader = openCaptureFile(CORPUS + file)
      } catch {
        return // files tshark also refuses
      }
      const dec = new SequentialDecoder({ tree: true })
      const frames: FrameInput[] = []
      const seq: { flat: string[]; info: string; record: TcpPacketRecord }[] = []
      for (;;) {
        const rec = reader.next()
        if (!rec) break
        const input = copy(frameInput(rec, reader))
        frames.push(input)
        const p = dec.decode(input)
        seq.push({ flat: flatten(p.dissection.tree), info: p.dissection.ctx.info, record: p.tcp })
      }
      reader.close()
      const diffs: string[] = []
      frames.forEach((input, i) => {
        const s = seq[i]!
        // The session stores just these two integers per packet.
        const stored: TcpPacketRecord = { stream: s.record.stream, flags: s.record.flags }
        const d = redissect(copy(input), stored, dec.streams, {
          pdu: dec.pdus.get(input.number),
          dupAck: dec.dupAcks.get(input.number),
          quic: dec.quicConnections,
          datagrams: dec.datagrams,
          readFrame: (no) => (frames[no - 1] ? copy(frames[no - 1]!) : null)
        })
        const flat = flatten(d.tree)
        const a = s.flat
        if (a.join('\n') !== flat.join('\n')) {
          const firstDiff = a.findIndex((x, k) => x !== flat[k])
          diffs.push(`frame ${input.number}: sequential ${a[firstDiff] ?? '<end>'} / redissect ${flat[firstDiff] ?? '<end>'}`)
        }
        // The Info column may differ only for segments of a PDU still being reassembled.
        if (!(stored.flags & TCP_FLAGS.NOT_DISSECTED) && d.ctx.info !== s.info) diffs.push(`frame ${input.number} info: "${s.info}" / "${d.ctx.info}"`)
      })
      expect(diffs.slice(0, 10)).toEqual([])
    })
  }
})
