// Summary mode builds no tree, but a few application values are wanted without one (the
// `wirenote fields` fast path, packet-list searches): dissectors offer them here when someone
// asked. Installed per frame by the caller; values are in the order a tree would list them.

export const collector = {
  /** Field names asked for, or null (collect nothing). */
  want: null as ReadonlySet<string> | null,
  /** Flat [name, value, name, value, ...] of this frame. */
  values: [] as string[]
}

/** Records a value when `name` is wanted (cheap no-op otherwise). */
export function collect(name: string, value: string): void {
  const w = collector.want
  if (w !== null && w.has(name)) collector.values.push(name, value)
}
