// Which dialogs and panels are open, and the one question the app may be waiting on.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'

export type SideTab = 'streams' | 'notes'

/** A yes/no question for the user; `key` names its i18n texts under `confirm.`, `params` fills them in. */
export interface Question {
  key: 'discardNotes' | 'replaceFile'
  params: Record<string, string>
  resolve: (yes: boolean) => void
}

export const useUi = defineStore('ui', () => {
  const openDialog = ref(false)
  const saveDialog = ref(false)
  const exportStream = ref<number | null>(null)
  const diagramStream = ref<number | null>(null)
  const goToOpen = ref(false)
  const sideTab = ref<SideTab>('streams')
  const sideOpen = ref(true)
  const legendOpen = ref(false)
  const question = shallowRef<Question | null>(null)

  /** Asks the user (ConfirmDialog answers); a question already open is answered "no". */
  function ask(key: Question['key'], params: Record<string, string> = {}): Promise<boolean> {
    question.value?.resolve(false)
    return new Promise((resolve) => {
      question.value = {
        key,
        params,
        resolve: (yes) => {
          question.value = null
          resolve(yes)
        }
      }
    })
  }

  return { openDialog, saveDialog, exportStream, diagramStream, goToOpen, sideTab, sideOpen, legendOpen, question, ask }
})
