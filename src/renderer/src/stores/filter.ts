// The display-filter bar: the text being typed, its syntax state, and applying it.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { FilterError } from '../../../shared/contract'
import { checkSyntax, type SpanError, type SyntaxResult } from '../lib/filterSyntax'
import { usePackets } from './packets'
import { useSettings } from './settings'
import { useNotify } from './notify'

export type BarState = 'empty' | 'valid' | 'invalid'

export const useFilter = defineStore('filter', () => {
  const text = ref('')
  /** The main side's verdict on the last applied text (unknown field, bad value ...). */
  const rejected = ref<{ text: string; error: FilterError } | null>(null)
  const applying = ref(false)

  const syntax = computed<SyntaxResult>(() => checkSyntax(text.value))

  const error = computed<SpanError | null>(() => {
    if (syntax.value.state === 'invalid') return syntax.value.error
    if (rejected.value && rejected.value.text === text.value) return rejected.value.error
    return null
  })

  const state = computed<BarState>(() => {
    return error.value ? 'invalid' : syntax.value.state
  })

  /** True when the text differs from what the list shows. */
  const dirty = computed(() => text.value.trim() !== usePackets().appliedFilter)

  function setText(t: string): void {
    text.value = t
  }

  async function apply(t: string = text.value): Promise<boolean> {
    text.value = t
    if (syntax.value.state === 'invalid') return false
    applying.value = true
    try {
      const res = await usePackets().applyFilter(t)
      if (!res.ok) {
        rejected.value = { text: t, error: res.error }
        return false
      }
      rejected.value = null
      useSettings().rememberFilter(t)
      return true
    } catch (err) {
      useNotify().error(err)
      return false
    } finally {
      applying.value = false
    }
  }

  function clear(): Promise<boolean> {
    return apply('')
  }

  return { text, syntax, error, state, dirty, applying, rejected, setText, apply, clear }
})
