// What a compiled filter sees of one frame: the occurrences of just the fields it references,
// gathered in a single walk of the dissection tree (hidden nodes included), plus what layer
// numbers (`ip.addr#2`) and protocol extents (`tcp contains ...`) need when the filter uses them.
import type { FieldNode } from '../dissect/fields'

export interface Frame {
  /** Occurrences per referenced field (by slot), in tree order. */
  slots: FieldNode[][]
  /** Layer number of each occurrence (filled only when the filter uses `field#n`). */
  layers: number[][]
  /** End offset of each referenced protocol node's data (filled only when the filter reads protocol bytes). */
  extents: Map<FieldNode, number>
  data: Uint8Array
}

/** `ip` for ip.addr: the protocol whose nodes number the layers of a field. */
function protoOf(name: string): string {
  const dot = name.indexOf('.')
  return dot < 0 ? name : name.slice(0, dot)
}

/**
 * A reusable Frame for the fields `names` (slot i = names[i]) and the function that fills it
 * from a tree. The Frame is overwritten by each load.
 */
export function frameLoader(
  names: readonly string[],
  usesLayers: boolean,
  /** Slots of protocols whose data extent is needed. */
  protocolBytes: ReadonlySet<number>
): { frame: Frame; load(tree: readonly FieldNode[], data: Uint8Array): void } {
  const slotOf = new Map(names.map((n, i) => [n, i]))
  // Layer numbers count the nodes of the field's protocol seen so far in tree order.
  const protoNames = [...new Set(names.map(protoOf))]
  const protoIdx = new Map(protoNames.map((p, i) => [p, i]))
  const slotProto = names.map((n) => protoIdx.get(protoOf(n)) ?? 0)
  const counts = new Array<number>(protoNames.length).fill(0)
  const frame: Frame = { slots: names.map(() => []), layers: names.map(() => []), extents: new Map(), data: new Uint8Array(0) }
  const { slots, layers, extents } = frame

  const collect = (nodes: readonly FieldNode[]): void => {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]
      if (usesLayers) {
        const p = protoIdx.get(n.name)
        if (p !== undefined) counts[p]++
      }
      const s = slotOf.get(n.name)
      if (s !== undefined) {
        slots[s].push(n)
        if (usesLayers) layers[s].push(counts[slotProto[s]])
      }
      if (n.children) collect(n.children)
    }
  }

  // A protocol's data runs from its node to the end of everything after it at its level: its own
  // subtree and the later sibling subtrees (the layers it carries), as Wireshark's tvb does.
  // Returns the furthest end offset in the subtrees of `nodes`.
  const measure = (nodes: readonly FieldNode[]): number => {
    const ends = new Array<number>(nodes.length)
    let furthest = -1
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]
      let e = n.off >= 0 ? n.off + n.len : -1
      if (n.children) e = Math.max(e, measure(n.children))
      ends[i] = e
      if (e > furthest) furthest = e
    }
    let suffix = -1
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (ends[i] > suffix) suffix = ends[i]
      const s = slotOf.get(nodes[i].name)
      if (s !== undefined && protocolBytes.has(s)) extents.set(nodes[i], suffix)
    }
    return furthest
  }

  return {
    frame,
    load(tree: readonly FieldNode[], data: Uint8Array): void {
      for (let i = 0; i < slots.length; i++) {
        slots[i].length = 0
        layers[i].length = 0
      }
      counts.fill(0)
      frame.data = data
      collect(tree)
      if (protocolBytes.size > 0) {
        extents.clear()
        measure(tree)
      }
    }
  }
}
