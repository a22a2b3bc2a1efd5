// "Copy as image": an SVG (diagram or packet card) rasterised on a canvas through an <img>
// of a blob URL (allowed by the CSP's img-src blob:), then written to the clipboard as PNG.

export function svgSize(svg: string): { width: number; height: number } {
  const head = /<svg\b[^>]*>/.exec(svg)?.[0] ?? ''
  const num = (attr: string): number => Number(new RegExp(`\\b${attr}="([\\d.]+)`).exec(head)?.[1] ?? NaN)
  let width = num('width')
  let height = num('height')
  if (!(width > 0) || !(height > 0)) {
    const vb = /\bviewBox="([^"]+)"/.exec(head)?.[1]?.split(/[\s,]+/).map(Number)
    if (vb && vb.length === 4) {
      width = vb[2]
      height = vb[3]
    }
  }
  return { width: width > 0 ? width : 800, height: height > 0 ? height : 600 }
}

export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const { width, height } = svgSize(svg)
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }))
  try {
    const img = new Image()
    img.decoding = 'async'
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve()
      img.onerror = () => reject(new Error('the SVG could not be loaded as an image'))
      img.src = url
    })
    const canvas = document.createElement('canvas')
    canvas.width = Math.ceil(width * scale)
    canvas.height = Math.ceil(height * scale)
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no 2D canvas')
    ctx.scale(scale, scale)
    ctx.drawImage(img, 0, 0, width, height)
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'))
  } finally {
    URL.revokeObjectURL(url)
  }
}

export async function copyPng(png: Blob): Promise<void> {
  if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') throw new Error('the clipboard does not accept images here')
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })])
}

export async function copySvgAsPng(svg: string, scale = 2): Promise<Blob> {
  // Safari and Chromium both accept a promise inside ClipboardItem, which keeps the user
  // gesture alive while the image decodes; fall back to awaiting first.
  const png = svgToPng(svg, scale)
  if (navigator.clipboard?.write && typeof ClipboardItem !== 'undefined') {
    try {
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })])
      return await png
    } catch {
      /* retry below with a settled blob */
    }
  }
  const blob = await png
  await copyPng(blob)
  return blob
}

/** Serialises a live <svg> element with its namespace so it stands alone as a file. */
export function serializeSvg(el: SVGSVGElement): string {
  const clone = el.cloneNode(true) as SVGSVGElement
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  return new XMLSerializer().serializeToString(clone)
}
