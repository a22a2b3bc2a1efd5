// Composes the main-process services behind the contract. Both Electron and the headless
// server call createServices() and talk to the result only through its router and events.
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EventBus } from '../rpc/events'
import { Router, type Handlers } from '../rpc/router'
import { RecentFiles } from '../session/recent-files'
import { Session } from '../session/session'
import { CaptureController } from '../capture/controller'
import { bundledHelperPath, resolveHelperCommand } from '../capture/helper-command'

export interface ServicesOptions {
  mode: 'electron' | 'headless'
  /** Where recent files and settings live; null keeps nothing on disk (tests). */
  userDataDir: string | null
}

export interface Services {
  router: Router
  events: EventBus
  session: Session
  recentFiles(): string[]
  onRecentChanged(listener: () => void): () => void
  dispose(): Promise<void>
}

const here = fileURLToPath(new URL('.', import.meta.url))

function appVersion(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(join(here, rel), 'utf8')) as { version: string }).version
    } catch {
      // Bundled and unbundled layouts put package.json at different depths.
    }
  }
  return '0.0.0'
}

/**
 * A packaged build may ship a dedicated capture runtime that holds the capture capability
 * (build/capture-runtime, docs/capture.md); WIRENOTE_CAPTURE_RUNTIME still wins.
 */
function captureRuntime(): { runtime?: string; script?: string } {
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (process.env.WIRENOTE_CAPTURE_RUNTIME || !resources) return {}
  const runtime = join(resources, 'capture', 'wirenote-capture-node')
  if (!existsSync(runtime)) return {}
  // A plain Node runtime cannot read app.asar: run the unpacked copy of the helper bundle.
  return { runtime, script: bundledHelperPath().replace(`app.asar${sep}`, `app.asar.unpacked${sep}`) }
}

/** Where saves and exports go by default: ~/Documents when there is one. */
function documentsDir(): string {
  const docs = join(homedir(), 'Documents')
  return existsSync(docs) ? docs : homedir()
}

export async function createServices(opts: ServicesOptions): Promise<Services> {
  const events = new EventBus()
  const recent = new RecentFiles(opts.userDataDir ? join(opts.userDataDir, 'recent-files.json') : null)
  const session = new Session({ events, controller: new CaptureController({ helper: resolveHelperCommand(captureRuntime()) }) })
  const version = appVersion()

  const handlers: Handlers = {
    'app.info': () => ({ version, mode: opts.mode, platform: process.platform, sample: session.samplePath, documents: documentsDir() }),
    'file.open': async ({ path }) => {
      const r = await session.open(path)
      recent.add(r.path)
      return r
    },
    'file.openSample': async () => session.open(session.samplePath),
    'file.recent': () => ({ paths: recent.list() }),
    'file.current': () => session.current(),
    'file.save': async ({ path, overwrite }) => {
      const r = await session.save(path, overwrite)
      recent.add(r.path)
      return r
    },
    'capture.interfaces': async () => ({ interfaces: await session.capture.interfaces() }),
    'capture.start': async ({ iface, filter }) => session.startCapture(iface, filter),
    'capture.stop': async () => session.stopCapture(),
    'capture.status': () => session.capture.status(),
    'capture.pause': () => {
      session.capture.pause()
      return session.capture.status()
    },
    'capture.resume': () => {
      session.capture.resume()
      return session.capture.status()
    },
    'view.rows': ({ start, count }) => session.rows(start, count),
    'view.filter': async ({ text }) => session.filter(text),
    'filter.check': ({ text }) => session.checkFilter(text),
    'view.find': ({ no }) => session.find(no),
    'packet.details': ({ no }) => session.details(no),
    'streams.list': () => session.streams(),
    'stream.packets': ({ stream, limit }) => session.streamPackets(stream, limit),
    'annotations.get': () => session.annotations(),
    'annotations.set': (a) => session.setAnnotations(a),
    'export.note': async (a) => session.exportNote(a),
    'diagram.stream': (a) => session.diagram(a),
    'packet.card': async (a) => session.card(a)
  }

  return {
    router: new Router(handlers),
    events,
    session,
    recentFiles: () => recent.list(),
    onRecentChanged: (l) => recent.onChange(l),
    dispose: async () => session.close()
  }
}
