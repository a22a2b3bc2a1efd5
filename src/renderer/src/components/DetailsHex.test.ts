// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import DetailsTree from './DetailsTree.vue'
import HexPane from './HexPane.vue'
import { mountIn, settle, setupEnv } from '../testing/mount'
import { useDetails } from '../stores/details'
import { useSettings } from '../stores/settings'
import { useAnnotations } from '../stores/annotations'
import { usePackets } from '../stores/packets'

const Both = defineComponent({ render: () => h('div', [h(DetailsTree), h(HexPane, { initialHeight: 400 })]) })

async function mountSyn() {
  const env = setupEnv()
  const details = useDetails()
  usePackets().reset(5_000_000)
  await details.load(3) // frame 3 is a SYN in the fake traffic
  const w = mountIn(env, Both, { attachTo: document.body })
  await settle()
  return { env, w, details }
}

const highlighted = (w: ReturnType<typeof mountIn>) =>
  w.findAll('[data-testid="hex-byte"][data-highlighted]').map((b) => Number(b.attributes('data-offset')))

describe('details tree ↔ hex pane', () => {
  it('selecting tcp.seq_raw highlights its four bytes, shown in hex beside the decimal', async () => {
    const { w, details } = await mountSyn()
    expect(w.find('[data-field="tcp.seq_raw"]').exists()).toBe(false)
    await w.find('[data-field="tcp"] [data-testid="tree-toggle"]').trigger('mousedown')
    const node = w.find('[data-testid="tree-node"][data-field="tcp.seq_raw"]')
    expect(node.text()).toMatch(/Sequence Number \(raw\): (\d+) \(0x[0-9a-f]{8}\)/)
    const [, dec, hex] = /: (\d+) \(0x([0-9a-f]{8})\)/.exec(node.text())!
    expect(Number(dec)).toBe(parseInt(hex, 16))
    // The hex form matches the bytes on the wire.
    const wire = [38, 39, 40, 41].map((o) => w.find(`[data-testid="hex-byte"][data-offset="${o}"]`).text()).join('')
    expect(wire).toBe(hex)

    await node.trigger('mousedown')
    expect(details.selectedNode?.name).toBe('tcp.seq_raw')
    expect(highlighted(w)).toEqual([38, 39, 40, 41])
    expect(w.findAll('[data-testid="ascii-byte"][data-highlighted]').map((b) => b.attributes('data-offset'))).toEqual(['38', '39', '40', '41'])
    expect(w.find('[data-testid="hex-selection"]').text()).toContain('0x26')
    w.unmount()
  })

  it('clicking a byte selects the innermost field covering it and opens its ancestors', async () => {
    const { w, details } = await mountSyn()
    // Byte 47 holds the flags; the innermost field is a flag bit inside tcp.flags.
    await w.find('[data-testid="hex-byte"][data-offset="47"]').trigger('mousedown')
    await settle()
    expect(details.selectedNode?.name).toMatch(/^tcp\.flags/)
    expect(useSettings().expanded.has('tcp')).toBe(true)
    expect(useSettings().expanded.has('tcp.flags')).toBe(true)
    const sel = w.find('[data-testid="tree-node"][aria-selected="true"]')
    expect(sel.attributes('data-field')).toBe(details.selectedNode?.name)
    expect(highlighted(w)).toEqual([46, 47])

    await w.find('[data-testid="hex-byte"][data-offset="27"]').trigger('mousedown')
    expect(details.selectedNode?.name).toBe('ip.src')
    expect(highlighted(w)).toEqual([26, 27, 28, 29])
    w.unmount()
  })

  it('remembers expansion by field name across packets and keeps the selected field', async () => {
    const { w, details } = await mountSyn()
    await w.find('[data-field="tcp"] [data-testid="tree-toggle"]').trigger('mousedown')
    await w.find('[data-testid="tree-node"][data-field="tcp.seq_raw"]').trigger('mousedown')
    await details.load(4)
    await settle()
    expect(w.find('[data-testid="details-tree"]').attributes('data-no')).toBe('4')
    expect(w.find('[data-field="tcp.seq_raw"]').exists()).toBe(true)
    expect(details.selectedNode?.name).toBe('tcp.seq_raw')
    expect(highlighted(w)).toEqual([38, 39, 40, 41])
    w.unmount()
  })

  it('keyboard: arrows move, Right/Left expand/collapse, h toggles the note highlight', async () => {
    const { w, details } = await mountSyn()
    const tree = w.find('[data-testid="details-tree"]')
    await tree.trigger('keydown', { key: 'Home' })
    expect(details.selectedNode?.name).toBe('frame')
    await tree.trigger('keydown', { key: 'End' })
    expect(details.selectedNode?.name).toBe('tcp')
    await tree.trigger('keydown', { key: 'ArrowRight' })
    expect(useSettings().expanded.has('tcp')).toBe(true)
    await tree.trigger('keydown', { key: 'ArrowRight' })
    expect(details.selectedNode?.name).toBe('tcp.srcport')
    await tree.trigger('keydown', { key: 'h' })
    expect(useAnnotations().forPacket(3)?.highlights).toEqual([{ name: 'tcp.srcport', off: 34, len: 2 }])
    await settle()
    expect(w.find('[data-testid="tree-node"][data-field="tcp.srcport"] [data-testid="tree-highlight"]').element).toHaveProperty('checked', true)
    expect(w.findAll('[data-testid="hex-byte"][data-marked]').map((b) => b.attributes('data-offset'))).toEqual(['34', '35'])
    await tree.trigger('keydown', { key: 'ArrowLeft' })
    expect(details.selectedNode?.name).toBe('tcp')
    await tree.trigger('keydown', { key: 'ArrowLeft' })
    expect(useSettings().expanded.has('tcp')).toBe(false)
    w.unmount()
  })
})
