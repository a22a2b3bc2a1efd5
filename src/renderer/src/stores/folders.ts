// Where saves and exports are suggested. The open capture may lie somewhere read-only (the
// bundled sample, /usr/share, a mounted image), so suggestions go to the writable folder the
// main side names (`app.info` documents) until the user picks a folder of their own in this
// session; then that folder, for saves and exports alike.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useApi } from '../api/current'
import { captureName, folderOf, joinPath, parentOf } from '../lib/paths'

export const useFolders = defineStore('folders', () => {
  /** app.info's writable folder ('' until known). */
  const documents = ref('')
  /** The folder the user last saved or exported into, this session ('' = none yet). */
  const chosen = ref('')

  async function load(): Promise<void> {
    try {
      documents.value = (await useApi().invoke('app.info', {})).documents ?? ''
    } catch {
      // Without it, suggestions fall back to the capture's own folder.
    }
  }

  /** The folder suggestions go into, for a capture at `capturePath`. */
  function folderFor(capturePath: string): string {
    return chosen.value || documents.value || folderOf(capturePath)
  }

  /** `<folder>/<capture>-annotated.pcapng` (a capture saved before keeps its name). */
  function savePath(capturePath: string): string {
    if (!capturePath) return ''
    const name = captureName(capturePath).replace(/-annotated$/, '') || 'capture'
    return joinPath(folderFor(capturePath), `${name}-annotated.pcapng`)
  }

  /** `<folder>/<capture>-stream-N`: one folder per stream, so one note never overwrites another. */
  function exportDir(capturePath: string, stream: number): string {
    const folder = folderFor(capturePath)
    if (!folder) return ''
    return joinPath(folder, `${captureName(capturePath) || 'wirenote'}-stream-${stream}`)
  }

  /** The user saved a file at `path`: its folder is where the next suggestions go. */
  function savedTo(path: string): void {
    const f = folderOf(path)
    if (f) chosen.value = f
  }

  /** The user exported into `dir`: the next export goes beside it, and saves into its parent. */
  function exportedTo(dir: string): void {
    const f = parentOf(dir)
    if (f) chosen.value = f
  }

  return { documents, chosen, load, folderFor, savePath, exportDir, savedTo, exportedTo }
})
