// Pure helpers over the details tree: flattening what is expanded, remembering expansion
// by field name (as Wireshark remembers subtrees by type across packets), and finding the
// field that covers a byte.
import type { TreeNode } from '../../../shared/contract'

/** A node's position as child indexes from the root list, e.g. [2, 0, 5]. */
export type NodePath = number[]

export interface FlatNode {
  node: TreeNode
  path: NodePath
  /** "2.0.5": stable within one packet's tree. */
  id: string
  depth: number
  expandable: boolean
  expanded: boolean
}

/** What expansion is remembered by: the field name, or the label's stem for text-only subtrees. */
export function expansionKey(node: TreeNode): string {
  if (node.name) return node.name
  const stem = node.label.split(/[:(\[]/, 1)[0].trim()
  return `label:${stem}`
}

export function pathId(path: NodePath): string {
  return path.join('.')
}

export function nodeAt(tree: TreeNode[], path: NodePath): TreeNode | undefined {
  let list: TreeNode[] | undefined = tree
  let node: TreeNode | undefined
  for (const i of path) {
    node = list?.[i]
    if (!node) return undefined
    list = node.children
  }
  return node
}

export function flatten(tree: TreeNode[], isExpanded: (n: TreeNode) => boolean): FlatNode[] {
  const out: FlatNode[] = []
  const walk = (list: TreeNode[], prefix: NodePath, depth: number): void => {
    list.forEach((node, i) => {
      const path = [...prefix, i]
      const expandable = !!node.children && node.children.length > 0
      const expanded = expandable && isExpanded(node)
      out.push({ node, path, id: pathId(path), depth, expandable, expanded })
      if (expanded) walk(node.children!, path, depth + 1)
    })
  }
  walk(tree, [], 0)
  return out
}

function covers(n: TreeNode, byte: number): boolean {
  return n.len > 0 && byte >= n.off && byte < n.off + n.len
}

/**
 * The innermost node covering a byte: descend while a child covers it, preferring the
 * narrowest child (as Wireshark's byte-to-field lookup does).
 */
export function innermostAt(tree: TreeNode[], byte: number): NodePath | null {
  let best: NodePath | null = null
  const search = (list: TreeNode[], prefix: NodePath): void => {
    let pick = -1
    for (let i = 0; i < list.length; i++) {
      const n = list[i]
      if (!covers(n, byte)) continue
      if (pick < 0 || n.len < list[pick].len) pick = i
    }
    if (pick < 0) return
    best = [...prefix, pick]
    const children = list[pick].children
    if (children) search(children, best)
  }
  search(tree, [])
  return best
}

/** Expansion keys of a path's ancestors (not the node itself): what must open to show it. */
export function ancestorKeys(tree: TreeNode[], path: NodePath): string[] {
  const keys: string[] = []
  for (let d = 1; d < path.length; d++) {
    const n = nodeAt(tree, path.slice(0, d))
    if (n) keys.push(expansionKey(n))
  }
  return keys
}

/** Finds the first node with a field name, depth first. */
export function findField(tree: TreeNode[], name: string): NodePath | null {
  const search = (list: TreeNode[], prefix: NodePath): NodePath | null => {
    for (let i = 0; i < list.length; i++) {
      const path = [...prefix, i]
      if (list[i].name === name) return path
      const c = list[i].children
      if (c) {
        const r = search(c, path)
        if (r) return r
      }
    }
    return null
  }
  return search(tree, [])
}

/** Raw sequence numbers get their hex form beside the decimal one, unless the label has it. */
const SHOW_HEX = new Set(['tcp.seq_raw', 'tcp.ack_raw', 'tcp.nxtseq_raw'])

export function displayLabel(node: TreeNode, bytes: Uint8Array): string {
  if (!SHOW_HEX.has(node.name) || /0x[0-9a-f]+/i.test(node.label)) return node.label
  if (node.len < 1 || node.len > 4 || node.off + node.len > bytes.length) return node.label
  let v = 0
  for (let i = 0; i < node.len; i++) v = v * 256 + bytes[node.off + i]
  return `${node.label} (0x${v.toString(16).padStart(node.len * 2, '0')})`
}

/** How an annotation records a highlighted node: text-only lines are named by their label. */
export function highlightOf(node: TreeNode): { name: string; off: number; len: number } {
  return { name: node.name || node.label, off: node.off, len: node.len }
}
