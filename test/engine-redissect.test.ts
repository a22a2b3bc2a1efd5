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
import { frameInput, redissect, SequentialDecoder, TCP_FLAGS, type TcpPacketRecord } from '../src/main/engine/decoder'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

/** "name=value" of every named node in tree order (what filters and -T fields see). */
function flatten(nodes: readonly FieldNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.name) out.push(`${n.name}=${formatNode(n)}`)
    if (n.children) flatten(n.children, out)
  }
  return out
}

function copy(f: FrameInput): FrameInput {
  return { ...f, data: f.data.slice(), comments: [...f.comments] }
}

// pcpp-frag_http_req.pcap: its last frame completes an IPv4 datagram from 11 fragments; the
// random-access path has no IP reassembly state (see the report: a sparse fragment index is
// the network layer's to add), so that frame alone cannot show TCP/HTTP.
const SKIP = new Set(['pcpp-frag_http_req.pcap'])
const files = readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng|ntar)$/.test(f) && !SKIP.has(f))

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
          readFrame: (no) => (frames[no - 1] ? copy(frames[no - 1]!) : null)
        })
        const flat = flatten(d.tree)
        const a = s.flat.filter((x) => !x.startsWith('tcp.analysis.bytes'))
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
