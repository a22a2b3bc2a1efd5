// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { useFile } from './file'
import { usePackets } from './packets'
import { useAnnotations } from './annotations'
import { useDetails } from './details'
import { useFilter } from './filter'
import { useUi } from './ui'
import { useCapture } from './capture'
import { catchUp, wireEvents } from './session'
import { useNotify } from './notify'
import { useFolders } from './folders'
import { settle, setupEnv } from '../testing/mount'

async function setup(opts: { progressSteps?: number } = {}) {
  const env = setupEnv({ packets: 1200, ...opts })
  wireEvents(env.api)
  await catchUp(env.api, true)
  const a = useAnnotations()
  a.saveDelay = 0
  return { env, file: useFile(), packets: usePackets(), a, ui: useUi() }
}

describe('file store', () => {
  it('notes not yet in a file: opening another capture asks first, and "no" keeps everything', async () => {
    const { env, file, a, ui } = await setup()
    expect(a.unsavedInFile).toBe(false)
    a.setNote(3, 'The SYN')
    await a.flush()
    expect(a.saveState).toBe('saved')
    expect(a.unsavedInFile).toBe(true)

    const refused = file.open('/captures/other-2k.pcapng')
    await settle()
    expect(ui.question?.key).toBe('discardNotes')
    ui.question!.resolve(false)
    expect(await refused).toBe(false)
    expect(env.api.calls.some((c) => c.method === 'file.open')).toBe(false)
    expect(a.forPacket(3)?.note).toBe('The SYN')

    await useCapture().loadInterfaces()
    const started = useCapture().start()
    await settle()
    ui.question!.resolve(false)
    expect(await started).toBe(false)
    expect(env.api.calls.some((c) => c.method === 'capture.start')).toBe(false)

    const accepted = file.open('/captures/other-2k.pcapng')
    await settle()
    ui.question!.resolve(true)
    expect(await accepted).toBe(true)
    expect(file.path).toBe('/captures/other-2k.pcapng')
    expect(a.state.packets).toEqual([])
    expect(a.unsavedInFile).toBe(false)
    // Nothing to lose now: no question.
    await file.open('/captures/third-1k.pcapng')
    expect(ui.question).toBeNull()
  })

  it('Save as keeps the filter and the selected packet, and the notes count as saved', async () => {
    const { env, file, packets, a } = await setup()
    await useFilter().apply('tcp.flags.syn == 1')
    const filtered = packets.total
    await packets.reveal(15)
    a.setStep(15, 'Step 1')
    expect(a.unsavedInFile).toBe(true)

    expect(await file.save('/out/annotated.pcapng')).toBe('/out/annotated.pcapng')
    await settle()
    expect(file.path).toBe('/out/annotated.pcapng')
    expect(packets.appliedFilter).toBe('tcp.flags.syn == 1')
    expect(useFilter().text).toBe('tcp.flags.syn == 1')
    expect(packets.total).toBe(filtered)
    expect(packets.selectedNo).toBe(15)
    packets.ensure(packets.selectedIndex, packets.selectedIndex + 1)
    await settle()
    expect(packets.rowAt(packets.selectedIndex)?.no).toBe(15)
    expect(a.forPacket(15)?.step).toBe('Step 1')
    expect(a.unsavedInFile).toBe(false)
    expect(env.api.calls.filter((c) => c.method === 'file.save')).toHaveLength(1)
  })

  it('the first progress of a new file drops the old selection, tree and notes at once', async () => {
    const { env, file, packets } = await setup({ progressSteps: 3 })
    packets.select(2)
    await settle()
    await useDetails().load(packets.selectedNo)
    expect(useDetails().details).not.toBeNull()
    let seen: { path: string; selected: number; details: boolean } | null = null
    env.api.on('load.progress', (p) => {
      if (!seen && !p.done) seen = { path: file.path, selected: packets.selectedNo, details: !!useDetails().details }
    })
    await file.open('/captures/next-3k.pcapng')
    // The fake emits progress synchronously inside file.open; the store's listener ran first.
    expect(seen).toEqual({ path: '/captures/next-3k.pcapng', selected: 0, details: false })
  })

  it('saving over an existing file asks; "no" sends nothing more, "yes" retries with overwrite', async () => {
    const { env, file, a, ui } = await setup()
    a.setNote(3, 'The SYN')
    env.api.existing.add('/out/taken.pcapng')
    const saves = () => env.api.calls.filter((c) => c.method === 'file.save').map((c) => c.args)

    const refused = file.save('/out/taken.pcapng ')
    await settle()
    expect(ui.question?.key).toBe('replaceFile')
    expect(ui.question?.params).toEqual({ name: 'taken.pcapng', path: '/out/taken.pcapng' })
    // Waiting for the answer is not saving.
    expect(file.saving).toBe(false)
    ui.question!.resolve(false)
    expect(await refused).toBeNull()
    expect(saves()).toEqual([{ path: '/out/taken.pcapng' }])
    expect(file.path).toBe('/captures/big-5M.pcapng')
    expect(useNotify().toasts).toEqual([])
    expect(a.unsavedInFile).toBe(true)

    const accepted = file.save('/out/taken.pcapng')
    await settle()
    ui.question!.resolve(true)
    expect(await accepted).toBe('/out/taken.pcapng')
    expect(saves().slice(1)).toEqual([{ path: '/out/taken.pcapng' }, { path: '/out/taken.pcapng', overwrite: true }])
    expect(file.path).toBe('/out/taken.pcapng')
    expect(a.unsavedInFile).toBe(false)
    // The next suggestion goes where the user saved.
    expect(useFolders().savePath(file.path)).toBe('/out/taken-annotated.pcapng')
  })

  it('other save errors are reported, with no question', async () => {
    const { env, file, ui } = await setup()
    env.api.failSave = 'EACCES: permission denied'
    expect(await file.save('/ro/x.pcapng')).toBeNull()
    expect(ui.question).toBeNull()
    expect(useNotify().toasts.map((t) => t.message)).toEqual(['EACCES: permission denied'])
  })

  it('start-up and reconnect take the unsaved-notes flag from the main side', async () => {
    const env = setupEnv({ packets: 1200 })
    env.api.annotations = { title: '', intro: '', packets: [{ no: 3, note: 'SYN', step: '', highlights: [] }] }
    env.api.unsaved = true
    wireEvents(env.api)
    await catchUp(env.api, true)
    const a = useAnnotations()
    expect(a.forPacket(3)?.note).toBe('SYN')
    expect(a.unsavedInFile).toBe(true)
    // Saved meanwhile (another window, the application menu); this window reconnects.
    env.api.unsaved = false
    await catchUp(env.api, false)
    expect(a.unsavedInFile).toBe(false)
    expect(useFolders().documents).toBe('/home/user/Documents')
  })
})
