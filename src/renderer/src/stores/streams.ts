// The TCP conversations of the open file (`streams.list`), fetched when the view opens.
// The main side lists the first streams only (a capture can hold millions); `total` says
// how many there are, and `tcp.stream eq N` reaches any of them.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { StreamSummary } from '../../../shared/contract'
import { useApi } from '../api/current'
import { useFilter } from './filter'
import { usePackets } from './packets'
import { useNotify } from './notify'

export const useStreams = defineStore('streams', () => {
  const list = shallowRef<StreamSummary[]>([])
  /** Streams in the capture, listed or not. */
  const total = ref(0)
  /** The list holds only the first `list.length` of `total` streams. */
  const truncated = computed(() => total.value > list.value.length)
  const loaded = ref(false)
  const loading = ref(false)
  /** The stream the list is filtered to, however that filter was typed. */
  const selected = computed(() => {
    const m = /^tcp\.stream\s*(?:eq|==)\s*(\d+)$/.exec(usePackets().appliedFilter)
    return m ? Number(m[1]) : -1
  })

  async function refresh(): Promise<void> {
    loading.value = true
    try {
      const r = await useApi().invoke('streams.list', {})
      list.value = r.streams
      total.value = Math.max(r.total, r.streams.length)
      loaded.value = true
    } catch (err) {
      useNotify().error(err)
    } finally {
      loading.value = false
    }
  }

  function clear(): void {
    list.value = []
    total.value = 0
    loaded.value = false
  }

  /** Filters the packet list to one conversation. */
  async function select(stream: number): Promise<void> {
    await useFilter().apply(`tcp.stream eq ${stream}`)
  }

  return { list, total, truncated, loaded, loading, selected, refresh, clear, select }
})
