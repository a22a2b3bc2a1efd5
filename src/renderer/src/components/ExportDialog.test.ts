// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import ExportDialog from './ExportDialog.vue'
import { mountIn, settle, setupEnv } from '../testing/mount'
import { useFile } from '../stores/file'

function mountFor(stream: number, lastOutDir?: string) {
  const env = setupEnv({ packets: 1000 })
  if (lastOutDir) localStorage.setItem('wirenote.export', JSON.stringify({ outDir: lastOutDir }))
  useFile().path = '/captures/web-visit.pcapng'
  return mountIn(env, ExportDialog, { props: { stream }, attachTo: document.body })
}

describe('ExportDialog', () => {
  it('suggests a folder per capture and stream, next to the last export, so one note does not overwrite another', async () => {
    let w = mountFor(0)
    await settle()
    expect((w.find('[data-testid="export-outdir"]').element as HTMLInputElement).value).toBe('/captures/web-visit-stream-0')
    w.unmount()
    w = mountFor(1, '/home/me/blog/handshake/')
    await settle()
    expect((w.find('[data-testid="export-outdir"]').element as HTMLInputElement).value).toBe('/home/me/blog/web-visit-stream-1')
    w.unmount()
  })
})
