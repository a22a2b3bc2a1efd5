// Drag-to-resize between two panes; the ratio is remembered per splitter.
import { ref } from 'vue'
import { loadJson, saveJson } from '../stores/persist'

export function useSplit(key: string, initial: number, axis: 'x' | 'y', min = 0.15, max = 0.85) {
  const ratio = ref(loadJson<number>(`wirenote.split.${key}`, initial))
  function start(e: PointerEvent, el: HTMLElement | null): void {
    if (!el) return
    e.preventDefault()
    const rect = el.getBoundingClientRect()
    const move = (ev: PointerEvent): void => {
      const r = axis === 'y' ? (ev.clientY - rect.top) / rect.height : (ev.clientX - rect.left) / rect.width
      ratio.value = Math.min(max, Math.max(min, r))
    }
    const up = (): void => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
      saveJson(`wirenote.split.${key}`, ratio.value)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
  }
  return { ratio, start }
}
