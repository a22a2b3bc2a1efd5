// `wirenote export FILE --stream N --out DIR`: the desktop app's "Export note" from the command
// line. It opens the file and calls `export.note` through the same router (and argument
// validation) as the app, so both write the same folder.
import { resolve } from 'node:path'
import { createServices } from '../app/services'
import { parseArgs } from './args'

export const usage =
  'wirenote export FILE --stream N --out DIR [--lang en|zh-CN] [--front-matter none|jekyll|hexo]\n' +
  '      [--seq hex|dec|relative] [--theme light|dark] [--no-mermaid] [--whole-stream]\n' +
  '      write note.md + assets/*.png|svg for one TCP stream (diagram, handshake table, checks, annotated packets)'

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['stream', 'out', 'lang', 'front-matter', 'seq', 'theme'],
    flags: ['no-mermaid', 'whole-stream', 'help'],
    aliases: { o: 'out', s: 'stream' }
  })
  if ('error' in args) {
    process.stderr.write(`wirenote export: ${args.error}\nusage: ${usage}\n`)
    return 2
  }
  if (args.flags.has('help')) {
    process.stdout.write(`usage: ${usage}\n`)
    return 0
  }
  const [file, ...extra] = args.positional
  if (!file || extra.length || args.values.stream === undefined || args.values.out === undefined) {
    process.stderr.write(`wirenote export: need one FILE, --stream N and --out DIR\nusage: ${usage}\n`)
    return 2
  }
  const stream = /^\d+$/.test(args.values.stream) ? Number(args.values.stream) : NaN
  if (!Number.isSafeInteger(stream)) {
    process.stderr.write(`wirenote export: --stream must be a stream number (tcp.stream), got ${JSON.stringify(args.values.stream)}\n`)
    return 2
  }
  const exportArgs = {
    stream,
    outDir: resolve(args.values.out),
    ...(args.values.lang !== undefined && { lang: args.values.lang }),
    ...(args.values['front-matter'] !== undefined && { frontMatter: args.values['front-matter'] }),
    ...(args.values.seq !== undefined && { seqFormat: args.values.seq }),
    ...(args.values.theme !== undefined && { theme: args.values.theme }),
    mermaid: !args.flags.has('no-mermaid'),
    wholeStream: args.flags.has('whole-stream')
  }

  const services = await createServices({ mode: 'headless', userDataDir: null })
  try {
    const opened = await services.router.dispatch('file.open', { path: resolve(file) })
    if (!opened.ok) {
      process.stderr.write(`wirenote export: ${opened.error.message}\n`)
      return 1
    }
    const r = await services.router.dispatch('export.note', exportArgs)
    if (!r.ok) {
      process.stderr.write(`wirenote export: ${r.error.message}\n`)
      return r.error.code === 'invalid-args' ? 2 : 1
    }
    const { dir, files } = r.result as { dir: string; files: string[] }
    process.stdout.write(`Wrote ${files.length} files to ${dir}:\n${files.map((f) => `  ${f}\n`).join('')}`)
    return 0
  } finally {
    await services.dispose()
  }
}
