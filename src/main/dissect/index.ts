// Entry point of packet dissection: builds the frame node and runs the link-layer
// dissector chosen by the link type. (Owner: lower-layer dissectors.)
import './lower'
import './upper'
import type { PacketContext } from './context'
import type { FieldNode } from './fields'

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
}

export interface Dissection {
  ctx: PacketContext
  /** [frame, ...protocol layers] in wire order. */
  tree: FieldNode[]
}

export function dissectFrame(_input: FrameInput): Dissection {
  throw new Error('not implemented yet')
}
