// User-facing messages (errors from main, failed requests) shown as dismissable toasts.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '../api/errors'

export interface Toast {
  id: number
  kind: 'error' | 'info'
  message: string
  detail?: string
}

export const useNotify = defineStore('notify', () => {
  const toasts = ref<Toast[]>([])
  let next = 1

  function push(kind: Toast['kind'], message: string, detail?: string): void {
    const id = next++
    toasts.value = [...toasts.value.slice(-4), { id, kind, message, detail }]
    if (kind === 'info') setTimeout(() => dismiss(id), 4000)
  }

  function error(err: unknown, context?: string): void {
    const msg = errorMessage(err)
    push('error', context ? `${context}: ${msg}` : msg)
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  return { toasts, push, error, dismiss }
})
