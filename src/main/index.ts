// Electron entry point. Kept thin: the services, the router and everything they use run under
// plain Node (and are tested there); this file only adds the window, its security settings,
// the menus and the IPC transport.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type MenuItemConstructorOptions } from 'electron'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createServices, type Services } from './app/services'
import { loadWindowState, saveBounds } from './app/window-state'
import { registerIpc, type IpcMainLike } from './app/ipc'
import { IPC_EVENT } from '../shared/ipc-channels'
import type { MenuAction } from '../shared/contract'

const here = fileURLToPath(new URL('.', import.meta.url))
const rendererIndex = join(here, '../renderer/index.html')
const rendererUrl = pathToFileURL(rendererIndex).href

let services: Services | null = null
let win: BrowserWindow | null = null

/** Only our own page may call the contract: a frame navigated elsewhere gets nothing. */
function trustedSender(sender: unknown, frameUrl: string | undefined): boolean {
  return win !== null && sender === win.webContents && (frameUrl ?? '').split(/[?#]/)[0] === rendererUrl
}

function createWindow(svc: Services): void {
  const statePath = join(app.getPath('userData'), 'window-state.json')
  const state = loadWindowState(statePath)
  win = new BrowserWindow({
    ...state.bounds,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Wirenote',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webSecurity: true,
      // Middle-click on a link would otherwise open a new window past setWindowOpenHandler.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  const wc = win.webContents
  // Nothing the page does may take the window somewhere else or open another one.
  wc.on('will-navigate', (e) => e.preventDefault())
  wc.on('will-redirect', (e) => e.preventDefault())
  wc.on('will-attach-webview', (e) => e.preventDefault())
  wc.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.once('ready-to-show', () => {
    if (state.maximized) win?.maximize()
    win?.show()
  })
  let discardNotes = false
  win.on('close', (e) => {
    if (!win) return
    if (svc.session.notesUnsaved && !discardNotes) {
      // Annotations live in memory until saved into a pcapng: closing would lose them.
      e.preventDefault()
      void askAboutUnsavedNotes(win, svc).then((choice) => {
        if (choice === 'cancel' || !win) return
        discardNotes = true
        win.close()
      })
      return
    }
    saveBounds(statePath, win.getNormalBounds(), win.isMaximized())
  })
  win.on('closed', () => {
    win = null
  })
  const unsubscribe = svc.events.subscribe((event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload)
  })
  win.on('closed', unsubscribe)
  void win.loadFile(rendererIndex)
}

async function askAboutUnsavedNotes(w: BrowserWindow, svc: Services): Promise<'saved' | 'discard' | 'cancel'> {
  const { response } = await dialog.showMessageBox(w, {
    type: 'warning',
    message: 'Your notes are not saved to a file.',
    detail: 'Save the capture as pcapng to keep the annotations, or close without them.',
    buttons: ['Save As…', 'Close Without Saving', 'Cancel'],
    defaultId: 0,
    cancelId: 2
  })
  if (response === 1) return 'discard'
  if (response !== 0) return 'cancel'
  const pick = await dialog.showSaveDialog(w, { filters: [{ name: 'pcapng', extensions: ['pcapng'] }] })
  if (pick.canceled || !pick.filePath) return 'cancel'
  // The native dialog already asked about replacing an existing file.
  const r = await svc.router.dispatch('file.save', { path: pick.filePath, overwrite: true })
  if (!r.ok) {
    await dialog.showMessageBox(w, { type: 'error', message: r.error.message })
    return 'cancel'
  }
  return 'saved'
}

/** Menu actions go through the same router as the renderer's calls. */
function menuTemplate(svc: Services): MenuItemConstructorOptions[] {
  const call = (method: Parameters<Services['router']['dispatch']>[0], args: unknown): void => {
    void svc.router.dispatch(method, args).then((r) => {
      if (!r.ok) svc.events.emit('error', { message: r.error.message })
    })
  }
  const send = (action: MenuAction): void => svc.events.emit('menu', { action })
  const openFile = async (): Promise<void> => {
    if (!win) return
    const pick = await dialog.showOpenDialog(win, {
      properties: ['openFile'],
      filters: [
        { name: 'Captures', extensions: ['pcap', 'pcapng', 'cap', 'ntar', 'dmp'] },
        { name: 'All files', extensions: ['*'] }
      ]
    })
    if (!pick.canceled && pick.filePaths[0]) call('file.open', { path: pick.filePaths[0] })
  }
  const saveAs = async (): Promise<void> => {
    if (!win) return
    const pick = await dialog.showSaveDialog(win, { filters: [{ name: 'pcapng', extensions: ['pcapng'] }] })
    if (!pick.canceled && pick.filePath) call('file.save', { path: pick.filePath, overwrite: true })
  }
  const recent = svc.recentFiles().map((p) => ({ label: p, click: () => call('file.open', { path: p }) }))
  return [
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void openFile() },
        { label: 'Open Recent', submenu: recent.length ? recent : [{ label: '(none)', enabled: false }] },
        { label: 'Open Sample Capture', click: () => call('file.openSample', {}) },
        { label: 'Save As pcapng…', accelerator: 'CmdOrCtrl+Shift+S', click: () => void saveAs() },
        { label: 'Export Note…', accelerator: 'CmdOrCtrl+E', click: () => send('export-note') },
        { type: 'separator' },
        { role: 'quit' }
      ]
    },
    {
      label: '&Capture',
      submenu: [
        { label: 'Start…', accelerator: 'CmdOrCtrl+K', click: () => send('capture-start') },
        { label: 'Stop', accelerator: 'CmdOrCtrl+.', click: () => call('capture.stop', {}) }
      ]
    },
    {
      label: '&View',
      submenu: [
        { label: 'Theme: System', click: () => send('theme-system') },
        { label: 'Theme: Light', click: () => send('theme-light') },
        { label: 'Theme: Dark', click: () => send('theme-dark') },
        { type: 'separator' },
        { label: 'English', click: () => send('lang-en') },
        { label: '简体中文', click: () => send('lang-zh-CN') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' }
      ]
    },
    {
      label: '&Help',
      submenu: [{ label: 'Wirenote on the Web', click: () => void shell.openExternal('https://github.com/wirenote/wirenote') }]
    }
  ]
}

async function main(): Promise<void> {
  await app.whenReady()
  // No web permission (camera, notifications, geolocation...) is ever granted to the page.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  session.defaultSession.setPermissionCheckHandler(() => false)

  const svc = await createServices({ mode: 'electron', userDataDir: app.getPath('userData') })
  services = svc
  registerIpc(ipcMain as unknown as IpcMainLike, svc.router, (e) => trustedSender(e.sender, e.senderFrame?.url))
  const rebuildMenu = (): void => Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(svc)))
  svc.onRecentChanged(rebuildMenu)
  rebuildMenu()
  createWindow(svc)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(svc)
  })
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
})
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
app.on('will-quit', () => {
  void services?.dispose()
})

void main()
