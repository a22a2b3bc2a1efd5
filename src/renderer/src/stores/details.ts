// The selected packet's details tree and bytes, and the field selected in them. Tree and
// byte pane share this selection: a field highlights its bytes, a byte selects its field.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { PacketDetails, TreeNode } from '../../../shared/contract'
import { useApi } from '../api/current'
import { base64ToBytes } from '../lib/bytes'
import { ancestorKeys, expansionKey, flatten, innermostAt, nodeAt, pathId, type NodePath } from '../lib/tree'
import { useSettings } from './settings'
import { useNotify } from './notify'

const CACHE_MAX = 16

export const useDetails = defineStore('details', () => {
  const details = shallowRef<PacketDetails | null>(null)
  const bytes = shallowRef<Uint8Array>(new Uint8Array(0))
  const selectedPath = ref<NodePath | null>(null)
  const loading = ref(false)
  const recent = new Map<number, PacketDetails>()
  let seq = 0

  const tree = computed<TreeNode[]>(() => details.value?.tree ?? [])
  const selectedNode = computed(() => (selectedPath.value ? nodeAt(tree.value, selectedPath.value) : undefined))
  const selectedId = computed(() => (selectedPath.value ? pathId(selectedPath.value) : ''))

  /** The byte range [start, end) to highlight. */
  const highlight = computed<{ start: number; end: number } | null>(() => {
    const n = selectedNode.value
    if (!n || n.len <= 0) return null
    return { start: n.off, end: n.off + n.len }
  })

  const rows = computed(() => {
    const expanded = useSettings().expanded
    return flatten(tree.value, (n) => expanded.has(expansionKey(n)))
  })

  async function load(no: number): Promise<void> {
    const my = ++seq
    if (!no) {
      details.value = null
      bytes.value = new Uint8Array(0)
      selectedPath.value = null
      return
    }
    const hit = recent.get(no)
    if (hit) {
      show(hit)
      return
    }
    loading.value = true
    try {
      const d = await useApi().invoke('packet.details', { no })
      recent.delete(no)
      recent.set(no, d)
      while (recent.size > CACHE_MAX) recent.delete(recent.keys().next().value as number)
      if (my === seq) show(d)
    } catch (err) {
      if (my === seq) useNotify().error(err)
    } finally {
      if (my === seq) loading.value = false
    }
  }

  function show(d: PacketDetails): void {
    const prevName = selectedNode.value?.name
    details.value = d
    bytes.value = base64ToBytes(d.bytes)
    loading.value = false
    // Keep the same field selected across packets when it exists, as Wireshark does.
    selectedPath.value = null
    if (prevName) {
      const p = findVisibleField(prevName)
      if (p) selectedPath.value = p
    }
  }

  function findVisibleField(name: string): NodePath | null {
    const r = rows.value.find((f) => f.node.name === name)
    return r ? r.path : null
  }

  /** Forget cached trees (annotations or a new file change them). */
  function forget(no?: number): void {
    if (no === undefined) recent.clear()
    else recent.delete(no)
  }

  /**
   * Packets whose tree changed on the main side (an annotation is also a packet comment in
   * the tree): drop them from the cache and quietly reload the one on screen.
   */
  async function invalidate(nos: Iterable<number>): Promise<void> {
    let current = false
    for (const no of nos) {
      recent.delete(no)
      if (details.value?.no === no) current = true
    }
    if (current && details.value) await load(details.value.no)
  }

  function selectPath(path: NodePath | null): void {
    selectedPath.value = path
  }

  function setExpanded(node: TreeNode, open: boolean): void {
    useSettings().setExpanded(expansionKey(node), open)
  }

  function toggle(node: TreeNode): void {
    setExpanded(node, !useSettings().expanded.has(expansionKey(node)))
  }

  /** Selects the innermost field covering a byte, opening its ancestors. */
  function selectByte(offset: number): void {
    const path = innermostAt(tree.value, offset)
    if (!path) {
      selectedPath.value = null
      return
    }
    const settings = useSettings()
    const keys = ancestorKeys(tree.value, path)
    if (keys.some((k) => !settings.expanded.has(k))) {
      const s = new Set(settings.expanded)
      for (const k of keys) s.add(k)
      settings.expanded = s
    }
    selectedPath.value = path
  }

  function setAllExpanded(open: boolean): void {
    const settings = useSettings()
    const s = new Set(settings.expanded)
    const walk = (list: TreeNode[]): void => {
      for (const n of list) {
        if (n.children?.length) {
          if (open) s.add(expansionKey(n))
          else s.delete(expansionKey(n))
          walk(n.children)
        }
      }
    }
    walk(tree.value)
    settings.expanded = s
  }

  return {
    details,
    bytes,
    tree,
    rows,
    selectedPath,
    selectedNode,
    selectedId,
    highlight,
    loading,
    load,
    forget,
    invalidate,
    selectPath,
    setExpanded,
    toggle,
    selectByte,
    setAllExpanded
  }
})
