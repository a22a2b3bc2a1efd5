// Annotations of the open file (per-packet note, step label, highlighted fields; a file
// title and introduction) with undo/redo. Every edit replaces the whole state with a new
// immutable snapshot, so undo is a stack of snapshots. Typing in one field coalesces into
// one undo step until the field loses focus (breakCoalescing) or another field is edited.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Annotation, FileAnnotations } from '../../../shared/contract'
import { useApi } from '../api/current'
import { usePackets } from './packets'
import { useDetails } from './details'
import { useNotify } from './notify'

export type Highlight = Annotation['highlights'][number]
export type SaveState = 'saved' | 'pending' | 'saving' | 'error'

const UNDO_MAX = 200
const empty: FileAnnotations = { title: '', intro: '', packets: [] }

function isEmpty(a: Annotation): boolean {
  return !a.note && !a.step && a.highlights.length === 0
}

function annotatedSet(s: FileAnnotations): Set<number> {
  return new Set(s.packets.map((p) => p.no))
}

/** Frames whose annotation differs between two snapshots (edits replace only what they touch). */
export function changedFrames(a: FileAnnotations, b: FileAnnotations): number[] {
  const before = new Map(a.packets.map((p) => [p.no, p]))
  const out: number[] = []
  for (const p of b.packets) {
    if (before.get(p.no) !== p) out.push(p.no)
    before.delete(p.no)
  }
  return [...out, ...before.keys()]
}

export const useAnnotations = defineStore('annotations', () => {
  const state = shallowRef<FileAnnotations>(empty)
  const undoStack = shallowRef<FileAnnotations[]>([])
  const redoStack = shallowRef<FileAnnotations[]>([])
  const saveState = ref<SaveState>('saved')
  /**
   * Edited since the file was opened or saved. `saveState` only says the main process has
   * the edits; they reach the disk with "Save as", and opening another capture drops them.
   * Loading takes the main side's word for it, so a reload or a second window knows too.
   */
  const unsavedInFile = ref(false)
  /** What the main process last acknowledged, to tell which packets' trees changed. */
  let acknowledged: FileAnnotations = empty
  /** Milliseconds to wait after the last edit before saving; tests set 0 and call flush(). */
  const saveDelay = ref(500)
  let lastKey = ''
  let saveTimer: ReturnType<typeof setTimeout> | null = null
  let saving: Promise<void> | null = null

  const byNo = computed(() => new Map(state.value.packets.map((p) => [p.no, p])))
  const canUndo = computed(() => undoStack.value.length > 0)
  const canRedo = computed(() => redoStack.value.length > 0)

  function forPacket(no: number): Annotation | undefined {
    return byNo.value.get(no)
  }

  /** The open capture's annotations, and whether they were edited since it was opened or saved. */
  async function load(): Promise<void> {
    const { unsaved, ...notes } = await useApi().invoke('annotations.get', {})
    reset(notes)
    unsavedInFile.value = unsaved
  }

  /**
   * After a reconnect: this window's notes stand (edits may still be on their way), but
   * whether they are in a file is the main side's to say; edits not yet sent are unsaved.
   */
  async function refreshUnsaved(): Promise<void> {
    const { unsaved } = await useApi().invoke('annotations.get', {})
    unsavedInFile.value = unsaved || saveState.value !== 'saved'
  }

  /** A new capture (or none): its annotations, no history, nothing unsaved. */
  function reset(a: FileAnnotations = empty): void {
    if (saveTimer) clearTimeout(saveTimer)
    saveTimer = null
    replace(a, false)
    acknowledged = a
    undoStack.value = []
    redoStack.value = []
    lastKey = ''
    saveState.value = 'saved'
    unsavedInFile.value = false
  }

  /** Sets the state and marks/unmarks list rows whose annotated status changed. */
  function replace(next: FileAnnotations, save = true): void {
    const before = annotatedSet(state.value)
    const after = annotatedSet(next)
    state.value = next
    const packets = usePackets()
    for (const no of before) if (!after.has(no)) packets.markAnnotated(no, false)
    for (const no of after) if (!before.has(no)) packets.markAnnotated(no, true)
    if (save) {
      unsavedInFile.value = true
      scheduleSave()
    }
  }

  function edit(key: string, change: (s: FileAnnotations) => FileAnnotations): void {
    const prev = state.value
    const next = change(prev)
    if (next === prev) return
    if (key !== lastKey || !key) {
      undoStack.value = [...undoStack.value, prev].slice(-UNDO_MAX)
    }
    lastKey = key
    redoStack.value = []
    replace(next)
  }

  function editPacket(no: number, key: string, change: (a: Annotation) => Annotation): void {
    edit(key ? `${key}:${no}` : '', (s) => {
      const cur = s.packets.find((p) => p.no === no) ?? { no, note: '', step: '', highlights: [] }
      const upd = change(cur)
      const others = s.packets.filter((p) => p.no !== no)
      const packets = isEmpty(upd) ? others : [...others, upd].sort((a, b) => a.no - b.no)
      return { ...s, packets }
    })
  }

  function setNote(no: number, note: string): void {
    editPacket(no, 'note', (a) => ({ ...a, note }))
  }

  function setStep(no: number, step: string): void {
    editPacket(no, 'step', (a) => ({ ...a, step }))
  }

  function hasHighlight(no: number, h: Pick<Highlight, 'name' | 'off' | 'len'>): boolean {
    return !!forPacket(no)?.highlights.some((x) => x.name === h.name && x.off === h.off && x.len === h.len)
  }

  function toggleHighlight(no: number, h: Highlight): void {
    const on = hasHighlight(no, h)
    editPacket(no, '', (a) => ({
      ...a,
      highlights: on
        ? a.highlights.filter((x) => !(x.name === h.name && x.off === h.off && x.len === h.len))
        : [...a.highlights, { name: h.name, off: h.off, len: h.len }]
    }))
  }

  function clearPacket(no: number): void {
    if (!forPacket(no)) return
    edit('', (s) => ({ ...s, packets: s.packets.filter((p) => p.no !== no) }))
  }

  function setTitle(title: string): void {
    edit('title', (s) => ({ ...s, title }))
  }

  function setIntro(intro: string): void {
    edit('intro', (s) => ({ ...s, intro }))
  }

  /** Ends the current typing run: the next keystroke starts a new undo step. */
  function breakCoalescing(): void {
    lastKey = ''
  }

  function undo(): void {
    const stack = undoStack.value
    if (!stack.length) return
    const prev = stack[stack.length - 1]
    undoStack.value = stack.slice(0, -1)
    redoStack.value = [...redoStack.value, state.value]
    lastKey = ''
    replace(prev)
  }

  function redo(): void {
    const stack = redoStack.value
    if (!stack.length) return
    const next = stack[stack.length - 1]
    redoStack.value = stack.slice(0, -1)
    undoStack.value = [...undoStack.value, state.value]
    lastKey = ''
    replace(next)
  }

  function scheduleSave(): void {
    saveState.value = 'pending'
    if (saveTimer) clearTimeout(saveTimer)
    saveTimer = setTimeout(() => void flush(), saveDelay.value)
  }

  /** Saves now (and waits for a save already running). */
  async function flush(): Promise<void> {
    if (saveTimer) {
      clearTimeout(saveTimer)
      saveTimer = null
    }
    if (saving) await saving
    if (saveState.value !== 'pending' && saveState.value !== 'error') return
    const snapshot = state.value
    saveState.value = 'saving'
    saving = (async () => {
      try {
        await useApi().invoke('annotations.set', {
          title: snapshot.title,
          intro: snapshot.intro,
          packets: snapshot.packets.map((p) => ({ no: p.no, note: p.note, step: p.step, highlights: p.highlights }))
        })
        saveState.value = state.value === snapshot ? 'saved' : 'pending'
        const changed = changedFrames(acknowledged, snapshot)
        acknowledged = snapshot
        void useDetails().invalidate(changed)
      } catch (err) {
        saveState.value = 'error'
        useNotify().error(err)
      }
    })()
    await saving
    saving = null
    // An edit during the save left it pending (the type narrowing cannot see that).
    if ((saveState.value as SaveState) === 'pending') scheduleSave()
  }

  return {
    state,
    canUndo,
    canRedo,
    saveState,
    unsavedInFile,
    saveDelay,
    forPacket,
    hasHighlight,
    load,
    refreshUnsaved,
    reset,
    setNote,
    setStep,
    toggleHighlight,
    clearPacket,
    setTitle,
    setIntro,
    breakCoalescing,
    undo,
    redo,
    flush
  }
})
