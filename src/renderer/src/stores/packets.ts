// The packet list: the row-window cache over `view.rows`, the selection, and the
// applied display filter. Rows are held outside Vue's reactivity (millions of proxies
// would cost more than the rows); `revision` is what components depend on.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { FilterError, PacketRow } from '../../../shared/contract'
import { useApi } from '../api/current'
import { RowWindowCache } from './rowCache'
import { useNotify } from './notify'

export const usePackets = defineStore('packets', () => {
  const total = ref(0)
  const revision = ref(0)
  const selectedIndex = ref(-1)
  const selectedNo = ref(0)
  /** The filter the view currently shows ('' = all packets). */
  const appliedFilter = ref('')
  const filtering = ref(false)
  /** Bumped when the view is rebuilt, so the list scrolls back to the top. */
  const epoch = ref(0)
  /** Bumped by a jump to a packet (go to, a pick in the notes or the diagram): the list centres it. */
  const jumpSeq = ref(0)

  const cache = shallowRef<RowWindowCache | null>(null)

  function getCache(): RowWindowCache {
    if (!cache.value) {
      cache.value = new RowWindowCache((start, count) => useApi().invoke('view.rows', { start, count }), {
        onChange: () => {
          total.value = cache.value!.total
          revision.value++
          bindSelection()
        },
        onError: (err) => useNotify().error(err)
      })
      cache.value.total = total.value
    }
    return cache.value
  }

  function bindSelection(): void {
    if (selectedIndex.value < 0 || selectedNo.value) return
    const r = cache.value?.get(selectedIndex.value)
    if (r) selectedNo.value = r.no
  }

  function rowAt(i: number): PacketRow | undefined {
    void revision.value
    return getCache().get(i)
  }

  function ensure(start: number, end: number): void {
    getCache().ensure(start, end)
  }

  /** The view was rebuilt (file opened, filter applied): forget every row. */
  function reset(newTotal: number): void {
    epoch.value++
    total.value = newTotal
    getCache().invalidate(newTotal)
  }

  /** `view.changed`: the view grew (live capture, loading) or was rebuilt. */
  function resized(newTotal: number): void {
    getCache().resize(newTotal)
    total.value = newTotal
    if (selectedIndex.value >= newTotal) clearSelection()
  }

  function select(index: number): void {
    if (index < 0 || index >= total.value) return
    selectedIndex.value = index
    const row = getCache().get(index)
    selectedNo.value = row?.no ?? 0
    // Not cached yet: bindSelection() fills the frame number in when the row arrives.
    if (!row) ensure(index, index + 1)
  }

  function clearSelection(): void {
    selectedIndex.value = -1
    selectedNo.value = 0
  }

  /** Applies a display filter; on error the list is left exactly as it was. */
  async function applyFilter(text: string): Promise<{ ok: true; total: number } | { ok: false; error: FilterError }> {
    filtering.value = true
    try {
      const res = await useApi().invoke('view.filter', { text })
      if (!res.ok) return res
      appliedFilter.value = text.trim()
      const keep = selectedNo.value
      reset(res.total)
      // The index belongs to the old view; the frame number stays, so a packet the new view
      // still holds keeps its details (and the field selected in them) without a reload.
      selectedIndex.value = -1
      if (keep) {
        const i = await reveal(keep).catch(() => -1)
        if (i < 0 && selectedIndex.value < 0) clearSelection()
      }
      return res
    } finally {
      filtering.value = false
    }
  }

  /** Selects frame `no` if the current view holds it; returns its index or -1. */
  async function reveal(no: number): Promise<number> {
    const { index } = await useApi().invoke('view.find', { no })
    if (index >= 0 && index < total.value) {
      selectedIndex.value = index
      selectedNo.value = no
      jumpSeq.value++
    }
    return index
  }

  function markAnnotated(no: number, annotated: boolean): void {
    getCache().patch(no, { annotated })
  }

  const selectedRow = computed(() => (selectedIndex.value >= 0 ? rowAt(selectedIndex.value) : undefined))

  return {
    total,
    revision,
    epoch,
    jumpSeq,
    selectedIndex,
    selectedNo,
    selectedRow,
    appliedFilter,
    filtering,
    rowAt,
    ensure,
    reset,
    resized,
    select,
    clearSelection,
    applyFilter,
    reveal,
    markAnnotated,
    getCache
  }
})
