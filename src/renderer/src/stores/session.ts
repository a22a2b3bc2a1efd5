// Wiring between the main process and the stores: events, and catching up with the
// main side's state at start-up and after a reconnect.
import type { MenuAction, WirenoteApi } from '../../../shared/contract'
import { useSettings } from './settings'
import { useUi } from './ui'
import { usePackets } from './packets'
import { useFile } from './file'
import { useCapture } from './capture'
import { useAnnotations } from './annotations'
import { useNotify } from './notify'
import { useDetails } from './details'
import { useFilter } from './filter'
import { useFolders } from './folders'

export function wireEvents(api: WirenoteApi): () => void {
  const offs = [
    api.on('view.changed', (p) => (p.reset ? usePackets().reset(p.total) : usePackets().resized(p.total))),
    api.on('load.progress', (p) => useFile().onProgress(p)),
    api.on('capture.progress', (p) => useCapture().onProgress(p)),
    api.on('error', (p) => useNotify().push('error', p.message, p.detail)),
    api.on('file.opened', (p) => useFile().onOpened(p)),
    api.on('filter.progress', (p) => useFilter().onProgress(p)),
    api.on('menu', (p) => onMenu(p.action))
  ]
  return () => offs.forEach((off) => off())
}

/**
 * Start-up: the main side may already hold a file (a reload, a second window) or a
 * running capture, possibly filtered: show exactly that view, with its filter in the bar.
 */
export async function catchUp(api: WirenoteApi, first: boolean): Promise<void> {
  const packets = usePackets()
  const capture = useCapture()
  await Promise.all([capture.refreshStatus(), useFolders().load()])
  const current = await api.invoke('file.current', {})
  const total = (await api.invoke('view.rows', { start: 0, count: 0 })).total
  packets.appliedFilter = current.filter
  useFilter().setText(current.filter)
  if (!first) {
    // A reconnect: the view is the same, its rows may have moved on.
    packets.reset(total)
    useDetails().forget()
    if (current.path !== null)
      await useAnnotations()
        .refreshUnsaved()
        .catch(() => undefined)
    return
  }
  packets.reset(total)
  const file = useFile()
  if (current.path !== null) {
    if (capture.status?.spoolPath && capture.running) file.captureStarted(capture.status.spoolPath)
    else file.path = current.path
    file.packets = current.packets
    file.generation++
    // Notes and whether they are saved come from the main side (a reload, a second window).
    await useAnnotations()
      .load()
      .catch(() => undefined)
  }
  await file.refreshRecent()
}

/** Commands from Electron's application menu. */
function onMenu(action: MenuAction): void {
  const settings = useSettings()
  switch (action) {
    case 'theme-system':
    case 'theme-light':
    case 'theme-dark':
      settings.theme = action.slice('theme-'.length) as typeof settings.theme
      break
    case 'lang-en':
    case 'lang-zh-CN':
      settings.locale = action.slice('lang-'.length) as typeof settings.locale
      break
    case 'export-note': {
      const row = usePackets().selectedRow
      useUi().exportStream = row && row.stream >= 0 ? row.stream : 0
      break
    }
    case 'capture-start': {
      const capture = useCapture()
      if (!capture.running && capture.iface) void capture.start()
      break
    }
  }
}
