// Hand-off tables between layers: link type → link dissector, EtherType → network
// dissector, IP protocol number → transport dissector. Each dissector module registers
// itself here, so layers never import each other in a cycle.
import type { Dissector } from './context'

export const byLinktype = new Map<number, Dissector>()
export const byEthertype = new Map<number, Dissector>()
export const byIpProto = new Map<number, Dissector>()
