// User preferences that outlive a session: theme, language, time column, filter history,
// which detail subtrees are open.
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { TimeFormat } from '../lib/format'
import { loadJson, saveJson } from './persist'

export type ThemeChoice = 'system' | 'light' | 'dark'
export type Locale = 'en' | 'zh-CN'
export type SeqFormat = 'hex' | 'dec' | 'relative'

interface Saved {
  theme: ThemeChoice
  locale: Locale
  timeFormat: TimeFormat
  filterHistory: string[]
  expanded: string[]
  seqFormat: SeqFormat
}

const KEY = 'wirenote.settings'
const HISTORY_MAX = 20

export function defaultLocale(): Locale {
  const langs = globalThis.navigator?.languages ?? []
  return langs.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en'
}

export const useSettings = defineStore('settings', () => {
  const saved = loadJson<Partial<Saved>>(KEY, {})
  const theme = ref<ThemeChoice>(saved.theme ?? 'system')
  const locale = ref<Locale>(saved.locale === 'zh-CN' || saved.locale === 'en' ? saved.locale : defaultLocale())
  const timeFormat = ref<TimeFormat>(saved.timeFormat ?? 'rel')
  const filterHistory = ref<string[]>(Array.isArray(saved.filterHistory) ? saved.filterHistory.slice(0, HISTORY_MAX) : [])
  const expanded = ref<Set<string>>(new Set(Array.isArray(saved.expanded) ? saved.expanded : []))
  const seqFormat = ref<SeqFormat>(saved.seqFormat ?? 'hex')

  function persist(): void {
    saveJson(KEY, {
      theme: theme.value,
      locale: locale.value,
      timeFormat: timeFormat.value,
      filterHistory: filterHistory.value,
      expanded: [...expanded.value],
      seqFormat: seqFormat.value
    } satisfies Saved)
  }
  watch([theme, locale, timeFormat, filterHistory, expanded, seqFormat], persist, { deep: true })

  function rememberFilter(text: string): void {
    const t = text.trim()
    if (!t) return
    filterHistory.value = [t, ...filterHistory.value.filter((f) => f !== t)].slice(0, HISTORY_MAX)
  }

  function cycleTimeFormat(): void {
    const order: TimeFormat[] = ['rel', 'abs', 'delta']
    timeFormat.value = order[(order.indexOf(timeFormat.value) + 1) % order.length]
  }

  function setExpanded(key: string, open: boolean): void {
    const s = new Set(expanded.value)
    if (open) s.add(key)
    else s.delete(key)
    expanded.value = s
  }

  return { theme, locale, timeFormat, filterHistory, expanded, seqFormat, rememberFilter, cycleTimeFormat, setExpanded }
})
