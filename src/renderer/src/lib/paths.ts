// File-system path arithmetic on strings (the renderer has no `path` module). Paths come
// from the main process and may be POSIX or Windows ones.

/** The folder part of `p`, with its trailing separator ('' when `p` has none). */
export function folderOf(p: string): string {
  return p.replace(/[^/\\]*$/, '')
}

/** `p` without trailing separators (a root such as '/' stays as it is). */
export function trimSeparators(p: string): string {
  const t = p.replace(/[/\\]+$/, '')
  return t || p.slice(0, 1)
}

/** The parent folder of a folder path, with its trailing separator. */
export function parentOf(dir: string): string {
  return folderOf(trimSeparators(dir))
}

/** The capture's file name without its capture extension ('' without a path). */
export function captureName(p: string): string {
  return (p.split(/[/\\]/).pop() ?? '').replace(/\.(pcapng|pcap|cap|ntar)$/i, '')
}

/** `name` inside `dir`, with the separator `dir` already uses. */
export function joinPath(dir: string, name: string): string {
  if (!dir) return name
  if (/[/\\]$/.test(dir)) return dir + name
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/'
  return `${dir}${sep}${name}`
}
