// SVG → PNG with resvg, in the main process (and the CLI), with our explicit font files.
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js'
import { loadFonts } from './fonts'

export interface PngOptions {
  /** Pixel density: 2 renders a 600-unit-wide SVG as a 1200 px PNG. */
  scale?: number
}

export interface RenderedPng {
  png: Buffer
  width: number
  height: number
}

function resvgOptions(svg: string, opts: PngOptions): ResvgRenderOptions {
  const fonts = loadFonts()
  // Parsing the 20 MB CJK collection is most of a render's time: only when a run asks for it.
  const cjkFiles = new Set([fonts.faces.cjk?.path, fonts.faces.cjkBold?.path])
  const cjk = fonts.faces.cjk ? svg.includes(fonts.faces.cjk.family) : false
  return {
    font: {
      fontFiles: cjk ? fonts.files : fonts.files.filter((f) => !cjkFiles.has(f)),
      // Only when a file is missing: system lookup is slow and makes output machine-dependent.
      loadSystemFonts: fonts.missing.length > 0,
      defaultFontFamily: fonts.faces.sans?.family ?? fonts.faces.cjk?.family ?? '',
      sansSerifFamily: fonts.faces.sans?.family ?? fonts.faces.cjk?.family ?? '',
      monospaceFamily: fonts.faces.mono?.family ?? ''
    },
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off'
  }
}

export function svgToPng(svg: string, opts: PngOptions = {}): RenderedPng {
  const img = new Resvg(svg, resvgOptions(svg, opts)).render()
  return { png: img.asPng(), width: img.width, height: img.height }
}

/** The same on resvg's worker thread, so the Electron main process keeps serving while it renders. */
export async function svgToPngAsync(svg: string, opts: PngOptions = {}): Promise<RenderedPng> {
  const img = await renderAsync(svg, resvgOptions(svg, opts))
  return { png: img.asPng(), width: img.width, height: img.height }
}
