// A small argv parser shared by the CLI commands: `--name value`, `--name=value`, repeated
// options collected in order, boolean flags, and positional arguments.
export interface ParsedArgs {
  values: Record<string, string | undefined>
  /** Every occurrence of options listed in `repeated`, in order. */
  lists: Record<string, string[]>
  flags: Set<string>
  positional: string[]
}

export interface ArgSpec {
  values?: string[]
  repeated?: string[]
  flags?: string[]
  /** Single-letter aliases: { e: 'field' }. */
  aliases?: Record<string, string>
}

export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs | { error: string } {
  const out: ParsedArgs = { values: {}, lists: {}, flags: new Set(), positional: [] }
  const values = new Set(spec.values ?? [])
  const repeated = new Set(spec.repeated ?? [])
  const flags = new Set(spec.flags ?? [])
  for (const r of repeated) out.lists[r] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      out.positional.push(...argv.slice(i + 1))
      break
    }
    let name: string
    let inline: string | undefined
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
      inline = eq < 0 ? undefined : arg.slice(eq + 1)
    } else if (arg.startsWith('-') && arg.length >= 2 && spec.aliases?.[arg[1]!]) {
      name = spec.aliases[arg[1]!]!
      inline = arg.length > 2 ? arg.slice(2) : undefined
    } else {
      out.positional.push(arg)
      continue
    }
    if (flags.has(name)) {
      if (inline !== undefined) return { error: `--${name} takes no value` }
      out.flags.add(name)
      continue
    }
    if (!values.has(name) && !repeated.has(name)) return { error: `unknown option ${arg}` }
    const value = inline ?? argv[++i]
    if (value === undefined) return { error: `${arg} needs a value` }
    if (repeated.has(name)) out.lists[name]!.push(value)
    else out.values[name] = value
  }
  return out
}
