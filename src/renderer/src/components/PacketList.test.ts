// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import PacketList from './PacketList.vue'
import { mountIn, settle, setupEnv } from '../testing/mount'
import { usePackets } from '../stores/packets'
import { useSettings } from '../stores/settings'

async function mountList(total = 5_000_000) {
  const env = setupEnv({ packets: total })
  const packets = usePackets()
  packets.reset(total)
  const w = mountIn(env, PacketList, { props: { initialHeight: 600 }, attachTo: document.body })
  await settle()
  return { env, w, packets }
}

describe('PacketList', () => {
  it('renders only the visible window of 5 M rows, with frame numbers and colours', async () => {
    const { w, env } = await mountList()
    const rows = w.findAll('[data-testid="packet-row"]')
    expect(rows.length).toBe(30)
    expect(rows[0].attributes('data-no')).toBe('1')
    expect(w.find('[data-no="3"]').attributes('data-color')).toBe('handshake')
    expect(w.find('[data-no="3"] [data-col="info"]').text()).toContain('[SYN]')
    const counts = env.api.calls.filter((c) => c.method === 'view.rows').map((c) => (c.args as { count: number }).count)
    expect(Math.max(...counts)).toBeLessThanOrEqual(2000)
    w.unmount()
  })

  it('End selects and shows the last of 5 M rows; Home goes back; arrows and pages move the selection', async () => {
    const { w, packets } = await mountList()
    const grid = w.find('[data-testid="packet-list"]')
    await grid.trigger('keydown', { key: 'End' })
    await settle()
    expect(packets.selectedIndex).toBe(4_999_999)
    const last = w.find('[data-testid="packet-row"][data-no="5000000"]')
    expect(last.exists()).toBe(true)
    expect(last.attributes('aria-selected')).toBe('true')
    expect(packets.selectedNo).toBe(5_000_000)

    await grid.trigger('keydown', { key: 'Home' })
    await grid.trigger('keydown', { key: 'ArrowDown' })
    await grid.trigger('keydown', { key: 'PageDown' })
    await settle()
    // A page is the visible rows less one, so the row at the edge stays in view.
    expect(packets.selectedIndex).toBe(1 + 29)
    await grid.trigger('keydown', { key: 'ArrowUp' })
    expect(packets.selectedIndex).toBe(29)
    w.unmount()
  })

  it('maps a dragged scrollbar position to rows (scaled past the height cap)', async () => {
    const { w } = await mountList()
    const scroller = w.find('[data-testid="packet-scroller"]').element as HTMLElement
    const spacerPx = 8_000_000
    // Halfway down the scrollbar is halfway through the rows.
    scroller.scrollTop = (spacerPx - 600) / 2
    scroller.dispatchEvent(new Event('scroll'))
    await settle()
    const first = Number(w.find('[data-testid="packet-row"], [data-testid="packet-row-pending"]').attributes('data-index'))
    expect(Math.abs(first - (5_000_000 - 30) / 2)).toBeLessThan(2)
    const no = Number(w.find('[data-testid="packet-row"]').attributes('data-no'))
    expect(no).toBe(first + 1)
    w.unmount()
  })

  it('clicking a row selects it; the time header cycles the format', async () => {
    const { w, packets } = await mountList(1000)
    await w.find('[data-testid="packet-row"][data-no="5"]').trigger('mousedown')
    expect(packets.selectedNo).toBe(5)
    const settings = useSettings()
    expect(settings.timeFormat).toBe('rel')
    await w.find('[data-testid="time-toggle"]').trigger('click')
    expect(settings.timeFormat).toBe('abs')
    expect(w.find('[data-no="1"] [data-col="time"]').text()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    w.unmount()
  })

  it('a jump to a packet (go to) puts its row in the middle of the list', async () => {
    const { w, packets } = await mountList()
    await packets.reveal(2_500_000)
    await settle()
    const rows = w.findAll('[data-testid="packet-row"], [data-testid="packet-row-pending"]').map((r) => Number(r.attributes('data-index')))
    const at = rows.indexOf(2_499_999)
    expect(at).toBeGreaterThanOrEqual(14)
    expect(at).toBeLessThanOrEqual(15)
    // Moving the selection by keyboard scrolls only as far as needed.
    await w.find('[data-testid="packet-list"]').trigger('keydown', { key: 'ArrowDown' })
    await settle()
    const after = w.findAll('[data-testid="packet-row"], [data-testid="packet-row-pending"]').map((r) => Number(r.attributes('data-index')))
    expect(after[0]).toBe(rows[0])
    w.unmount()
  })
})
