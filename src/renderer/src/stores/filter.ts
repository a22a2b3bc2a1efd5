// The display-filter bar: the text being typed, its state, and applying it. Syntax is
// checked locally on every keystroke; a syntactically valid text is then checked by the
// main side (`filter.check`: unknown fields, bad values) after a short pause in typing.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { FilterError } from '../../../shared/contract'
import { checkSyntax, type SpanError, type SyntaxResult } from '../lib/filterSyntax'
import { useApi } from '../api/current'
import { usePackets } from './packets'
import { useSettings } from './settings'
import { useNotify } from './notify'

export type BarState = 'empty' | 'valid' | 'invalid'

export const useFilter = defineStore('filter', () => {
  const text = ref('')
  /** The main side's verdict on a text (from `filter.check` or from applying it). */
  const rejected = ref<{ text: string; error: FilterError } | null>(null)
  /** A text the main side accepted, so the bar can tell "checked" from "not checked yet". */
  const accepted = ref<string | null>(null)
  const applying = ref(false)
  /** How far the main side's scan of the text being applied got (null when not scanning). */
  const progress = ref<{ text: string; scanned: number; total: number; matched: number } | null>(null)
  /** Milliseconds of quiet typing before asking the main side; tests set 0. */
  const checkDelay = ref(150)
  let checkTimer: ReturnType<typeof setTimeout> | null = null
  /** Bumped by every check sent: only the reply to the latest one counts. */
  let checkSeq = 0

  const syntax = computed<SyntaxResult>(() => checkSyntax(text.value))

  const error = computed<SpanError | null>(() => {
    if (syntax.value.state === 'invalid') return syntax.value.error
    if (rejected.value && rejected.value.text === text.value) return rejected.value.error
    return null
  })

  const state = computed<BarState>(() => {
    return error.value ? 'invalid' : syntax.value.state
  })

  /** The syntax is fine and the main side has not answered for this text yet. */
  const checking = computed(() => syntax.value.state === 'valid' && !error.value && accepted.value !== text.value)

  /** True when the text differs from what the list shows. */
  const dirty = computed(() => text.value.trim() !== usePackets().appliedFilter)

  /** Drops a check waiting to be sent and any reply still to come. */
  function cancelCheck(): void {
    if (checkTimer) clearTimeout(checkTimer)
    checkTimer = null
    checkSeq++
  }

  /** Asks the main side about `t`; a reply that arrives after a newer request is dropped. */
  async function check(t: string): Promise<void> {
    const seq = ++checkSeq
    try {
      const r = await useApi().invoke('filter.check', { text: t })
      if (seq !== checkSeq || t !== text.value) return
      if (r.ok) {
        accepted.value = t
        if (rejected.value?.text === t) rejected.value = null
      } else rejected.value = { text: t, error: r.error }
    } catch {
      // No verdict (disconnected, an older main process): Enter still gets one.
    }
  }

  function scheduleCheck(): void {
    cancelCheck()
    if (syntax.value.state !== 'valid') return
    if (accepted.value === text.value || rejected.value?.text === text.value) return
    const t = text.value
    checkTimer = setTimeout(() => {
      checkTimer = null
      void check(t)
    }, checkDelay.value)
  }

  /** The user typed (or picked) a text: the syntax verdict is instant, the main side's follows. */
  function setText(t: string): void {
    text.value = t
    scheduleCheck()
  }

  async function apply(t: string = text.value): Promise<boolean> {
    cancelCheck()
    text.value = t
    if (syntax.value.state === 'invalid') return false
    // The main side already said no to exactly this text: applying would say it again.
    if (rejected.value && rejected.value.text === t) return false
    applying.value = true
    try {
      const res = await usePackets().applyFilter(t)
      if (!res.ok) {
        rejected.value = { text: t, error: res.error }
        return false
      }
      rejected.value = null
      accepted.value = t
      useSettings().rememberFilter(t)
      return true
    } catch (err) {
      useNotify().error(err)
      return false
    } finally {
      applying.value = false
      progress.value = null
    }
  }

  /** `filter.progress` from the main side: shown while the text being applied is scanned. */
  function onProgress(p: { text: string; scanned: number; total: number; matched: number; done: boolean }): void {
    progress.value = applying.value && !p.done ? { text: p.text, scanned: p.scanned, total: p.total, matched: p.matched } : null
  }

  function clear(): Promise<boolean> {
    return apply('')
  }

  return { text, syntax, error, state, checking, dirty, applying, progress, rejected, checkDelay, setText, apply, clear, cancelCheck, onProgress }
})
