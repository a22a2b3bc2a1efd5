// Bodies carried by HTTP (and other media-typed payloads): chosen by Content-Type as
// Wireshark's media_type table does: text lines, JSON, XML, else "media".
import { addLayer, type PacketContext } from '../context'
import { defineField, defineProtocol, node, type FieldNode } from '../fields'

const F = {
  lines: defineProtocol('data-text-lines', 'Line-based text data'),
  json: defineProtocol('json', 'JavaScript Object Notation'),
  xml: defineProtocol('xml', 'eXtensible Markup Language'),
  media: defineProtocol('media', 'Media Type'),
  data: defineProtocol('data', 'Data'),
  mediaType: defineField('media.type', 'Media type', 'string'),
  jsonValue: defineField('json.value.string', 'String value', 'string')
}

const TEXT_TYPES = new Set([
  'text/html', 'text/plain', 'text/css', 'text/scriptlet', 'application/x-www-form-urlencoded', 'application/x-javascript',
  'application/javascript', 'text/javascript', 'text/vnd.sun.j2me.app-descriptor', 'application/x-ns-proxy-autoconfig',
  'application/vnd.oma.drm.message', 'application/x-wms-logplaystats', 'application/x-rtsp-udp-packetpair'
])
const JSON_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest', 'application/x-json', 'text/json'])

function mediaKind(contentType: string): 'lines' | 'json' | 'xml' | 'media' | 'none' {
  const t = contentType.split(';')[0]!.trim().toLowerCase()
  if (!t || t === 'application/octet-stream') return 'none'
  if (TEXT_TYPES.has(t)) return 'lines'
  if (JSON_TYPES.has(t) || t.endsWith('+json')) return 'json'
  if (t === 'text/xml' || t === 'application/xml' || t.endsWith('+xml')) return 'xml'
  return 'media'
}

function text(b: Uint8Array, a: number, e: number, max = 256): string {
  let s = ''
  const lim = Math.min(e, a + max)
  for (let i = a; i < lim; i++) s += String.fromCharCode(b[i]!)
  return s
}

/**
 * Dissects a body occupying `start..end` of the frame; `decoded` holds it when it had to be
 * de-chunked or decompressed (then nodes span the frame range, the bytes are not in the frame).
 */
export function dissectMediaBody(
  ctx: PacketContext,
  _parent: FieldNode | undefined,
  start: number,
  end: number,
  decoded: Uint8Array | null,
  contentType: string
): void {
  const bytes = decoded ?? ctx.data
  const a = decoded ? 0 : start
  const e = decoded ? decoded.length : end
  if (e <= a) return
  const ct = contentType.split(';')[0]!.trim().toLowerCase()
  switch (mediaKind(contentType)) {
    case 'lines':
      textLines(ctx, bytes, a, e, start, end, ct)
      break
    case 'json':
      json(ctx, start, end)
      if (ctx.tree) ctx.info += `, JavaScript Object Notation (${ct})`
      break
    case 'xml':
      xml(ctx, bytes, a, e, start, end)
      break
    case 'media': {
      const top = addLayer(ctx, F.media, start, end - start)
      if (top) {
        top.label = `Media Type`
        top.children!.push(node(F.mediaType, start, end - start, ct))
        ctx.info += ` (${ct})`
      }
      break
    }
    default: {
      const top = addLayer(ctx, F.data, start, end - start)
      if (top) top.label = `Data (${e - a} bytes)`
    }
  }
}

/** data-text-lines; a body starting with "<?xml" goes on to XML, as Wireshark's text-media does. */
export function textLines(ctx: PacketContext, b: Uint8Array, a: number, e: number, start: number, end: number, ct: string): void {
  const top = addLayer(ctx, F.lines, start, end - start)
  if (e - a > 38 && text(b, a, a + 5).toLowerCase() === '<?xml') {
    // Wireshark's text-media hands a body that starts like XML to the XML dissector instead.
    if (top) top.label = `Line-based text data: ${ct}`
    xml(ctx, b, a, e, start, end)
    return
  }
  if (top) {
    let count = 0
    let p = a
    while (p < e && count < 1000) {
      let q = p
      while (q < e && b[q] !== 0x0a) q++
      const lineEnd = q < e ? q + 1 : q
      top.children!.push({ name: '', off: start + (b === ctx.data ? p - a : 0), len: b === ctx.data ? lineEnd - p : 0, label: text(b, p, q) })
      count++
      p = lineEnd
    }
    top.label = `Line-based text data: ${ct} (${count} lines)`
    if (ct) ctx.info += ` (${ct})`
  }
}

/** JSON and XML add themselves to the Protocol column ("HTTP/XML", "DB-LSP-DISC/JSON"). */
function appendColumn(ctx: PacketContext, name: string): void {
  ctx.protocol = ctx.protocol ? `${ctx.protocol}/${name}` : name
}

function xml(ctx: PacketContext, b: Uint8Array, a: number, e: number, start: number, end: number): void {
  const top = addLayer(ctx, F.xml, start, end - start)
  appendColumn(ctx, 'XML')
  if (top) top.label = 'eXtensible Markup Language'
  if (top) top.children!.push({ name: '', off: start, len: end - start, label: text(b, a, e, 120) })
}

function json(ctx: PacketContext, start: number, end: number): void {
  const top = addLayer(ctx, F.json, start, end - start)
  appendColumn(ctx, 'JSON')
  if (top) top.label = 'JavaScript Object Notation'
}

/** JSON payload in the frame (db-lsp-disc and friends). */
export function dissectJson(ctx: PacketContext, off: number, end: number): void {
  json(ctx, off, end)
}
