// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { changedFrames, useAnnotations } from './annotations'
import { useDetails } from './details'
import { usePackets } from './packets'
import { settle, setupEnv } from '../testing/mount'

function setup() {
  const env = setupEnv({ packets: 1000 })
  const a = useAnnotations()
  a.saveDelay = 0
  return { env, a }
}

describe('annotations store', () => {
  it('undoes and redoes edits step by step', () => {
    const { a } = setup()
    a.setTitle('Handshake')
    a.breakCoalescing()
    a.setStep(3, 'Step 1')
    a.toggleHighlight(3, { name: 'tcp.seq_raw', off: 38, len: 4 })
    a.setNote(5, 'SYN-ACK')
    expect(a.state.packets.map((p) => p.no)).toEqual([3, 5])

    a.undo()
    expect(a.forPacket(5)).toBeUndefined()
    a.undo()
    expect(a.forPacket(3)?.highlights).toEqual([])
    a.undo()
    expect(a.forPacket(3)).toBeUndefined()
    expect(a.state.title).toBe('Handshake')
    a.undo()
    expect(a.state.title).toBe('')
    expect(a.canUndo).toBe(false)
    a.undo() // nothing left: no-op
    expect(a.state.title).toBe('')

    a.redo()
    a.redo()
    expect(a.forPacket(3)).toMatchObject({ step: 'Step 1', highlights: [] })
    a.redo()
    a.redo()
    expect(a.forPacket(5)?.note).toBe('SYN-ACK')
    expect(a.canRedo).toBe(false)
  })

  it('coalesces typing in one field into one undo step, until focus leaves it', () => {
    const { a } = setup()
    for (const text of ['T', 'Th', 'The', 'The SYN']) a.setNote(3, text)
    a.setNote(4, 'other packet')
    a.breakCoalescing()
    a.setNote(3, 'The SYN!')
    a.undo()
    expect(a.forPacket(3)?.note).toBe('The SYN')
    a.undo()
    expect(a.forPacket(4)).toBeUndefined()
    a.undo()
    expect(a.forPacket(3)).toBeUndefined()
    expect(a.canUndo).toBe(false)
  })

  it('a new edit after undo drops the redo branch', () => {
    const { a } = setup()
    a.setTitle('A')
    a.undo()
    expect(a.canRedo).toBe(true)
    a.setIntro('B')
    expect(a.canRedo).toBe(false)
  })

  it('saves the whole state with annotations.set and marks rows in the list', async () => {
    const { a, env } = setup()
    const packets = usePackets()
    packets.reset(1000)
    packets.ensure(0, 20)
    await settle()
    a.setNote(3, 'note')
    expect(packets.rowAt(2)?.annotated).toBe(true)
    await a.flush()
    expect(env.api.annotations).toEqual({ title: '', intro: '', packets: [{ no: 3, note: 'note', step: '', highlights: [] }] })
    expect(a.saveState).toBe('saved')
    a.undo()
    expect(packets.rowAt(2)?.annotated).toBe(false)
    await a.flush()
    expect(env.api.annotations.packets).toEqual([])
  })

  it('loading a file resets the history', async () => {
    const { a, env } = setup()
    a.setTitle('x')
    env.api.annotations = { title: 'saved title', intro: '', packets: [{ no: 1, note: 'n', step: '', highlights: [] }] }
    await a.load()
    expect(a.state.title).toBe('saved title')
    expect(a.canUndo).toBe(false)
  })

  it('tells when notes are only in the open capture, and refreshes the tree of a packet whose note reached main', async () => {
    const { env, a } = setup()
    const details = useDetails()
    await details.load(3)
    const treeLoads = () => env.api.calls.filter((c) => c.method === 'packet.details').length
    const before = treeLoads()
    expect(a.unsavedInFile).toBe(false)
    a.setNote(3, 'The SYN')
    a.setNote(7, 'Not on screen')
    expect(a.unsavedInFile).toBe(true)
    await a.flush()
    await settle()
    // The packet on screen is fetched again (its comment is part of the tree); 7 is not.
    expect(treeLoads()).toBe(before + 1)
    expect(details.details?.no).toBe(3)
    // Loading takes the main side's word: the notes reached it but no file yet.
    await a.load()
    expect(a.unsavedInFile).toBe(true)
    expect(a.canUndo).toBe(false)
    env.api.unsaved = false
    await a.load()
    expect(a.unsavedInFile).toBe(false)
  })

  it('a reload or a second window learns from the main side that the notes are not in a file', async () => {
    const { env, a } = setup()
    env.api.annotations = { title: 'T', intro: '', packets: [{ no: 3, note: 'SYN', step: '', highlights: [] }] }
    env.api.unsaved = true
    await a.load()
    expect(a.unsavedInFile).toBe(true)
    expect(a.forPacket(3)?.note).toBe('SYN')
    // The flag is not part of the notes sent back.
    a.setNote(3, 'The SYN')
    await a.flush()
    expect(env.api.annotations).toEqual({ title: 'T', intro: '', packets: [{ no: 3, note: 'The SYN', step: '', highlights: [] }] })

    // A reconnect: saved meanwhile (another window) → saved; edits not yet sent stay unsaved.
    env.api.unsaved = false
    await a.refreshUnsaved()
    expect(a.unsavedInFile).toBe(false)
    a.saveDelay = 60_000
    a.setNote(3, 'The SYN, again')
    await a.refreshUnsaved()
    expect(a.unsavedInFile).toBe(true)
    expect(a.forPacket(3)?.note).toBe('The SYN, again')
    a.reset()
  })

  it('changedFrames lists added, edited and removed packets only', () => {
    const p3 = { no: 3, note: 'a', step: '', highlights: [] }
    const p5 = { no: 5, note: 'b', step: '', highlights: [] }
    const p9 = { no: 9, note: 'c', step: '', highlights: [] }
    const before = { title: '', intro: '', packets: [p3, p5] }
    const after = { title: 'T', intro: '', packets: [p3, { ...p5, note: 'b2' }, p9] }
    expect(changedFrames(before, after).sort((x, y) => x - y)).toEqual([5, 9])
    expect(changedFrames(after, { ...after, packets: [p3] }).sort((x, y) => x - y)).toEqual([5, 9])
  })
})
