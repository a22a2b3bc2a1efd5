// Which dialogs and panels are open.
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type SideTab = 'streams' | 'notes'

export const useUi = defineStore('ui', () => {
  const openDialog = ref(false)
  const exportStream = ref<number | null>(null)
  const diagramStream = ref<number | null>(null)
  const goToOpen = ref(false)
  const sideTab = ref<SideTab>('streams')
  const sideOpen = ref(true)
  const legendOpen = ref(false)
  return { openDialog, exportStream, diagramStream, goToOpen, sideTab, sideOpen, legendOpen }
})
