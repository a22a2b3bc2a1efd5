// `wirenote serve`: the headless mode. The same services as the desktop app, the built
// renderer on 127.0.0.1 and the contract over a token-protected WebSocket.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServices } from '../app/services'
import { startHeadless } from '../server/headless'
import { parseArgs } from './args'

export const usage = 'wirenote serve [--port N] [--open FILE] [--data-dir DIR] [--renderer DIR]   headless UI on 127.0.0.1'

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')

function defaultDataDir(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(base, 'wirenote')
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['port', 'open', 'data-dir', 'renderer', 'token'], flags: [] })
  if ('error' in args) {
    process.stderr.write(`wirenote serve: ${args.error}\nusage: ${usage}\n`)
    return 2
  }
  const port = args.values.port === undefined ? 0 : Number(args.values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`wirenote serve: --port must be an integer 0..65535, got ${JSON.stringify(args.values.port)}\n`)
    return 2
  }
  const rendererDir = resolve(args.values.renderer ?? join(repoRoot, 'out/renderer'))
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(`wirenote serve: no built renderer in ${rendererDir}; run \`npm run build\` first (or use \`npm run serve\`).\n`)
    return 2
  }
  const services = await createServices({ mode: 'headless', userDataDir: resolve(args.values['data-dir'] ?? defaultDataDir()) })
  if (args.values.open) {
    const r = await services.router.dispatch('file.open', { path: resolve(args.values.open) })
    if (!r.ok) process.stderr.write(`wirenote serve: ${r.error.message}\n`)
  }
  const server = await startHeadless({
    router: services.router,
    events: services.events,
    rendererDir,
    port,
    token: args.values.token ?? process.env.WIRENOTE_TOKEN
  })
  services.session.excludeOwnPort(server.port)
  process.stdout.write(`Wirenote is running headless at ${server.url}\n`)
  await new Promise<void>((done) => {
    const stop = (): void => done()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  await services.dispose()
  return 0
}
