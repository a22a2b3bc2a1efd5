export const usage = 'wirenote export ... (not implemented yet)'
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('wirenote export: not implemented yet\n')
  return 2
}
