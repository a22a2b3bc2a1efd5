// The open capture file: opening (path, sample, drop), load progress, recent files, save.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { LoadProgress } from '../../../shared/contract'
import { useApi } from '../api/current'
import { usePackets } from './packets'
import { useDetails } from './details'
import { useAnnotations } from './annotations'
import { useFilter } from './filter'
import { useStreams } from './streams'
import { useUi } from './ui'
import { useNotify } from './notify'
import { useFolders } from './folders'
import { errorCode, errorMessage } from '../api/errors'

export const useFile = defineStore('file', () => {
  const path = ref('')
  const packets = ref(0)
  const opening = ref(false)
  const saving = ref(false)
  const progress = ref<LoadProgress | null>(null)
  /** Truncation/corruption: every whole packet before `offset` is loaded. */
  const loadError = ref<{ message: string; offset: number } | null>(null)
  const openError = ref('')
  const recent = ref<string[]>([])
  /** Bumped whenever the main side's capture changes (open, sample, capture, start-up catch-up). */
  const generation = ref(0)
  const hasFile = computed(() => !!path.value || packets.value > 0)

  async function refreshRecent(): Promise<void> {
    try {
      recent.value = (await useApi().invoke('file.recent', {})).paths
    } catch {
      recent.value = []
    }
  }

  /** After any open: the view is the whole new file, nothing selected, fresh annotations. */
  async function afterOpen(p: string, n: number, err?: { message: string; offset: number }): Promise<void> {
    path.value = p
    packets.value = n
    loadError.value = err ?? null
    generation.value++
    const list = usePackets()
    list.appliedFilter = ''
    useFilter().setText('')
    list.clearSelection()
    list.reset(n)
    useDetails().forget()
    await useDetails().load(0)
    await Promise.all([useAnnotations().load().catch((e) => useNotify().error(e)), refreshRecent()])
  }

  /**
   * Opening another capture (or starting one) drops the notes of this one: say so first
   * when they were never written to a file.
   */
  async function mayDiscardNotes(): Promise<boolean> {
    if (!useAnnotations().unsavedInFile) return true
    return useUi().ask('discardNotes')
  }

  async function open(p: string): Promise<boolean> {
    const trimmed = p.trim()
    if (!trimmed) return false
    if (!(await mayDiscardNotes())) return false
    opening.value = true
    openError.value = ''
    progress.value = null
    try {
      const r = await useApi().invoke('file.open', { path: trimmed })
      await afterOpen(r.path, r.packets, r.error)
      return true
    } catch (err) {
      openError.value = errorMessage(err)
      return false
    } finally {
      opening.value = false
    }
  }

  async function openSample(): Promise<boolean> {
    if (!(await mayDiscardNotes())) return false
    opening.value = true
    openError.value = ''
    progress.value = null
    try {
      const r = await useApi().invoke('file.openSample', {})
      await afterOpen(r.path, r.packets)
      return true
    } catch (err) {
      openError.value = errorMessage(err)
      return false
    } finally {
      opening.value = false
    }
  }

  /**
   * Writes the capture with its annotations. The main side refuses to replace an existing
   * file unless told to: the user is asked first, and "no" leaves everything as it was (the
   * Save dialog stays open). The main side then reopens the saved file; the user's view
   * (filter, selected packet) is put back, since nothing in it changed.
   */
  async function save(p: string): Promise<string | null> {
    const list = usePackets()
    const keepFilter = list.appliedFilter
    const keepNo = list.selectedNo
    const target = p.trim()
    saving.value = true
    try {
      await useAnnotations().flush()
      let r: { path: string }
      try {
        r = await useApi().invoke('file.save', { path: target })
      } catch (err) {
        if (errorCode(err) !== 'exists') throw err
        saving.value = false
        const name = target.split(/[/\\]/).pop() || target
        if (!(await useUi().ask('replaceFile', { name, path: target }))) return null
        saving.value = true
        r = await useApi().invoke('file.save', { path: target, overwrite: true })
      }
      useFolders().savedTo(r.path)
      const cur = await useApi().invoke('file.current', {})
      await afterOpen(cur.path ?? r.path, cur.packets)
      if (keepFilter) await useFilter().apply(keepFilter)
      if (keepNo) await list.reveal(keepNo)
      return r.path
    } catch (err) {
      useNotify().error(err)
      return null
    } finally {
      saving.value = false
    }
  }

  /** The first progress of a file being opened: the old file's selection, tree and streams go now. */
  function beginLoad(p: string): void {
    path.value = p
    packets.value = 0
    loadError.value = null
    usePackets().clearSelection()
    void useDetails().load(0)
    useDetails().forget()
    useStreams().clear()
    useAnnotations().reset()
  }

  function onProgress(p: LoadProgress): void {
    if (opening.value && !p.done && p.path !== path.value) beginLoad(p.path)
    progress.value = p
    if (p.error) loadError.value = p.error
    if (p.done) packets.value = p.packets
  }

  /**
   * The main side opened a file this window did not ask for (the application menu, `serve
   * --open`, saving reopened the saved file): show it like one opened here.
   */
  function onOpened(p: { path: string; packets: number; error?: { message: string; offset: number } }): void {
    if (opening.value || saving.value) return
    void afterOpen(p.path, p.packets, p.error)
  }

  /** A live capture became the open file (its spool). */
  function captureStarted(spoolPath: string): void {
    path.value = spoolPath
    loadError.value = null
    progress.value = null
  }

  return {
    path,
    packets,
    generation,
    hasFile,
    opening,
    saving,
    progress,
    loadError,
    openError,
    recent,
    refreshRecent,
    mayDiscardNotes,
    open,
    openSample,
    save,
    onProgress,
    onOpened,
    captureStarted,
    afterOpen
  }
})
