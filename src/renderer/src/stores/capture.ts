// Live capture: interface list, capture filter, start/stop, and the status the main
// process reports through `capture.progress`.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CaptureStatus, InterfaceDesc } from '../../../shared/contract'
import { useApi } from '../api/current'
import { useFile } from './file'
import { useNotify } from './notify'
import { errorMessage } from '../api/errors'

export const useCapture = defineStore('capture', () => {
  const interfaces = shallowRef<InterfaceDesc[]>([])
  const iface = ref('')
  const filter = ref('')
  const status = shallowRef<CaptureStatus | null>(null)
  const busy = ref(false)
  const error = ref('')
  const running = computed(() => !!status.value?.running)
  const paused = computed(() => !!status.value?.paused)

  async function loadInterfaces(): Promise<void> {
    try {
      interfaces.value = (await useApi().invoke('capture.interfaces', {})).interfaces
      if (!iface.value && interfaces.value.length) {
        // Loopback first: it needs no network and is what a first capture usually wants here.
        iface.value = (interfaces.value.find((i) => i.loopback) ?? interfaces.value[0]).name
      }
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  async function start(): Promise<boolean> {
    if (!iface.value) return false
    if (!(await useFile().mayDiscardNotes())) return false
    busy.value = true
    error.value = ''
    try {
      const s = await useApi().invoke('capture.start', { iface: iface.value, filter: filter.value })
      status.value = s
      if (s.error) {
        error.value = s.error
        return false
      }
      const file = useFile()
      // The capture is a new view: the list starts empty and grows through view.changed.
      await file.afterOpen(s.spoolPath, 0)
      file.captureStarted(s.spoolPath)
      return true
    } catch (err) {
      error.value = errorMessage(err)
      return false
    } finally {
      busy.value = false
    }
  }

  async function stop(): Promise<void> {
    busy.value = true
    try {
      status.value = await useApi().invoke('capture.stop', {})
    } catch (err) {
      useNotify().error(err)
    } finally {
      busy.value = false
    }
  }

  /** Pauses or resumes the display only: the capture keeps spooling to disk. */
  async function togglePause(): Promise<void> {
    busy.value = true
    try {
      status.value = await useApi().invoke(paused.value ? 'capture.resume' : 'capture.pause', {})
    } catch (err) {
      useNotify().error(err)
    } finally {
      busy.value = false
    }
  }

  async function refreshStatus(): Promise<void> {
    try {
      status.value = await useApi().invoke('capture.status', {})
    } catch {
      /* not fatal: progress events will come */
    }
  }

  function onProgress(s: CaptureStatus): void {
    status.value = s
    if (s.error) error.value = s.error
  }

  return { interfaces, iface, filter, status, busy, error, running, paused, loadInterfaces, start, stop, togglePause, refreshStatus, onProgress }
})
