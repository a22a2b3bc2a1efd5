// The sequence-number rules of the handshake and the teardown, checked against the real values:
// each SYN and FIN consumes one sequence number, so the peer acknowledges Seq + Len + 1.
import type { StreamDetail, StreamPacket } from '../contract'
import { formatRaw, TCP_ACK, TCP_FIN, type SeqFormat } from './format'

export type CheckId = 'synack-acks-syn' | 'ack-seq-follows-syn' | 'ack-acks-synack' | 'fin-acked'

export interface SeqCheck {
  id: CheckId
  /** The packet whose field is checked; null when no packet of the capture answers (an unacknowledged FIN). */
  no: number | null
  field: 'seq' | 'ack'
  actual: number | null
  /** The packet and value it is checked against. */
  refNo: number
  ref: number
  /** What is added to the reference: 1 for the SYN or FIN, plus the segment's payload length. */
  plus: number
  ok: boolean
  /** actual − (ref + plus) as a signed 32-bit difference; 0 when ok, null when there is no actual value. */
  diff: number | null
}

/** Signed 32-bit difference a − b, so a wrap-around near 2^32 reads as a small number. */
export function seqDiff(a: number, b: number): number {
  return ((a >>> 0) - (b >>> 0)) | 0
}

function check(id: CheckId, p: StreamPacket, field: 'seq' | 'ack', ref: StreamPacket, plus: number): SeqCheck {
  const actual = field === 'seq' ? p.seqRaw : p.ackRaw
  const diff = seqDiff(actual, ref.seqRaw + plus)
  return { id, no: p.no, field, actual: actual >>> 0, refNo: ref.no, ref: ref.seqRaw >>> 0, plus, ok: diff === 0, diff }
}

/** The three packets of the handshake (the first of each step), any of them possibly missing. */
export function handshakePackets(d: StreamDetail): [StreamPacket | undefined, StreamPacket | undefined, StreamPacket | undefined] {
  const find = (step: 1 | 2 | 3) => d.packets.find((p) => p.handshakeStep === step)
  return [find(1), find(2), find(3)]
}

/** Checks of the three-way handshake; a check whose packets are not in the capture is left out. */
export function handshakeChecks(d: StreamDetail): SeqCheck[] {
  const [syn, synAck, ack] = handshakePackets(d)
  const out: SeqCheck[] = []
  if (syn && synAck) out.push(check('synack-acks-syn', synAck, 'ack', syn, 1))
  if (syn && ack) out.push(check('ack-seq-follows-syn', ack, 'seq', syn, 1))
  if (synAck && ack) out.push(check('ack-acks-synack', ack, 'ack', synAck, 1))
  return out
}

/**
 * For each FIN (retransmissions aside), the first later packet of the other side that
 * acknowledges it exactly; when none does, the last acknowledgement the other side sent (✗ with
 * the difference), or no packet at all.
 */
export function teardownChecks(d: StreamDetail): SeqCheck[] {
  const out: SeqCheck[] = []
  d.packets.forEach((fin, i) => {
    if (!(fin.flags & TCP_FIN) || fin.retransmission) return
    const plus = fin.len + 1
    const answers = d.packets.slice(i + 1).filter((p) => p.fromClient !== fin.fromClient && (p.flags & TCP_ACK) !== 0)
    const exact = answers.find((p) => seqDiff(p.ackRaw, fin.seqRaw + plus) === 0)
    const last = answers[answers.length - 1]
    if (exact || last) out.push(check('fin-acked', (exact ?? last)!, 'ack', fin, plus))
    else out.push({ id: 'fin-acked', no: null, field: 'ack', actual: null, refNo: fin.no, ref: fin.seqRaw >>> 0, plus, ok: false, diff: null })
  })
  return out
}

/**
 * The check as a formula: `Ack 0x4ce45751 = Seq 0x4ce45750 + 1 ✓`, `Ack 0x… ≠ Seq 0x… + 1 ✗ (Δ = +4)`,
 * `Ack ? = Seq 0x… + 1 ✗` when nothing answered. Language-neutral; the note adds the words.
 */
export function formatCheck(c: SeqCheck, fmt: SeqFormat): string {
  const left = `${c.field === 'seq' ? 'Seq' : 'Ack'} ${c.actual === null ? '?' : formatRaw(c.actual, fmt)}`
  const plus = c.plus === 1 ? '+ 1' : `+ ${c.plus - 1} + 1`
  const right = `Seq ${formatRaw(c.ref, fmt)} ${plus}`
  if (c.ok) return `${left} = ${right} ✓`
  if (c.diff === null) return `${left} = ${right} ✗`
  return `${left} ≠ ${right} ✗ (Δ = ${c.diff > 0 ? '+' : ''}${c.diff})`
}
