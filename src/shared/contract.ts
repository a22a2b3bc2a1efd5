// The one typed contract between the main process and the renderer. Both transports
// (Electron IPC through the preload, and the headless server's WebSocket) carry exactly
// these methods and events; the main side validates every argument with these schemas.
import { z } from 'zod'
import type { DiagramLayout } from './diagram/layout'

// ---- shared shapes -------------------------------------------------------------------

export type RowColor = '' | 'handshake' | 'syn' | 'fin' | 'rst' | 'retrans' | 'bad'

export interface PacketRow {
  /** frame.number, 1-based, of the underlying capture (not of the filtered view). */
  no: number
  /** Seconds since the epoch (absolute), since the first packet, and since the previous displayed packet. */
  abs: number
  rel: number
  delta: number
  src: string
  dst: string
  protocol: string
  length: number
  info: string
  color: RowColor
  /** tcp.stream, -1 when not TCP. */
  stream: number
  annotated: boolean
}

export interface TreeNode {
  /** Field name (`tcp.seq_raw`), protocol name (`tcp`) or '' for text lines. */
  name: string
  label: string
  off: number
  len: number
  children?: TreeNode[]
  expert?: { severity: 'chat' | 'note' | 'warn' | 'error'; message: string }
}

export interface PacketDetails {
  no: number
  tree: TreeNode[]
  /** Captured bytes as base64. */
  bytes: string
}

export interface InterfaceDesc {
  name: string
  description: string
  addresses: string[]
  loopback: boolean
}

export interface StreamSummary {
  stream: number
  client: string
  server: string
  /** e.g. "complete", "syn-only", "no-handshake" */
  handshake: 'complete' | 'partial' | 'none'
  packets: number
  bytes: number
  firstNo: number
  state: string
}

export interface Endpoint {
  addr: string
  port: number
}

/** One TCP segment of a stream, as the diagram, the handshake table and the note export need it. */
export interface StreamPacket {
  no: number
  /** Seconds since the epoch (frame.time_epoch as a number) and since the stream's first packet. */
  time: number
  rel: number
  /** Sent by the client: the side that sent the first SYN (or, without a SYN, the first packet). */
  fromClient: boolean
  /** tcp.flags (12 bits). */
  flags: number
  seqRaw: number
  ackRaw: number
  seqRel: number
  ackRel: number
  len: number
  window: number
  /** 1 = SYN, 2 = SYN-ACK, 3 = the ACK completing the handshake; 0 otherwise. */
  handshakeStep: 0 | 1 | 2 | 3
  retransmission: boolean
  dupAck: boolean
  info: string
}

export interface StreamDetail {
  stream: number
  client: Endpoint
  server: Endpoint
  handshake: StreamSummary['handshake']
  packets: StreamPacket[]
  /** True when the stream has more packets than were returned. */
  truncated: boolean
}

export interface CaptureStatus {
  running: boolean
  /** The display is paused: packets are still captured to the spool, the list stops growing. */
  paused: boolean
  iface: string
  filter: string
  packets: number
  bytes: number
  /** Packets per second over the last second. */
  rate: number
  /** Resident set size of the main process, bytes. */
  rss: number
  spoolPath: string
  /** Why drops are not shown: cap exposes no kernel drop counter. */
  dropsNote: string
  error?: string
  /** Stable code of `error` (permission, unknown-interface, bad-filter, interface-down, disk-full, ...). */
  errorCode?: string
}

export interface LoadProgress {
  path: string
  bytesRead: number
  fileSize: number
  packets: number
  done: boolean
  /** Set when the file was cut or corrupt: whole packets before the fault are loaded. */
  error?: { message: string; offset: number }
}

export interface Annotation {
  no: number
  note: string
  step: string
  /** Highlighted fields by name and byte range. */
  highlights: { name: string; off: number; len: number }[]
}

export interface FileAnnotations {
  title: string
  intro: string
  packets: Annotation[]
}

export interface FilterError {
  message: string
  /** 0-based character position of the error in the filter text. */
  pos: number
  /** End (exclusive) of the offending token, when known, so the bar can underline it. */
  end?: number
}

// ---- methods -------------------------------------------------------------------------

const path = z.string().min(1).max(4096)
const frameNo = z.number().int().min(1)

export const methods = {
  'app.info': { args: z.object({}).strict() },
  'file.open': { args: z.object({ path }).strict() },
  'file.openSample': { args: z.object({}).strict() },
  'file.recent': { args: z.object({}).strict() },
  /** What is open now (after a reload or reconnect the renderer asks instead of guessing). */
  'file.current': { args: z.object({}).strict() },
  /** Refuses to replace an existing file (code 'exists') unless `overwrite` is set. */
  'file.save': { args: z.object({ path, overwrite: z.boolean().default(false) }).strict() },
  'capture.interfaces': { args: z.object({}).strict() },
  'capture.start': { args: z.object({ iface: z.string().min(1).max(256), filter: z.string().max(4096).default('') }).strict() },
  'capture.stop': { args: z.object({}).strict() },
  /** Pause/resume the display only: the capture goes on spooling to disk. */
  'capture.pause': { args: z.object({}).strict() },
  'capture.resume': { args: z.object({}).strict() },
  'capture.status': { args: z.object({}).strict() },
  'view.rows': { args: z.object({ start: z.number().int().min(0), count: z.number().int().min(0).max(2000) }).strict() },
  'view.filter': { args: z.object({ text: z.string().max(10000) }).strict() },
  /** Checks a filter against the field registry without applying it (the bar, as you type). */
  'filter.check': { args: z.object({ text: z.string().max(10000) }).strict() },
  'view.find': { args: z.object({ no: frameNo }).strict() },
  'packet.details': { args: z.object({ no: frameNo }).strict() },
  'streams.list': { args: z.object({}).strict() },
  'stream.packets': { args: z.object({ stream: z.number().int().min(0), limit: z.number().int().min(1).max(100000).default(10000) }).strict() },
  'annotations.get': { args: z.object({}).strict() },
  'annotations.set': {
    args: z
      .object({
        title: z.string().max(1000),
        intro: z.string().max(100000),
        packets: z
          .array(
            z.object({
              no: frameNo,
              note: z.string().max(100000),
              step: z.string().max(200),
              highlights: z.array(z.object({ name: z.string().max(200), off: z.number().int().min(0), len: z.number().int().min(0) })).max(200)
            }).strict()
          )
          .max(100000)
      })
      .strict()
  },
  'export.note': {
    args: z
      .object({
        stream: z.number().int().min(0),
        outDir: path,
        lang: z.enum(['en', 'zh-CN']).default('en'),
        frontMatter: z.enum(['none', 'jekyll', 'hexo']).default('none'),
        seqFormat: z.enum(['hex', 'dec', 'relative']).default('hex'),
        theme: z.enum(['light', 'dark']).default('light'),
        mermaid: z.boolean().default(true),
        wholeStream: z.boolean().default(false),
        textbook: z.boolean().default(false),
        /** Sections for every annotated packet, or only those of the exported stream. */
        packets: z.enum(['all', 'stream']).default('all')
      })
      .strict()
  },
  'packet.card': {
    args: z
      .object({
        no: frameNo,
        theme: z.enum(['light', 'dark']).default('light'),
        lang: z.enum(['en', 'zh-CN']).default('en')
      })
      .strict()
  },
  'diagram.stream': {
    args: z
      .object({
        stream: z.number().int().min(0),
        seqFormat: z.enum(['hex', 'dec', 'relative']).default('hex'),
        wholeStream: z.boolean().default(false),
        textbook: z.boolean().default(false),
        lang: z.enum(['en', 'zh-CN']).default('en'),
        theme: z.enum(['light', 'dark']).default('light')
      })
      .strict()
  }
} as const

export type MethodName = keyof typeof methods
export type MethodArgs<M extends MethodName> = z.input<(typeof methods)[M]['args']>

export interface MethodResults {
  /** `documents`: a writable folder to suggest for saves and exports. */
  'app.info': { version: string; mode: 'electron' | 'headless'; platform: string; sample: string; documents: string }
  'file.open': { path: string; packets: number; error?: { message: string; offset: number } }
  'file.openSample': { path: string; packets: number }
  'file.recent': { paths: string[] }
  'file.current': { path: string | null; packets: number; filter: string; live: boolean }
  'file.save': { path: string }
  'capture.interfaces': { interfaces: InterfaceDesc[] }
  'capture.start': CaptureStatus
  'capture.stop': CaptureStatus
  'capture.pause': CaptureStatus
  'capture.resume': CaptureStatus
  'capture.status': CaptureStatus
  'view.rows': { total: number; rows: PacketRow[] }
  'view.filter': { ok: true; total: number } | { ok: false; error: FilterError }
  'filter.check': { ok: true } | { ok: false; error: FilterError }
  'view.find': { index: number }
  'packet.details': PacketDetails
  /** The first streams (at most 20 000) and how many the capture has. */
  'streams.list': { streams: StreamSummary[]; total: number }
  'stream.packets': StreamDetail
  /** `unsaved`: edited since the file was opened or saved (closing would lose them). */
  'annotations.get': FileAnnotations & { unsaved: boolean }
  'annotations.set': { ok: true }
  'export.note': { dir: string; files: string[] }
  /** A packet card (details + bytes + note) as SVG and as a 2× PNG (base64), for the clipboard. */
  'packet.card': { svg: string; png: string; width: number; height: number }
  /** One layout model (src/shared/diagram) feeds the UI, the SVG and the Mermaid text. */
  'diagram.stream': { layout: DiagramLayout; svg: string; mermaid: string }
}

// ---- events (main → renderer) --------------------------------------------------------

export interface EventPayloads {
  'capture.progress': CaptureStatus
  'load.progress': LoadProgress
  /**
   * The packet view changed: it grew (live capture, load) or, with `reset`, was rebuilt (new
   * file, new filter) so every cached row is stale.
   */
  'view.changed': { total: number; reset?: boolean }
  error: { message: string; detail?: string }
  /** A display filter is being applied: how far the scan got (the old view stays until `done`). */
  'filter.progress': { text: string; scanned: number; total: number; matched: number; done: boolean }
  /** A file became the open capture, whoever asked (the renderer, a menu, the CLI's --open). */
  'file.opened': { path: string; packets: number; error?: { message: string; offset: number } }
  /** An application-menu command the renderer carries out (Electron only). */
  menu: { action: MenuAction }
}

export type MenuAction = 'export-note' | 'capture-start' | 'theme-system' | 'theme-light' | 'theme-dark' | 'lang-en' | 'lang-zh-CN'

export type EventName = keyof EventPayloads

/** Errors crossing the contract carry a stable code and a user-facing message. */
export interface ContractError {
  code: 'invalid-args' | 'unknown-method' | 'failed' | 'exists'
  message: string
}

/** What both transports expose to the renderer (window.wirenote in Electron). */
export interface WirenoteApi {
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResults[M]>
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void
  /**
   * The file-system path of a dropped/picked DOM File (Electron's webUtils.getPathForFile);
   * absent in the browser (headless mode), where a path must be typed instead.
   */
  pathForFile?(file: unknown): string | null
}
