export const usage = 'wirenote fields ... (not implemented yet)'
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('wirenote fields: not implemented yet\n')
  return 2
}
