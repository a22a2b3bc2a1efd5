// HTTP/1.x (RFC 9112) on its TCP ports and by heuristic: request and status lines, headers,
// and the body (Content-Length, chunked, gzip/deflate) handed to a media dissector. With TCP
// reassembly on, a message is only shown once its headers and body are complete, as tshark does.
import { gunzipSync, inflateSync, inflateRawSync } from 'node:zlib'
import { addLayer, type PacketContext } from '../context'
import { defineField, defineProtocol, node, type FieldDef, type FieldNode } from '../fields'
import { askMore, byTcpPort, desegment, ONE_MORE_SEGMENT, onPorts, tcpHeuristics } from '../transport/ports'
import { dissectMediaBody } from './media'
import { collect, collector } from './collect'

/** PDU length unknown until the connection closes (HTTP/1.0 bodies without Content-Length). */
export const UNTIL_FIN = 0x0ffffffe

const F = {
  http: defineProtocol('http', 'Hypertext Transfer Protocol'),
  method: defineField('http.request.method', 'Request Method', 'string'),
  uri: defineField('http.request.uri', 'Request URI', 'string'),
  uriPath: defineField('http.request.uri.path', 'Request URI Path', 'string'),
  uriQuery: defineField('http.request.uri.query', 'Request URI Query', 'string'),
  reqVersion: defineField('http.request.version', 'Request Version', 'string'),
  resVersion: defineField('http.response.version', 'Response Version', 'string'),
  code: defineField('http.response.code', 'Status Code', 'uint16'),
  codeDesc: defineField('http.response.code.desc', 'Status Code Description', 'string'),
  phrase: defineField('http.response.phrase', 'Response Phrase', 'string'),
  requestLine: defineField('http.request.line', 'Request line', 'string'),
  responseLine: defineField('http.response.line', 'Response line', 'string'),
  fullUri: defineField('http.request.full_uri', 'Full request URI', 'string'),
  request: defineField('http.request', 'Request', 'bool'),
  response: defineField('http.response', 'Response', 'bool'),
  contentLength: defineField('http.content_length', 'Content length', 'uint64'),
  fileData: defineField('http.file_data', 'File Data', 'string'),
  chunkSize: defineField('http.chunk_size', 'Chunk size', 'uint32'),
  unknownHeader: defineField('http.unknown_header', 'Unknown header', 'string')
}

/** Header name (lower case) → field: what tshark shows as its own field besides the line. */
const HEADERS: Readonly<Record<string, FieldDef>> = {}
for (const [h, name, title] of [
  ['host', 'http.host', 'Host'],
  ['user-agent', 'http.user_agent', 'User-Agent'],
  ['accept', 'http.accept', 'Accept'],
  ['accept-language', 'http.accept_language', 'Accept-Language'],
  ['accept-encoding', 'http.accept_encoding', 'Accept-Encoding'],
  ['connection', 'http.connection', 'Connection'],
  ['cookie', 'http.cookie', 'Cookie'],
  ['referer', 'http.referer', 'Referer'],
  ['content-type', 'http.content_type', 'Content-Type'],
  ['content-length', 'http.content_length_header', 'Content-Length'],
  ['content-encoding', 'http.content_encoding', 'Content-encoding'],
  ['transfer-encoding', 'http.transfer_encoding', 'Transfer-Encoding'],
  ['date', 'http.date', 'Date'],
  ['cache-control', 'http.cache_control', 'Cache-Control'],
  ['server', 'http.server', 'Server'],
  ['location', 'http.location', 'Location'],
  ['set-cookie', 'http.set_cookie', 'Set-Cookie'],
  ['last-modified', 'http.last_modified', 'Last-Modified'],
  ['authorization', 'http.authorization', 'Authorization'],
  ['www-authenticate', 'http.www_authenticate', 'WWW-Authenticate'],
  ['proxy-authorization', 'http.proxy_authorization', 'Proxy-Authorization'],
  ['proxy-authenticate', 'http.proxy_authenticate', 'Proxy-Authenticate'],
  ['upgrade', 'http.upgrade', 'Upgrade'],
  ['x-forwarded-for', 'http.x_forwarded_for', 'X-Forwarded-For'],
  ['sec-websocket-key', 'http.sec_websocket_key', 'Sec-WebSocket-Key'],
  ['sec-websocket-accept', 'http.sec_websocket_accept', 'Sec-WebSocket-Accept'],
  ['sec-websocket-version', 'http.sec_websocket_version', 'Sec-WebSocket-Version']
] as const) {
  ;(HEADERS as Record<string, FieldDef>)[h] = defineField(name, title, 'string')
}

const METHODS = new Set([
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL',
  'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH', 'REPORT', 'MERGE',
  'CHECKOUT', 'CHECKIN', 'UNCHECKOUT', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL', 'BASELINE-CONTROL', 'LABEL',
  'UPDATE', 'ORDERPATCH', 'MKCALENDAR', 'BPROPFIND', 'BPROPPATCH', 'BCOPY', 'BDELETE', 'BMOVE', 'POLL', 'PURGE'
])

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-authoritative Information',
  204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 300: 'Multiple Choices', 301: 'Moved Permanently',
  302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Time-out',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large',
  414: 'Request-URI Too Long', 415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed', 418: "I'm a teapot", 429: 'Too Many Requests', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out',
  505: 'HTTP Version not supported'
}

/** Exclusive end of the line starting at p (before CRLF or LF), or -1 when no line end is in range. */
function lineEnd(d: Uint8Array, p: number, end: number): number {
  for (let i = p; i < end; i++) if (d[i] === 0x0a) return i > p && d[i - 1] === 0x0d ? i - 1 : i
  return -1
}
function nextLine(d: Uint8Array, le: number): number {
  return d[le] === 0x0d ? le + 2 : le + 1
}
function latin1(d: Uint8Array, a: number, b: number): string {
  // Headers are short: a plain loop beats TextDecoder here.
  let s = ''
  for (let i = a; i < b; i++) s += String.fromCharCode(d[i]!)
  return s
}
const isPrint = (c: number) => c >= 0x20 && c < 0x7f

interface FirstLine {
  kind: 'request' | 'response'
  /** Offsets of the three tokens (method/uri/version or version/code/phrase). */
  a: number
  aEnd: number
  b: number
  bEnd: number
  c: number
  cEnd: number
}

/** Parses a request or status line at p..le, as Wireshark's is_http_request_or_reply does. */
function parseFirstLine(d: Uint8Array, p: number, le: number): FirstLine | null {
  let sp1 = -1
  for (let i = p; i < le && i - p <= 20; i++) if (d[i] === 0x20) {
    sp1 = i
    break
  }
  if (sp1 <= p) return null
  const tok = latin1(d, p, sp1)
  if (tok.startsWith('HTTP/') && tok.length >= 8) {
    // "HTTP/1.1 200 OK": a 3-digit status code
    const c0 = sp1 + 1
    if (c0 + 3 > le) return null
    for (let i = c0; i < c0 + 3; i++) if (d[i]! < 0x30 || d[i]! > 0x39) return null
    if (c0 + 3 < le && d[c0 + 3] !== 0x20) return null
    const ph = Math.min(c0 + 4, le)
    return { kind: 'response', a: p, aEnd: sp1, b: c0, bEnd: c0 + 3, c: ph, cEnd: le }
  }
  if (!METHODS.has(tok)) return null
  let sp2 = -1
  for (let i = le - 1; i > sp1; i--) if (d[i] === 0x20) {
    sp2 = i
    break
  }
  if (sp2 < 0) return { kind: 'request', a: p, aEnd: sp1, b: sp1 + 1, bEnd: le, c: le, cEnd: le }
  return { kind: 'request', a: p, aEnd: sp1, b: sp1 + 1, bEnd: sp2, c: sp2 + 1, cEnd: le }
}

/** Is there an HTTP request or status line at `off`? (the http_tcp heuristic) */
export function looksLikeHttp(ctx: PacketContext, off: number, end: number): boolean {
  const d = ctx.data
  const le = lineEnd(d, off, Math.min(end, off + 4096))
  const lim = le < 0 ? Math.min(end, off + 4096) : le
  if (lim <= off) return false
  return parseFirstLine(d, off, lim) !== null && le >= 0
}

interface Headers {
  contentLength: number
  chunked: boolean
  contentType: string
  contentEncoding: string
  host: string
  connectionClose: boolean
}

/**
 * Decodes HTTP messages from `off`; returns true (the stream is HTTP). Without a complete
 * first line, headers or body it asks TCP for more (when reassembly is possible) and shows
 * nothing, like Wireshark's req_resp_hdrs_do_reassembly.
 */
/** The context that already got its "http" layer in the current hand-off (one per call). */
let shown: PacketContext | null = null

export function dissectHttp(ctx: PacketContext, off: number, end: number): boolean {
  shown = null
  const d = ctx.data
  let p = off
  while (p < end) {
    if (!isPrint(d[p]!)) return true
    const le = lineEnd(d, p, end)
    if (le < 0) {
      if (desegment.canDesegment) {
        askMore(p, ONE_MORE_SEGMENT)
        return true
      }
    }
    const first = le < 0 ? null : parseFirstLine(d, p, le)
    if (!first) {
      continuation(ctx, p, end)
      return true
    }
    const n = dissectMessage(ctx, p, end, le, first)
    if (n <= 0) return true
    p += n
  }
  return true
}

function continuation(ctx: PacketContext, off: number, end: number): void {
  let top: FieldNode | undefined
  if (shown !== ctx) {
    shown = ctx
    top = addLayer(ctx, F.http, off, end - off)
  } else if (ctx.tree) {
    top = node(F.http, off, end - off, undefined, [])
    ctx.layers.push(top)
  }
  ctx.protocol = 'HTTP'
  if (top) {
    top.children!.push(node(F.fileData, off, end - off, latin1(ctx.data, off, Math.min(end, off + 65536))))
    ctx.info = 'Continuation'
  }
}

/** tshark has already written the first line to the Info column when it asks TCP for more. */
function pending(ctx: PacketContext, p: number, le: number): void {
  if (ctx.tree) ctx.info = latin1(ctx.data, p, le) + ' '
}

/** One message at p; returns its length, or 0 when more bytes were asked for. */
function dissectMessage(ctx: PacketContext, p: number, end: number, le: number, first: FirstLine): number {
  const d = ctx.data
  const canDeseg = desegment.canDesegment
  // Headers: up to the empty line.
  const h: Headers = { contentLength: -1, chunked: false, contentType: '', contentEncoding: '', host: '', connectionClose: false }
  const lines: [number, number][] = []
  let q = nextLine(d, le)
  let headersEnd = -1
  while (q < end) {
    const e = lineEnd(d, q, end)
    if (e < 0) break
    if (e === q) {
      headersEnd = nextLine(d, e)
      break
    }
    lines.push([q, e])
    q = nextLine(d, e)
  }
  if (headersEnd < 0) {
    if (canDeseg) {
      pending(ctx, p, le)
      askMore(p, ONE_MORE_SEGMENT)
      return 0
    }
    headersEnd = end
  }
  for (const [a, b] of lines) {
    let c = a
    while (c < b && d[c] !== 0x3a) c++
    if (c >= b) continue
    // Only six headers matter here: skip the others without making strings (hot in big captures).
    const n = c - a
    if (n !== 4 && n !== 10 && n !== 12 && n !== 14 && n !== 16 && n !== 17) continue
    const name = latin1(d, a, c).toLowerCase()
    let v = c + 1
    while (v < b && (d[v] === 0x20 || d[v] === 0x09)) v++
    if (name === 'content-length') {
      const n = Number(latin1(d, v, b).trim())
      if (Number.isFinite(n) && n >= 0) h.contentLength = n
    } else if (name === 'transfer-encoding') h.chunked = /chunked/i.test(latin1(d, v, b))
    else if (name === 'content-type') h.contentType = latin1(d, v, b)
    else if (name === 'content-encoding') h.contentEncoding = latin1(d, v, b).trim().toLowerCase()
    else if (name === 'host') h.host = latin1(d, v, b)
    else if (name === 'connection') h.connectionClose = /close/i.test(latin1(d, v, b))
  }
  const isResponse = first.kind === 'response'
  const code = isResponse ? Number(latin1(d, first.b, first.bEnd)) : 0
  const version = latin1(d, isResponse ? first.a : first.c, isResponse ? first.aEnd : first.cEnd)
  const noBody = isResponse && ((code >= 100 && code < 200) || code === 204 || code === 304)
  // Body extent
  let bodyStart = headersEnd
  let bodyEnd = headersEnd
  let chunks: [number, number][] | null = null
  if (!noBody && h.chunked) {
    chunks = []
    let c = headersEnd
    let done = false
    while (c < end) {
      const e = lineEnd(d, c, end)
      if (e < 0) break
      const size = parseInt(latin1(d, c, e).split(';')[0]!.trim(), 16)
      if (!Number.isFinite(size) || size < 0) {
        done = true
        bodyEnd = end
        break
      }
      const dataStart = nextLine(d, e)
      if (size === 0) {
        // Trailer lines up to an empty one
        let t = dataStart
        for (;;) {
          const te = lineEnd(d, t, end)
          if (te < 0) break
          const empty = te === t
          t = nextLine(d, te)
          if (empty) {
            done = true
            bodyEnd = t
            break
          }
        }
        break
      }
      if (dataStart + size + 2 > end) break
      chunks.push([dataStart, dataStart + size])
      c = dataStart + size
      c = d[c] === 0x0d ? c + 2 : c + 1
    }
    if (!done) {
      if (canDeseg) {
        pending(ctx, p, le)
        askMore(p, ONE_MORE_SEGMENT)
        return 0
      }
      bodyEnd = end
    }
  } else if (!noBody && h.contentLength >= 0) {
    if (headersEnd + h.contentLength > end) {
      if (canDeseg) {
        pending(ctx, p, le)
        askMore(p, headersEnd + h.contentLength - end)
        return 0
      }
      bodyEnd = end
    } else bodyEnd = headersEnd + h.contentLength
  } else if (!noBody && isResponse && (version === 'HTTP/1.0' || h.connectionClose)) {
    // The body runs until the server closes the connection.
    if (canDeseg && !desegment.atFin) {
      pending(ctx, p, le)
      askMore(p, UNTIL_FIN)
      return 0
    }
    bodyEnd = end
  }
  bodyStart = Math.min(bodyStart, end)
  bodyEnd = Math.min(bodyEnd, end)

  if (!ctx.tree && collector.want !== null) {
    if (isResponse) collect('http.response.code', String(code))
    else {
      collect('http.request.method', latin1(d, first.a, first.aEnd))
      collect('http.request.uri', latin1(d, first.b, first.bEnd))
      if (h.host) collect('http.host', h.host)
    }
  }
  // Show it
  const again = shown === ctx
  // Several messages in one hand-off are one "http" in frame.protocols, as in tshark.
  let top: FieldNode | undefined
  if (!again) {
    shown = ctx
    top = addLayer(ctx, F.http, p, bodyEnd - p)
  } else if (ctx.tree) {
    top = node(F.http, p, bodyEnd - p, undefined, [])
    ctx.layers.push(top)
  }
  ctx.protocol = 'HTTP'
  const firstText = latin1(d, p, le)
  if (ctx.tree) ctx.info = again ? `${ctx.info}${firstText} ` : `${firstText} `
  if (top) {
    const k = top.children!
    const fl: FieldNode = { name: '', off: p, len: nextLine(d, le) - p, label: `${firstText}\\r\\n`, children: [] }
    const fk = fl.children!
    if (isResponse) {
      fk.push(node(F.resVersion, first.a, first.aEnd - first.a, version))
      fk.push(node(F.code, first.b, 3, code))
      fk.push(node(F.codeDesc, first.b, 3, STATUS_TEXT[code] ?? 'Unknown'))
      fk.push(node(F.phrase, first.c, first.cEnd - first.c, latin1(d, first.c, first.cEnd)))
    } else {
      fk.push(node(F.method, first.a, first.aEnd - first.a, latin1(d, first.a, first.aEnd)))
      const uri = latin1(d, first.b, first.bEnd)
      const un = node(F.uri, first.b, first.bEnd - first.b, uri)
      const qm = uri.indexOf('?')
      if (qm >= 0) {
        un.children = [node(F.uriPath, first.b, qm, uri.slice(0, qm)), node(F.uriQuery, first.b + qm + 1, uri.length - qm - 1, uri.slice(qm + 1))]
      }
      fk.push(un)
      if (first.c < first.cEnd) fk.push(node(F.reqVersion, first.c, first.cEnd - first.c, version))
    }
    k.push(fl)
    for (const [a, b] of lines) {
      const full = latin1(d, a, b)
      const c = full.indexOf(':')
      const lineLen = nextLine(d, b) - a
      const lineNode = node(isResponse ? F.responseLine : F.requestLine, a, lineLen, full + '\r\n')
      lineNode.hidden = true
      if (c > 0) {
        const def = HEADERS[full.slice(0, c).toLowerCase()]
        if (def) {
          const value = full.slice(c + 1).replace(/^[ \t]+/, '')
          const hn = node(def, a, lineLen, value)
          hn.label = `${full}\\r\\n`
          k.push(hn)
          if (def.name === 'http.content_length_header' && h.contentLength >= 0) {
            hn.children = [node(F.contentLength, a, lineLen, BigInt(h.contentLength))]
          }
          k.push(lineNode)
          continue
        }
      }
      lineNode.hidden = false
      lineNode.label = `${full}\\r\\n`
      k.push(lineNode)
    }
    k.push({ name: '', off: headersEnd - 2, len: 2, label: '\\r\\n' })
    if (!isResponse && h.host) {
      const fu = node(F.fullUri, p, 0, `http://${h.host}${latin1(d, first.b, first.bEnd)}`)
      fu.generated = true
      k.push(fu)
    }
    const flag = node(isResponse ? F.response : F.request, p, 0, true)
    flag.hidden = true
    k.push(flag)
  }
  if (bodyEnd > bodyStart) dissectBody(ctx, top, bodyStart, bodyEnd, chunks, h)
  return Math.max(bodyEnd - p, 1)
}

const MAX_INFLATED = 16 * 1024 * 1024

function dissectBody(
  ctx: PacketContext,
  top: FieldNode | undefined,
  start: number,
  end: number,
  chunks: [number, number][] | null,
  h: Headers
): void {
  let body: Uint8Array | null = null
  if (chunks) {
    const total = chunks.reduce((n, [a, b]) => n + b - a, 0)
    body = new Uint8Array(total)
    let o = 0
    for (const [a, b] of chunks) {
      body.set(ctx.data.subarray(a, b), o)
      o += b - a
    }
  }
  if (h.contentEncoding === 'gzip' || h.contentEncoding === 'deflate' || h.contentEncoding === 'x-gzip') {
    const raw = body ?? ctx.data.subarray(start, end)
    try {
      const opts = { maxOutputLength: MAX_INFLATED }
      body = h.contentEncoding === 'deflate' ? tryInflate(raw, opts) : gunzipSync(raw, opts)
    } catch {
      body = null
      if (top) top.children!.push({ name: '', off: start, len: end - start, label: 'Content-encoded entity body: decompression failed' })
      return
    }
  }
  dissectMediaBody(ctx, top, start, end, body, h.contentType)
}

function tryInflate(raw: Uint8Array, opts: { maxOutputLength: number }): Uint8Array {
  try {
    return inflateSync(raw, opts)
  } catch {
    return inflateRawSync(raw, opts)
  }
}

onPorts(byTcpPort, [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371], dissectHttp)
tcpHeuristics.push((ctx, off, end) => (looksLikeHttp(ctx, off, end) ? dissectHttp(ctx, off, end) : false))
