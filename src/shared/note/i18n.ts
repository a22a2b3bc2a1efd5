// Fixed text of the exported note in both languages. Values passed in are already Markdown
// (escaped wire data or code spans).
import type { CheckId } from '../diagram/checks'
import type { Lang } from '../diagram/i18n'

export interface NoteStrings {
  defaultTitle: (stream: number, client: string, server: string) => string
  source: (file: string, stream: number, client: string, server: string) => string
  diagram: string
  diagramAlt: (stream: number) => string
  diagramSvg: string
  handshake: string
  noHandshake: string
  cols: { no: string; time: string; path: string; flags: string; seqRaw: string; ackRaw: string; seqRel: string; ackRel: string }
  checks: string
  isn: (x: string, y: string) => string
  check: Record<CheckId, (no: string, refNo: string) => string>
  finUnanswered: (refNo: string) => string
  packets: string
  packetHeading: (no: number, step: string) => string
  packetAlt: (no: number) => string
  packetSvg: string
  summary: string
  highlighted: string
  byteRange: (off: number, len: number) => string
  /** A zero-length field (e.g. tshark's generated ones) has a position but no bytes. */
  offset: (off: number) => string
  /** Text in parentheses (full-width in Chinese). */
  paren: (s: string) => string
}

export const NOTE_STRINGS: Record<Lang, NoteStrings> = {
  en: {
    defaultTitle: (n, c, s) => `TCP stream ${n}: ${c} → ${s}`,
    source: (f, n, c, s) => `Capture: ${f}, TCP stream ${n} (${c} → ${s}).`,
    diagram: 'Sequence diagram',
    diagramAlt: (n) => `Sequence diagram of TCP stream ${n}`,
    diagramSvg: 'Vector version',
    handshake: 'Handshake packets',
    noHandshake: 'The capture holds no TCP handshake for this stream.',
    cols: { no: 'No.', time: 'Time (s)', path: 'Source → Destination', flags: 'Flags', seqRaw: 'Seq (raw)', ackRaw: 'Ack (raw)', seqRel: 'Seq (rel.)', ackRel: 'Ack (rel.)' },
    checks: 'Checks',
    isn: (x, y) => `x = ${x} is the client's initial sequence number, y = ${y} the server's.`,
    check: {
      'synack-acks-syn': (no, ref) => `The SYN-ACK (No. ${no}) acknowledges the SYN (No. ${ref}), x + 1:`,
      'ack-seq-follows-syn': (no, ref) => `The ACK (No. ${no}) continues after the SYN (No. ${ref}), Seq = x + 1:`,
      'ack-acks-synack': (no, ref) => `The ACK (No. ${no}) acknowledges the SYN-ACK (No. ${ref}), y + 1:`,
      'fin-acked': (no, ref) => `No. ${no} acknowledges the FIN of No. ${ref}:`
    },
    finUnanswered: (ref) => `Nothing in the capture acknowledges the FIN of No. ${ref}:`,
    packets: 'Annotated packets',
    packetHeading: (no, step) => (step ? `No. ${no} — ${step}` : `No. ${no}`),
    packetAlt: (no) => `Packet ${no}`,
    packetSvg: 'vector version',
    summary: 'Summary',
    highlighted: 'Highlighted fields',
    byteRange: (off, len) => (len === 1 ? `byte ${off}` : `bytes ${off}–${off + len - 1}`),
    offset: (off) => `at byte ${off}`,
    paren: (s) => `(${s})`
  },
  'zh-CN': {
    defaultTitle: (n, c, s) => `TCP 流 ${n}：${c} → ${s}`,
    source: (f, n, c, s) => `抓包文件：${f}，TCP 流 ${n}（${c} → ${s}）。`,
    diagram: '时序图',
    diagramAlt: (n) => `TCP 流 ${n} 的时序图`,
    diagramSvg: '矢量图',
    handshake: '握手分组',
    noHandshake: '抓包中没有该流的 TCP 握手。',
    cols: { no: '序号', time: '时间（秒）', path: '源 → 目的', flags: '标志', seqRaw: 'Seq（原始值）', ackRaw: 'Ack（原始值）', seqRel: 'Seq（相对值）', ackRel: 'Ack（相对值）' },
    checks: '校验',
    isn: (x, y) => `x = ${x} 是客户端的初始序号，y = ${y} 是服务器的初始序号。`,
    check: {
      'synack-acks-syn': (no, ref) => `SYN-ACK（第 ${no} 个分组）确认 SYN（第 ${ref} 个分组），即 x + 1：`,
      'ack-seq-follows-syn': (no, ref) => `ACK（第 ${no} 个分组）的序号紧接 SYN（第 ${ref} 个分组），即 Seq = x + 1：`,
      'ack-acks-synack': (no, ref) => `ACK（第 ${no} 个分组）确认 SYN-ACK（第 ${ref} 个分组），即 y + 1：`,
      'fin-acked': (no, ref) => `第 ${no} 个分组确认第 ${ref} 个分组的 FIN：`
    },
    finUnanswered: (ref) => `抓包中没有分组确认第 ${ref} 个分组的 FIN：`,
    packets: '分组注释',
    packetHeading: (no, step) => (step ? `第 ${no} 个分组 — ${step}` : `第 ${no} 个分组`),
    packetAlt: (no) => `第 ${no} 个分组`,
    packetSvg: '矢量图',
    summary: '摘要',
    highlighted: '高亮字段',
    byteRange: (off, len) => (len === 1 ? `第 ${off} 字节` : `第 ${off}–${off + len - 1} 字节`),
    offset: (off) => `位于第 ${off} 字节`,
    paren: (s) => `（${s}）`
  }
}
