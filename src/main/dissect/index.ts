// Entry point of packet dissection: builds the frame node and runs the link-layer
// dissector chosen by the link type. (Owner: lower-layer dissectors.)
import './lower'
import './upper'
import type { IpDefragmenter } from '../analysis/ip-defrag'
import { newContext, type PacketContext } from './context'
import { byLinktype, dissectData, resetHandOffDepth } from './dispatch'
import { add, addExpert, addGenerated, defineField, defineProtocol, type FieldNode } from './fields'

export interface FrameInput {
  /** frame.number, 1-based. */
  number: number
  data: Uint8Array
  origlen: number
  linktype: number
  interfaceId: number
  hasTs: boolean
  tsSec: number
  tsNsec: number
  comments: readonly string[]
  /** True for frames read from pcapng: tshark then shows frame.interface_id (classic pcap has no interfaces). */
  pcapng?: boolean
  /** if_name of the interface, when the file names it. */
  interfaceName?: string
}

export interface DissectOptions {
  /** Build the tree (details, filters, CLI) or only the summary (packet index, columns, TCP analysis). */
  tree: boolean
  /** Stateful IP reassembly of the sequential decoder; without it fragments are shown as data. */
  defrag?: IpDefragmenter
}

export interface Dissection {
  ctx: PacketContext
  /** [frame, ...protocol layers] in wire order (tshark's "Packet comments" first when there are comments); empty in summary mode. */
  tree: FieldNode[]
}

const hfCommentRoot = defineProtocol('pkt_comment', 'Packet comments')
const hfComment = defineField('frame.comment', 'Comment', 'string')

function bytesBits(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'} (${n * 8} bits)`
}

function childValue(n: FieldNode, name: string): FieldNode['value'] {
  return n.children?.find((c) => c.name === name)?.value
}

const hfInterfaceName = defineField('frame.interface_name', 'Interface name', 'string')
const hfFrame = defineField('frame', 'Frame', 'protocol', {
  labeler: (n) => {
    const num = childValue(n, 'frame.number')
    const len = Number(childValue(n, 'frame.len'))
    const cap = Number(childValue(n, 'frame.cap_len'))
    const id = n.children?.find((c) => c.name === 'frame.interface_id')
    const name = id ? childValue(id, hfInterfaceName.name) : undefined
    const bytes = (v: number, what: string): string => `${v} byte${v === 1 ? '' : 's'} ${what} (${v * 8} bits)`
    return `Frame ${num}: ${bytes(len, 'on wire')}, ${bytes(cap, 'captured')}${name !== undefined ? ` on interface ${name}, id ${id?.value}` : ''}`
  }
})
const hfInterfaceId = defineField('frame.interface_id', 'Interface id', 'uint32', {
  base: 'dec',
  labeler: (n) => {
    const name = childValue(n, hfInterfaceName.name)
    return `Interface id: ${n.value}${name !== undefined ? ` (${name})` : ''}`
  }
})
/** Wireshark's WTAP_ENCAP_* names of the link types we read. */
const ENCAP_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethernet',
  7: 'Raw IP',
  15: 'NULL/Loopback',
  25: 'Linux cooked-mode capture v1',
  129: 'Raw IPv4',
  130: 'Raw IPv6',
  210: 'Linux cooked-mode capture v2'
}
const hfEncap = defineField('frame.encap_type', 'Encapsulation type', 'int16', { base: 'dec', strings: ENCAP_NAMES })
const hfTime = defineField('frame.time', 'Arrival Time', 'abstime')
const hfTimeEpoch = defineField('frame.time_epoch', 'Epoch Time', 'abstime', { epoch: true })
const hfNumber = defineField('frame.number', 'Frame Number', 'uint32', { base: 'dec' })
const hfLen = defineField('frame.len', 'Frame length on the wire', 'uint32', { base: 'dec', labeler: (n) => `Frame Length: ${bytesBits(Number(n.value))}` })
const hfCapLen = defineField('frame.cap_len', 'Frame length stored into the capture file', 'uint32', { base: 'dec', labeler: (n) => `Capture Length: ${bytesBits(Number(n.value))}` })
const hfMarked = defineField('frame.marked', 'Frame is marked', 'bool')
const hfIgnored = defineField('frame.ignored', 'Frame is ignored', 'bool')
const hfProtocols = defineField('frame.protocols', 'Protocols in frame', 'string')

/** pcap LINKTYPE_* → Wireshark's WTAP_ENCAP_* (frame.encap_type). */
const ENCAP: Readonly<Record<number, number>> = { 0: 15, 1: 1, 12: 7, 14: 7, 101: 7, 108: 15, 113: 25, 228: 129, 229: 130, 276: 210 }

function buildFrameNode(input: FrameInput, ctx: PacketContext): FieldNode {
  const caplen = input.data.length
  const frame: FieldNode = { name: hfFrame.name, off: 0, len: caplen, children: [] }
  if (input.pcapng) {
    const id = add(frame, hfInterfaceId, 0, 0, input.interfaceId)
    // an interface without if_name is "unknown" to tshark
    add(id, hfInterfaceName, 0, 0, input.interfaceName ?? 'unknown')
  }
  const encap = ENCAP[input.linktype]
  if (encap !== undefined) add(frame, hfEncap, 0, 0, encap)
  if (input.hasTs) {
    const t = { sec: input.tsSec, nsec: input.tsNsec }
    add(frame, hfTime, 0, 0, t)
    add(frame, hfTimeEpoch, 0, 0, t)
  }
  add(frame, hfNumber, 0, 0, input.number)
  const len = add(frame, hfLen, 0, 0, input.origlen)
  if (input.origlen < caplen) addExpert(len, 'error', 'malformed', 'Frame length is less than captured length')
  add(frame, hfCapLen, 0, 0, caplen)
  addGenerated(frame, hfMarked, 0, 0, false)
  addGenerated(frame, hfIgnored, 0, 0, false)
  ctx.frame = frame
  return frame
}

/**
 * Dissects one frame. Never throws: a dissector bug is caught here and reported as an expert
 * note on the frame, so one odd packet cannot stop a capture from loading.
 */
export function dissectFrame(input: FrameInput, opts: DissectOptions = { tree: true }): Dissection {
  const ctx = newContext(input.data, input.origlen, input.number, opts.tree)
  ctx.linktype = input.linktype
  if (input.hasTs) {
    ctx.time = input.tsSec + input.tsNsec / 1e9
    ctx.tsSec = input.tsSec
    ctx.tsNsec = input.tsNsec
  }
  if (opts.defrag) ctx.defrag = opts.defrag
  const tree: FieldNode[] = []
  let frame: FieldNode | undefined
  if (opts.tree) {
    if (input.comments.length > 0) {
      const root: FieldNode = { name: hfCommentRoot.name, off: 0, len: 0, children: [] }
      for (const c of input.comments) {
        const n = add(root, hfComment, 0, 0, c)
        n.label = c
        addExpert(n, 'chat', 'comment', c)
      }
      tree.push(root)
    }
    frame = buildFrameNode(input, ctx)
    tree.push(frame)
  }
  const link = byLinktype.get(input.linktype)
  resetHandOffDepth()
  try {
    if (link) link(ctx, 0, ctx.caplen)
    else dissectData(ctx, 0, ctx.caplen)
  } catch (err) {
    // Dissectors are written not to throw; this is the last line of defence.
    ctx.malformed = true
    if (frame) addExpert(frame, 'error', 'malformed', `Dissector bug: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (ctx.infoFence && !ctx.info.startsWith(ctx.infoFence)) ctx.info = ctx.infoFence + ctx.info
  if (frame) {
    const p = add(frame, hfProtocols, 0, 0, ctx.protocols.join(':'))
    p.generated = true
    for (const l of ctx.layers) tree.push(l)
  }
  return { ctx, tree }
}
