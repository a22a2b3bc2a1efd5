// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import FilterBar from './FilterBar.vue'
import { mountIn, settle, setupEnv } from '../testing/mount'
import { usePackets } from '../stores/packets'
import { useSettings } from '../stores/settings'

async function mountBar() {
  const env = setupEnv()
  usePackets().reset(5_000_000)
  const w = mountIn(env, FilterBar, { attachTo: document.body })
  await settle()
  return { env, w }
}

describe('FilterBar', () => {
  it('is neutral when empty, green for a valid filter, red with the error position for an invalid one', async () => {
    const { w } = await mountBar()
    const bar = () => w.find('[data-testid="filter-bar"]')
    const input = w.find('[data-testid="filter-input"]')
    expect(bar().attributes('data-state')).toBe('empty')

    await input.setValue('tcp.flags.syn == 1 && ip.addr == 10.0.0.0/8')
    expect(bar().attributes('data-state')).toBe('valid')
    expect(w.find('[data-testid="filter-error"]').exists()).toBe(false)

    await input.setValue('tcp.port == 80 &&')
    expect(bar().attributes('data-state')).toBe('invalid')
    const err = w.find('[data-testid="filter-error"]')
    expect(err.attributes('data-pos')).toBe('17')
    expect(w.find('[data-testid="filter-error-message"]').text()).toMatch(/\S/)
    // The caret sits under the offending position.
    const echo = err.find('pre').text().split('\n')
    expect(echo[1].indexOf('^')).toBe(17)
    expect(w.find('[data-testid="filter-apply"]').attributes('disabled')).toBeDefined()

    await input.setValue('(tcp')
    expect(w.find('[data-testid="filter-error"]').attributes('data-pos')).toBe('4')
    await input.setValue('ip.addr == 10.0.0.0/8 and')
    expect(bar().attributes('data-state')).toBe('invalid')
    w.unmount()
  })

  it('Enter applies a valid filter and remembers it', async () => {
    const { w, env } = await mountBar()
    const input = w.find('[data-testid="filter-input"]')
    await input.setValue('tcp.stream eq 3')
    await input.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(env.api.calls.some((c) => c.method === 'view.filter' && (c.args as { text: string }).text === 'tcp.stream eq 3')).toBe(true)
    expect(usePackets().total).toBe(10)
    expect(useSettings().filterHistory[0]).toBe('tcp.stream eq 3')
    w.unmount()
  })

  it('a syntax error is never sent; a filter the main side rejects leaves the list untouched and shows its error', async () => {
    const { w, env } = await mountBar()
    const input = w.find('[data-testid="filter-input"]')
    await input.setValue('tcp.port ==')
    await input.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(env.api.calls.filter((c) => c.method === 'view.filter')).toHaveLength(0)

    await input.setValue('nosuch.field == 1')
    expect(w.find('[data-testid="filter-bar"]').attributes('data-state')).toBe('valid')
    await input.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(usePackets().total).toBe(5_000_000)
    expect(usePackets().appliedFilter).toBe('')
    expect(w.find('[data-testid="filter-bar"]').attributes('data-state')).toBe('invalid')
    expect(w.find('[data-testid="filter-error-message"]').text()).toContain('nosuch.field')
    expect(useSettings().filterHistory).toEqual([])
    // Editing clears the main side's verdict.
    await input.setValue('nosuch.field == 2')
    expect(w.find('[data-testid="filter-bar"]').attributes('data-state')).toBe('valid')
    w.unmount()
  })

  it('recent filters can be picked from the history menu', async () => {
    const { w } = await mountBar()
    useSettings().filterHistory = ['dns', 'tcp']
    await w.find('[data-testid="filter-history-toggle"]').trigger('click')
    const items = w.findAll('[data-testid="filter-history-item"]')
    expect(items.map((i) => i.text())).toEqual(['dns', 'tcp'])
    await items[0].trigger('mousedown')
    await settle()
    expect(usePackets().appliedFilter).toBe('dns')
    w.unmount()
  })
})
