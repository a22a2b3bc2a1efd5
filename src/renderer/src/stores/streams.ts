// The TCP conversations of the open file (`streams.list`), fetched when the view opens.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { StreamSummary } from '../../../shared/contract'
import { useApi } from '../api/current'
import { useFilter } from './filter'
import { usePackets } from './packets'
import { useNotify } from './notify'

export const useStreams = defineStore('streams', () => {
  const list = shallowRef<StreamSummary[]>([])
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
      list.value = (await useApi().invoke('streams.list', {})).streams
      loaded.value = true
    } catch (err) {
      useNotify().error(err)
    } finally {
      loading.value = false
    }
  }

  function clear(): void {
    list.value = []
    loaded.value = false
  }

  /** Filters the packet list to one conversation. */
  async function select(stream: number): Promise<void> {
    await useFilter().apply(`tcp.stream eq ${stream}`)
  }

  return { list, loaded, loading, selected, refresh, clear, select }
})
