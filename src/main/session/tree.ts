// Converts the dissector's FieldNode trees into the contract's TreeNode for the details pane:
// labels are made here (lazily, only for the packet on screen) and hidden fields are dropped.
import type { TreeNode } from '../../shared/contract'
import type { FieldNode } from '../dissect/fields'
import { labelOf } from '../dissect/label'

export function toTreeNodes(nodes: readonly FieldNode[]): TreeNode[] {
  const out: TreeNode[] = []
  for (const n of nodes) {
    if (n.hidden) continue
    const t: TreeNode = { name: n.name, label: labelOf(n), off: Math.max(0, n.off), len: n.off < 0 ? 0 : n.len }
    if (n.children && n.children.length > 0) {
      const kids = toTreeNodes(n.children)
      if (kids.length > 0) t.children = kids
    }
    if (n.expert) t.expert = { severity: n.expert.severity, message: n.expert.message }
    out.push(t)
  }
  return out
}
