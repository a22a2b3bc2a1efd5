// localStorage with a guard: storage can be absent or full, and a broken value must not
// stop the app from starting.
export function loadJson<T>(key: string, fallback: T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key)
    return raw ? (JSON.parse(raw) as T) : fallback
  } catch {
    return fallback
  }
}

export function saveJson(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value))
  } catch {
    /* best effort */
  }
}

/**
 * Which open capture has notes not yet written to a file, kept across a reload of this
 * window (the main process holds the notes but not whether they were saved).
 */
const UNSAVED_KEY = 'wirenote.unsavedNotes'

export function markUnsavedNotes(path: string | null): void {
  try {
    if (path) globalThis.sessionStorage?.setItem(UNSAVED_KEY, path)
    else globalThis.sessionStorage?.removeItem(UNSAVED_KEY)
  } catch {
    /* best effort */
  }
}

export function unsavedNotesPath(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(UNSAVED_KEY) ?? null
  } catch {
    return null
  }
}
