// Wiring between the main process and the stores: events, and catching up with the
// main side's state at start-up and after a reconnect.
import type { WirenoteApi } from '../../../shared/contract'
import { usePackets } from './packets'
import { useFile } from './file'
import { useCapture } from './capture'
import { useAnnotations } from './annotations'
import { useNotify } from './notify'
import { useDetails } from './details'
import { useFilter } from './filter'

export function wireEvents(api: WirenoteApi): () => void {
  const offs = [
    api.on('view.changed', (p) => (p.reset ? usePackets().reset(p.total) : usePackets().resized(p.total))),
    api.on('load.progress', (p) => useFile().onProgress(p)),
    api.on('capture.progress', (p) => useCapture().onProgress(p)),
    api.on('error', (p) => useNotify().push('error', p.message, p.detail))
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
  await capture.refreshStatus()
  const current = await api.invoke('file.current', {})
  const total = (await api.invoke('view.rows', { start: 0, count: 0 })).total
  packets.appliedFilter = current.filter
  useFilter().setText(current.filter)
  if (!first) {
    // A reconnect: the view is the same, its rows may have moved on.
    packets.reset(total)
    useDetails().forget()
    return
  }
  packets.reset(total)
  const file = useFile()
  if (current.path !== null) {
    if (capture.status?.spoolPath && capture.running) file.captureStarted(capture.status.spoolPath)
    else file.path = current.path
    file.packets = current.packets
    file.generation++
    await useAnnotations()
      .load()
      .catch(() => undefined)
  }
  await file.refreshRecent()
}
