// Fixed text of the diagram in both languages.
export type Lang = 'en' | 'zh-CN'

export interface DiagramStrings {
  client: string
  server: string
  titleHandshake: (stream: number) => string
  titleStream: (stream: number) => string
  time: string
  retransmission: string
  dupAck: string
  legendX: (value: string) => string
  legendY: (value: string) => string
  truncated: (shown: number) => string
  noHandshake: string
  /** The frame number beside each arrow (the packet list's No. column). */
  frame: (no: number) => string
}

export const DIAGRAM_STRINGS: Record<Lang, DiagramStrings> = {
  en: {
    client: 'Client',
    server: 'Server',
    titleHandshake: (n) => `TCP three-way handshake (stream ${n})`,
    titleStream: (n) => `TCP stream ${n}`,
    time: 'Time (s)',
    retransmission: 'retransmission',
    dupAck: 'duplicate ACK',
    legendX: (v) => `x = ${v} (client's initial sequence number)`,
    legendY: (v) => `y = ${v} (server's initial sequence number)`,
    truncated: (n) => `Only the first ${n} packets of the stream are shown.`,
    noHandshake: 'No TCP handshake in this stream: show the whole stream instead.',
    frame: (no) => `No. ${no}`
  },
  'zh-CN': {
    client: '客户端',
    server: '服务器',
    titleHandshake: (n) => `TCP 三次握手（流 ${n}）`,
    titleStream: (n) => `TCP 流 ${n}`,
    time: '时间（秒）',
    retransmission: '重传',
    dupAck: '重复确认',
    legendX: (v) => `x = ${v}（客户端初始序号）`,
    legendY: (v) => `y = ${v}（服务器初始序号）`,
    truncated: (n) => `仅显示该流的前 ${n} 个分组。`,
    noHandshake: '该流中没有 TCP 握手：请改为显示整个流。',
    frame: (no) => `序号 ${no}`
  }
}
