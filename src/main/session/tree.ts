// Converts the dissector's FieldNode trees into the contract's TreeNode for the details pane
// and the packet cards: labels are made here (lazily, only for the packet on screen) and
// hidden fields are dropped.
import type { TreeNode } from '../../shared/contract'
import type { FieldNode } from '../dissect/fields'
import { labelOf } from '../dissect/label'

/**
 * Raw sequence numbers also in hex: the form the handshake walkthrough checks
 * (Seq=0x4ce45750, Ack=0x4ce45751). Wireshark shows decimal only.
 */
const RAW_HEX = new Set(['tcp.seq_raw', 'tcp.ack_raw', 'tcp.nxtseq_raw'])

function label(n: FieldNode): string {
  const text = labelOf(n)
  if (!RAW_HEX.has(n.name) || typeof n.value !== 'number') return text
  return `${text} (0x${(n.value >>> 0).toString(16).padStart(8, '0')})`
}

export function toTreeNodes(nodes: readonly FieldNode[]): TreeNode[] {
  const out: TreeNode[] = []
  for (const n of nodes) {
    if (n.hidden) continue
    const t: TreeNode = { name: n.name, label: label(n), off: Math.max(0, n.off), len: n.off < 0 ? 0 : n.len }
    if (n.children && n.children.length > 0) {
      const kids = toTreeNodes(n.children)
      if (kids.length > 0) t.children = kids
    }
    if (n.expert) t.expert = { severity: n.expert.severity, message: n.expert.message }
    out.push(t)
  }
  return out
}
