// `wirenote <command> ...`: each command lives in its own module and is loaded on demand,
// so `wirenote fields` never pays for the server or the PNG renderer.
export type CommandModule = { run(argv: string[]): Promise<number>; usage: string }

const commands: Record<string, () => Promise<CommandModule>> = {
  fields: () => import('./fields'),
  serve: () => import('./serve'),
  export: () => import('./export')
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  const load = name ? commands[name] : undefined
  if (!load) {
    const lines = await Promise.all(Object.values(commands).map(async (l) => `  ${(await l()).usage}`))
    process.stderr.write(`usage: wirenote <command> ...\n${lines.join('\n')}\n`)
    return name === undefined || name === '--help' || name === 'help' ? 0 : 2
  }
  return (await load()).run(rest)
}
