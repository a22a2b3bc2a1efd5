// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import en from './en'
import zhCN from './zh-CN'
import App from '../App.vue'
import { mountIn, settle, setupEnv } from '../testing/mount'
import { useSettings } from '../stores/settings'

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('i18n', () => {
  it('zh-CN translates every English key, and none is left in English by accident', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort())
    const same = keys(en).filter((k) => {
      const get = (o: object) => k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o)
      return get(en) === get(zhCN)
    })
    // Names and technical words that are the same in both languages.
    expect(same.sort()).toEqual(
      ['app.title', 'legend.syn', 'legend.fin', 'legend.rst', 'open.pathPlaceholder', 'open.savePlaceholder', 'export.outDirPlaceholder', 'export.frontMatter', 'export.fmJekyll', 'export.fmHexo', 'diagram.seq', 'diagram.mermaid', 'lang.en', 'lang.zh-CN', 'status.bytes'].sort()
    )
  })

  it('switches the whole window between English and Simplified Chinese at runtime', async () => {
    const env = setupEnv({ packets: 100 })
    const w = mountIn(env, App, { attachTo: document.body })
    await settle()
    expect(w.find('[data-testid="open-button"]').text()).toBe('Open…')
    expect(w.find('[data-testid="filter-input"]').attributes('placeholder')).toContain('display filter')
    const sw = w.find('[data-testid="language-switch"]')
    await sw.setValue('zh-CN')
    await settle()
    expect(useSettings().locale).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(w.find('[data-testid="open-button"]').text()).toBe('打开…')
    expect(w.find('[data-testid="filter-input"]').attributes('placeholder')).toContain('显示过滤器')
    expect(w.find('.pl-header').text()).toContain('序号')
    await sw.setValue('en')
    await settle()
    expect(w.find('.pl-header').text()).toContain('No.')
    w.unmount()
  })
})
