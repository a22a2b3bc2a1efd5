// The "Open recent" list, kept in the user's data folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

const MAX = 10

export class RecentFiles {
  private paths: string[]
  private readonly listeners = new Set<() => void>()

  constructor(private readonly file: string | null) {
    this.paths = []
    if (!file) return
    try {
      const raw: unknown = JSON.parse(readFileSync(file, 'utf8'))
      if (Array.isArray(raw)) this.paths = raw.filter((p): p is string => typeof p === 'string').slice(0, MAX)
    } catch {
      // First run, or an unreadable list: start empty.
    }
  }

  list(): string[] {
    return [...this.paths]
  }

  add(path: string): void {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, MAX)
    if (this.file) {
      try {
        mkdirSync(dirname(this.file), { recursive: true })
        writeFileSync(this.file, JSON.stringify(this.paths, null, 1))
      } catch {
        // Not worth failing an open for.
      }
    }
    for (const l of this.listeners) l()
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
