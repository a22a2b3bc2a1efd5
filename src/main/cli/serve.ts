export const usage = 'wirenote serve ... (not implemented yet)'
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('wirenote serve: not implemented yet\n')
  return 2
}
