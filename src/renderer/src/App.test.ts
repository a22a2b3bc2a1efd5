// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import App from './App.vue'
import { mountIn, settle, setupEnv } from './testing/mount'
import { usePackets } from './stores/packets'
import { useAnnotations } from './stores/annotations'
import { useFile } from './stores/file'
import { useUi } from './stores/ui'
import { useStreams } from './stores/streams'
import { catchUp, wireEvents } from './stores/session'
import { useDetails } from './stores/details'
import { useFilter } from './stores/filter'
import { findField } from './lib/tree'

async function mountApp(packets = 5000) {
  const env = setupEnv({ packets })
  const w = mountIn(env, App, { attachTo: document.body })
  wireEvents(env.api)
  await catchUp(env.api, true)
  await settle()
  return { env, w }
}

describe('App', () => {
  it('selecting a packet shows its details; annotating it marks the row; Ctrl+Z / Ctrl+Shift+Z undo and redo', async () => {
    const { w } = await mountApp()
    await w.find('[data-testid="packet-row"][data-no="3"]').trigger('mousedown')
    await settle()
    expect(w.find('[data-testid="details-tree"]').attributes('data-no')).toBe('3')
    await w.find('[data-testid="tab-notes"]').trigger('click')
    await settle()
    const note = w.find('[data-testid="note-text"]')
    await note.setValue('The SYN')
    await settle()
    expect(useAnnotations().forPacket(3)?.note).toBe('The SYN')
    expect(w.find('[data-testid="packet-row"][data-no="3"]').attributes('data-annotated')).toBe('true')
    expect(w.findAll('[data-testid="annotated-packet"]').map((e) => e.attributes('data-no'))).toEqual(['3'])

    ;(note.element as HTMLTextAreaElement).focus()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true }))
    await settle()
    expect(useAnnotations().forPacket(3)).toBeUndefined()
    expect(w.find('[data-testid="packet-row"][data-no="3"]').attributes('data-annotated')).toBeUndefined()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Z', ctrlKey: true, shiftKey: true }))
    await settle()
    expect(useAnnotations().forPacket(3)?.note).toBe('The SYN')

    // The filter bar keeps its own native undo.
    ;(w.find('[data-testid="filter-input"]').element as HTMLInputElement).focus()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true }))
    expect(useAnnotations().forPacket(3)?.note).toBe('The SYN')
    w.unmount()
  })

  it('selecting a stream filters the list to it', async () => {
    const { w, env } = await mountApp()
    await settle()
    const row = w.find('[data-testid="stream-row"][data-stream="2"]')
    expect(row.exists()).toBe(true)
    await row.trigger('click')
    await settle()
    expect(env.api.filterText).toBe('tcp.stream eq 2')
    expect(usePackets().total).toBe(10)
    expect((w.find('[data-testid="filter-input"]').element as HTMLInputElement).value).toBe('tcp.stream eq 2')
    expect(w.find('[data-testid="stream-row"][data-stream="2"]').attributes('aria-selected')).toBe('true')
    w.unmount()
  })

  it('opening a cut file says where it was cut and still shows every whole packet', async () => {
    const { w } = await mountApp(0)
    expect(w.find('[data-testid="welcome"]').exists()).toBe(true)
    await w.find('[data-testid="welcome"] [data-testid="open-path"]').setValue('/data/cut.pcap')
    await w.find('[data-testid="welcome"] form').trigger('submit')
    await settle(8)
    expect(useFile().path).toBe('/data/cut.pcap')
    const banner = w.find('[data-testid="load-error"]')
    expect(banner.attributes('data-offset')).toBe('98765')
    expect(banner.text()).toContain('98,765')
    expect(usePackets().total).toBe(1000)
    expect(w.find('[data-testid="welcome"]').exists()).toBe(false)
    w.unmount()
  })

  it('a missing file shows the error and keeps the current view', async () => {
    const { w } = await mountApp()
    await w.find('[data-testid="open-button"]').trigger('click')
    await settle()
    const dlg = w.find('[data-testid="open-dialog"]')
    await dlg.find('[data-testid="open-path"]').setValue('/nope/missing.pcap')
    await dlg.find('form').trigger('submit')
    await settle(8)
    expect(w.find('[data-testid="open-error"]').text()).toContain('ENOENT')
    expect(usePackets().total).toBe(5000)
    w.unmount()
  })

  it('live capture: status bar figures and the list follows the growing view', async () => {
    const { w, env } = await mountApp(0)
    await w.find('[data-testid="capture-start"]').trigger('click')
    await settle()
    expect(w.find('[data-testid="capture-stop"]').exists()).toBe(true)
    // Drive the fake's growth by hand instead of waiting for its timer.
    env.api.dispose()
    env.api.grow(100)
    await settle()
    env.api.grow(20)
    env.api.emit('capture.progress', { running: true, paused: false, iface: 'lo', filter: '', packets: 120, bytes: 9000, rate: 60, rss: 100 << 20, spoolPath: env.api.path, dropsNote: 'no drop counter' })
    await settle()
    expect(usePackets().total).toBe(120)
    expect(w.find('[data-testid="capture-status"]').attributes('data-packets')).toBe('120')
    expect(w.find('[data-testid="capture-memory"]').text()).toContain('100.0 MiB')
    expect(w.find('[data-testid="capture-drops"]').attributes('title')).toBe('no drop counter')
    const rows = w.findAll('[data-testid="packet-row"]')
    expect(rows.at(-1)?.attributes('data-no')).toBe('120')

    await w.find('[data-testid="capture-pause"]').trigger('click')
    await settle()
    expect(env.api.calls.at(-1)?.method).toBe('capture.pause')
    expect(w.find('[data-testid="capture-pause"]').attributes('aria-pressed')).toBe('true')
    expect(w.find('[data-testid="capture-paused"]').exists()).toBe(true)
    await w.find('[data-testid="capture-pause"]').trigger('click')
    await settle()
    expect(env.api.calls.some((c) => c.method === 'capture.resume')).toBe(true)
    await w.find('[data-testid="capture-stop"]').trigger('click')
    await settle()
    expect(w.find('[data-testid="capture-start"]').exists()).toBe(true)
    w.unmount()
  })

  it('a filter that keeps the selected packet keeps its tree and the selected field (no reload)', async () => {
    const { w, env } = await mountApp()
    await w.find('[data-testid="packet-row"][data-no="3"]').trigger('mousedown')
    await settle()
    const details = useDetails()
    details.selectPath(findField(details.tree, 'tcp.seq_raw'))
    const loads = env.api.calls.filter((c) => c.method === 'packet.details').length
    await useFilter().apply('tcp.flags.syn == 1')
    await settle()
    expect(usePackets().selectedNo).toBe(3)
    expect(usePackets().rowAt(usePackets().selectedIndex)?.no).toBe(3)
    expect(details.selectedNode?.name).toBe('tcp.seq_raw')
    expect(env.api.calls.filter((c) => c.method === 'packet.details').length).toBe(loads)
    expect(w.find('[data-testid="hex-selection-field"]').text()).toBe('tcp.seq_raw')
    // A filter without it clears the selection.
    await useFilter().apply('tcp.flags.fin == 1')
    await settle()
    expect(usePackets().selectedNo).toBe(0)
    expect(details.details).toBeNull()
    w.unmount()
  })

  it('a stream without a handshake opens its diagram on the whole stream; Ctrl+S opens Save as', async () => {
    const { w } = await mountApp()
    const ui = useUi()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true }))
    await settle()
    expect(w.find('[data-testid="save-dialog"]').exists()).toBe(true)
    // Suggested in the writable folder app.info names: the capture's own folder may be read-only.
    expect((w.find('[data-testid="save-path"]').element as HTMLInputElement).value).toBe('/home/user/Documents/big-5M-annotated.pcapng')
    ui.saveDialog = false
    await settle()
    const streams = useStreams()
    streams.list = streams.list.map((s) => (s.stream === 1 ? { ...s, handshake: 'none' as const } : s))
    ui.diagramStream = 1
    await settle()
    expect((w.find('[data-testid="diagram-scope"]').element as HTMLSelectElement).selectedIndex).toBe(1)
    ui.diagramStream = 0
    w.unmount()
  })

  it('saving over an existing file asks first: Cancel keeps the Save dialog open, Replace overwrites', async () => {
    const { w, env } = await mountApp()
    const target = '/home/user/Documents/taken.pcapng'
    env.api.existing.add(target)
    await w.find('[data-testid="save-button"]').trigger('click')
    await settle()
    await w.find('[data-testid="save-path"]').setValue(target)
    await w.find('[data-testid="save-panel"]').trigger('submit')
    await settle()
    const confirm = w.find('[data-testid="confirm-dialog"]')
    expect(confirm.exists()).toBe(true)
    expect(confirm.find('h2').text()).toBe('Replace “taken.pcapng”?')
    expect(w.find('[data-testid="confirm-message"]').attributes('data-question')).toBe('replaceFile')
    expect(w.find('[data-testid="confirm-message"]').text()).toContain(target)
    // "Save as… first" belongs to the discard-notes question only.
    expect(w.find('[data-testid="confirm-save"]').exists()).toBe(false)
    // The safe answer has the focus.
    expect(document.activeElement?.getAttribute('data-testid')).toBe('confirm-cancel')

    await w.find('[data-testid="confirm-cancel"]').trigger('click')
    await settle()
    expect(w.find('[data-testid="confirm-dialog"]').exists()).toBe(false)
    expect(w.find('[data-testid="save-dialog"]').exists()).toBe(true)
    expect((w.find('[data-testid="save-path"]').element as HTMLInputElement).value).toBe(target)
    expect(useFile().path).toBe('/captures/big-5M.pcapng')
    expect(w.find('[data-testid="toast"]').exists()).toBe(false)

    await w.find('[data-testid="save-panel"]').trigger('submit')
    await settle()
    await w.find('[data-testid="confirm-ok"]').trigger('click')
    await settle(8)
    expect(w.find('[data-testid="save-dialog"]').exists()).toBe(false)
    expect(useFile().path).toBe(target)
    const saves = env.api.calls.filter((c) => c.method === 'file.save').map((c) => c.args)
    expect(saves).toEqual([{ path: target }, { path: target }, { path: target, overwrite: true }])
    w.unmount()
  })
})
