// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import StreamsView from './StreamsView.vue'
import { mountIn, settle, setupEnv } from '../testing/mount'
import { useFile } from '../stores/file'
import type { Locale } from '../stores/settings'

async function mountView(opts: { maxStreams?: number; streamsTotal?: number; locale?: Locale }) {
  const env = setupEnv({ packets: 12_000, ...opts })
  useFile().path = '/captures/big.pcapng'
  const w = mountIn(env, StreamsView, { attachTo: document.body })
  await settle()
  return w
}

describe('StreamsView', () => {
  it('says when the capture has more streams than are listed, and how to reach them', async () => {
    const w = await mountView({ maxStreams: 300, streamsTotal: 500_000 })
    const count = w.find('[data-testid="streams-count"]')
    expect(count.text()).toBe('(300 of 500,000)')
    expect(count.attributes('data-listed')).toBe('300')
    expect(count.attributes('data-total')).toBe('500000')
    const hint = w.find('[data-testid="streams-truncated"]')
    expect(hint.text()).toBe('Only the first 300 streams are listed. The filter tcp.stream eq N reaches any stream.')
    expect(hint.find('code').text()).toBe('tcp.stream eq N')
    w.unmount()
  })

  it('in Chinese too', async () => {
    const w = await mountView({ maxStreams: 300, streamsTotal: 500_000, locale: 'zh-CN' })
    expect(w.find('[data-testid="streams-count"]').text()).toBe('(300 / 共 500,000)')
    expect(w.find('[data-testid="streams-truncated"]').text()).toContain('tcp.stream eq N')
    w.unmount()
  })

  it('a capture whose streams are all listed just counts them', async () => {
    const w = await mountView({})
    expect(w.find('[data-testid="streams-count"]').text()).toBe('(1,000)')
    expect(w.find('[data-testid="streams-count"]').attributes('data-total')).toBe('1000')
    expect(w.find('[data-testid="streams-truncated"]').exists()).toBe(false)
    w.unmount()
  })
})
