// PNG output: size at 2× density, not blank, and close to reviewed golden images (test/golden/*.png,
// looked at by a person before being committed; WIRENOTE_UPDATE_GOLDEN=1 rewrites them).
import { readFileSync, writeFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { FileAnnotations, PacketDetails, StreamDetail } from '../src/shared/contract'
import { layoutDiagram } from '../src/shared/diagram/layout'
import { diagramToSvg } from '../src/shared/diagram/svg'
import { packetCardSvg } from '../src/main/export/card'
import { loadFonts } from '../src/main/export/fonts'
import { svgToPng, svgToPngAsync } from '../src/main/export/png'

interface Fixture {
  stream: StreamDetail
  details: Record<string, PacketDetails>
  annotations: FileAnnotations
}

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url)
const fin = JSON.parse(readFileSync(golden('stream-fin.fixture.json'), 'utf8')) as Fixture
const hostile = JSON.parse(readFileSync(golden('hostile.fixture.json'), 'utf8')) as Fixture
const update = process.env.WIRENOTE_UPDATE_GOLDEN === '1'

interface Image {
  width: number
  height: number
  rgba: Uint8Array
}

/** A minimal PNG reader: 8-bit RGB or RGBA, not interlaced (what resvg writes). */
function readPng(buf: Buffer): Image {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))
  let off = 8
  let width = 0
  let height = 0
  let channels = 0
  const idat: Buffer[] = []
  while (off < buf.length) {
    const len = buf.readUInt32BE(off)
    const type = buf.toString('latin1', off + 4, off + 8)
    const data = buf.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      expect(data[8]).toBe(8)
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0
      expect(channels).not.toBe(0)
      expect(data[12]).toBe(0)
    } else if (type === 'IDAT') idat.push(data)
    off += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const out = new Uint8Array(width * height * 4)
  const prev = new Uint8Array(stride)
  const cur = new Uint8Array(stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0
      const b = prev[i]!
      const c = i >= channels ? prev[i - channels]! : 0
      let v = line[i]!
      if (filter === 1) v += a
      else if (filter === 2) v += b
      else if (filter === 3) v += (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      cur[i] = v & 0xff
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 4; k++) out[(y * width + x) * 4 + k] = k < channels ? cur[x * channels + k]! : 255
    }
    prev.set(cur)
  }
  return { width, height, rgba: out }
}

/** Variance of the luminance: 0 for a blank image. */
function variance(img: Image): number {
  let sum = 0
  let sq = 0
  const n = img.width * img.height
  for (let i = 0; i < n; i++) {
    const l = 0.299 * img.rgba[i * 4]! + 0.587 * img.rgba[i * 4 + 1]! + 0.114 * img.rgba[i * 4 + 2]!
    sum += l
    sq += l * l
  }
  return sq / n - (sum / n) ** 2
}

/** Share of pixels whose largest channel difference exceeds `threshold`, and the mean difference. */
function compare(a: Image, b: Image, threshold = 48): { differing: number; mean: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height])
  let differing = 0
  let total = 0
  const n = a.width * a.height
  for (let i = 0; i < n; i++) {
    let d = 0
    for (let k = 0; k < 4; k++) d = Math.max(d, Math.abs(a.rgba[i * 4 + k]! - b.rgba[i * 4 + k]!))
    if (d > threshold) differing++
    total += d
  }
  return { differing: differing / n, mean: total / n }
}

function checkAgainstGolden(name: string, png: Buffer): void {
  if (update) writeFileSync(golden(name), png)
  const diff = compare(readPng(png), readPng(readFileSync(golden(name))))
  // Same fonts and renderer: identical; the tolerance absorbs anti-aliasing changes across resvg builds.
  expect(diff.differing).toBeLessThan(0.005)
  expect(diff.mean).toBeLessThan(2)
}

describe('PNG rendering', () => {
  it('finds the fonts: DejaVu Sans, DejaVu Sans Mono and Noto Sans CJK, with metrics', () => {
    const fonts = loadFonts()
    expect(fonts.missing).toEqual([])
    for (const role of ['sans', 'mono', 'cjk'] as const) {
      const m = fonts.faces[role]!.metrics!
      expect(m.advance('A'.codePointAt(0)!)).toBeGreaterThan(0)
    }
    const cjk = fonts.faces.cjk!.metrics!
    expect(cjk.advance('握'.codePointAt(0)!)! / cjk.unitsPerEm).toBe(1)
    const mono = fonts.faces.mono!.metrics!
    expect(mono.advance('i'.codePointAt(0)!)).toBe(mono.advance('W'.codePointAt(0)!))
    expect(mono.advance('握'.codePointAt(0)!)).toBeUndefined()
  })

  it('renders the handshake diagram at 2× and matches the reviewed image', async () => {
    const layout = layoutDiagram(fin.stream, { seqFormat: 'hex', wholeStream: false, textbook: true, lang: 'en' })
    const out = await svgToPngAsync(diagramToSvg(layout, 'light'))
    expect([out.width, out.height]).toEqual([layout.width * 2, layout.height * 2])
    const img = readPng(out.png)
    expect([img.width, img.height]).toEqual([out.width, out.height])
    expect(variance(img)).toBeGreaterThan(200)
    checkAgainstGolden('diagram-handshake-textbook-light.png', out.png)
  })

  it('renders a packet card with a Chinese note in the dark theme and matches the reviewed image', () => {
    const a = fin.annotations.packets.find((p) => p.no === 3)!
    const card = packetCardSvg({ details: fin.details[3]!, annotation: a, summary: fin.stream.packets[2]!.info, theme: 'dark', lang: 'zh-CN' })
    const out = svgToPng(card.svg)
    expect(out.width).toBe(card.width * 2)
    expect(out.height).toBe(card.height * 2)
    expect(variance(readPng(out.png))).toBeGreaterThan(200)
    checkAgainstGolden('card-3-zh-CN-dark.png', out.png)
  })

  it('renders the hostile packets as text, in both themes', () => {
    for (const no of [4, 8]) {
      const a = hostile.annotations.packets.find((p) => p.no === no)!
      for (const theme of ['light', 'dark'] as const) {
        const card = packetCardSvg({ details: hostile.details[no]!, annotation: a, summary: '<script>`x`</script>](javascript:alert(1))', theme, lang: 'en' })
        expect(card.svg).not.toMatch(/<(script|img|iframe|a)\b/)
        const out = svgToPng(card.svg)
        expect(out.width).toBe(1920)
        expect(variance(readPng(out.png))).toBeGreaterThan(200)
      }
    }
  })

  it('keeps a card of a big packet readable: rows and dump lines around the highlights', () => {
    const bytes = Buffer.alloc(1514, 0x41)
    const tree = [
      { name: 'frame', label: 'Frame 1', off: 0, len: 1514 },
      {
        name: 'data',
        label: 'Data',
        off: 54,
        len: 1460,
        children: Array.from({ length: 300 }, (_, i) => ({ name: `data.item${i}`, label: `Item ${i} ${'中'.repeat(i % 3)}`, off: 54 + i * 4, len: 4 }))
      }
    ]
    const details: PacketDetails = { no: 1, tree, bytes: bytes.toString('base64') }
    const annotation = { no: 1, step: '', note: 'x '.repeat(2000), highlights: [{ name: 'data.item250', off: 1054, len: 4 }] }
    const card = packetCardSvg({ details, annotation, summary: 'big', theme: 'light', lang: 'en' })
    expect(card.svg).toContain('Item 250')
    expect(card.svg).toContain('⋯')
    expect(card.svg).toContain('0410  41 41') // the dump line of the highlighted bytes (1054 = 0x41e)
    expect(card.height).toBeLessThan(2000)
    expect(svgToPng(card.svg).height).toBe(card.height * 2)
  })

  it('a card without annotation still shows the packet (innermost protocol opened)', () => {
    const card = packetCardSvg({ details: fin.details[4]!, annotation: null, summary: fin.stream.packets[3]!.info, theme: 'light', lang: 'en' })
    expect(card.svg).toContain('▾')
    expect(card.svg).toContain('Host: backup.avg.cz')
    // 425 bytes: the dump keeps the headers and is cut after them.
    expect(card.svg).toContain('⋯')
  })
})
