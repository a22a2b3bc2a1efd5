// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import ExportDialog from './ExportDialog.vue'
import { mountIn, settle, setupEnv, type TestEnv } from '../testing/mount'
import { useFile } from '../stores/file'
import { useFolders } from '../stores/folders'

async function mountFor(env: TestEnv, stream: number) {
  useFile().path = '/usr/share/wirenote/web-visit.pcapng'
  const w = mountIn(env, ExportDialog, { props: { stream }, attachTo: document.body })
  await settle()
  return w
}

const outDir = (w: Awaited<ReturnType<typeof mountFor>>) => (w.find('[data-testid="export-outdir"]').element as HTMLInputElement).value

describe('ExportDialog', () => {
  it('suggests a folder per capture and stream in the writable documents folder, then beside the last export', async () => {
    const env = setupEnv({ packets: 1000, documents: '/home/me/Documents' })
    await useFolders().load()
    let w = await mountFor(env, 0)
    // Not beside the capture: /usr/share is read-only.
    expect(outDir(w)).toBe('/home/me/Documents/web-visit-stream-0')
    await w.find('[data-testid="export-outdir"]').setValue('/home/me/blog/handshake/')
    await w.find('[data-testid="export-run"]').trigger('click')
    await settle()
    expect(w.find('[data-testid="export-result"]').attributes('data-dir')).toBe('/home/me/blog/handshake/')
    w.unmount()
    // Another stream's note goes beside the one just exported, never into it.
    w = await mountFor(env, 1)
    expect(outDir(w)).toBe('/home/me/blog/web-visit-stream-1')
    w.unmount()
  })

  it('without a documents folder, suggests one beside the capture', async () => {
    const env = setupEnv({ packets: 1000 })
    const w = await mountFor(env, 2)
    expect(outDir(w)).toBe('/usr/share/wirenote/web-visit-stream-2')
    w.unmount()
  })
})
