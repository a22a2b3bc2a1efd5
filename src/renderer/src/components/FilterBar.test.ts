// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import FilterBar from './FilterBar.vue'
import { mountIn, settle, setupEnv } from '../testing/mount'
import { usePackets } from '../stores/packets'
import { useSettings } from '../stores/settings'
import { useFilter } from '../stores/filter'
import type { MethodArgs, MethodName, MethodResults } from '../../../shared/contract'
import type { FakeApi } from '../testing/fakeApi'

/** Holds every filter.check reply until the test lets it through, in any order. */
function holdChecks(api: FakeApi): { release(i: number): Promise<void>; count(): number } {
  const held: (() => void)[] = []
  const invoke = api.invoke.bind(api)
  api.invoke = async <M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResults[M]> => {
    if (method === 'filter.check') await new Promise<void>((r) => held.push(r))
    return invoke(method, args)
  }
  return {
    async release(i) {
      held[i]()
      await settle()
    },
    count: () => held.length
  }
}

afterEach(() => {
  vi.useRealTimers()
})

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

  it('while typing, the main side checks a valid text after a pause and its error shows like a syntax error', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { w, env } = await mountBar()
    const bar = () => w.find('[data-testid="filter-bar"]')
    const checks = () => env.api.calls.filter((c) => c.method === 'filter.check').map((c) => (c.args as { text: string }).text)
    const input = w.find('[data-testid="filter-input"]')

    await input.setValue('ip.adr')
    vi.advanceTimersByTime(100)
    await input.setValue('ip.adr == 1.2.3.4')
    // Syntax is fine: green at once, the main side not asked yet.
    expect(bar().attributes('data-state')).toBe('valid')
    expect(bar().attributes('data-checking')).toBe('true')
    vi.advanceTimersByTime(100)
    await settle()
    expect(checks()).toEqual([])
    vi.advanceTimersByTime(60)
    await settle()
    // One request, for the latest text only.
    expect(checks()).toEqual(['ip.adr == 1.2.3.4'])
    expect(bar().attributes('data-state')).toBe('invalid')
    expect(bar().attributes('data-checking')).toBeUndefined()
    const err = w.find('[data-testid="filter-error"]')
    expect(err.attributes('data-pos')).toBe('0')
    expect(w.find('[data-testid="filter-error-message"]').text()).toContain('ip.adr')
    // Caret at the start, tildes under the rest of the unknown name.
    expect(err.find('pre').text().split('\n')[1]).toBe('^~~~~~')
    expect(w.find('[data-testid="filter-apply"]').attributes('disabled')).toBeDefined()
    // Nothing was applied, and Enter does not send what the main side already refused.
    await input.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(env.api.calls.some((c) => c.method === 'view.filter')).toBe(false)
    expect(usePackets().total).toBe(5_000_000)

    // Fixing it: green at once, and the main side agrees.
    await input.setValue('ip.addr == 1.2.3.4')
    expect(bar().attributes('data-state')).toBe('valid')
    vi.advanceTimersByTime(150)
    await settle()
    expect(checks()).toEqual(['ip.adr == 1.2.3.4', 'ip.addr == 1.2.3.4'])
    expect(bar().attributes('data-state')).toBe('valid')
    expect(bar().attributes('data-checking')).toBeUndefined()

    // A syntax error is never sent: the local parser has the answer.
    await input.setValue('ip.addr ==')
    vi.advanceTimersByTime(500)
    await settle()
    expect(checks()).toHaveLength(2)
    expect(bar().attributes('data-state')).toBe('invalid')
    w.unmount()
  })

  it('only the reply to the latest check counts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { w, env } = await mountBar()
    const held = holdChecks(env.api)
    const bar = () => w.find('[data-testid="filter-bar"]')
    const input = w.find('[data-testid="filter-input"]')

    await input.setValue('nosuch.field == 1')
    vi.advanceTimersByTime(150)
    await input.setValue('tcp.port == 80')
    vi.advanceTimersByTime(150)
    await settle()
    expect(held.count()).toBe(2)
    // The newer reply first, then the stale rejection: the bar stays green.
    await held.release(1)
    expect(bar().attributes('data-state')).toBe('valid')
    expect(bar().attributes('data-checking')).toBeUndefined()
    await held.release(0)
    expect(bar().attributes('data-state')).toBe('valid')
    expect(w.find('[data-testid="filter-error"]').exists()).toBe(false)

    // A reply for a text already edited away is dropped too.
    await input.setValue('nosuch.field == 2')
    vi.advanceTimersByTime(150)
    await settle()
    await input.setValue('tcp.port == 8')
    await held.release(2)
    expect(bar().attributes('data-state')).toBe('valid')
    expect(useFilter().rejected).toBeNull()
    w.unmount()
  })
})

describe('FilterBar progress', () => {
  it('shows how far the main side scanned while a filter is applied, and hides when done', async () => {
    const { w } = await mountBar()
    const filter = useFilter()
    filter.applying = true
    filter.onProgress({ text: 'tcp', scanned: 250_000, total: 1_000_000, matched: 1234, done: false })
    await settle()
    const bar = w.find('[data-testid="filter-progress"]')
    expect(bar.exists()).toBe(true)
    expect(bar.text()).toContain('25%')
    expect(bar.text()).toContain('1,234')
    filter.onProgress({ text: 'tcp', scanned: 1_000_000, total: 1_000_000, matched: 5000, done: true })
    await settle()
    expect(w.find('[data-testid="filter-progress"]').exists()).toBe(false)
    w.unmount()
  })
})
