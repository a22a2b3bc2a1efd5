// How often the protocols that fast field readers care about occur in one frame: a reader
// reads from the summary only when its protocol occurs once (tunnels and ICMP-quoted packets
// carry two IP headers and need the tree).
/** Occurrences of the protocols the readers care about, from f.ctx.protocols. */
export interface ProtocolCounts {
  nEth: number
  nIp: number
  nIpv6: number
  nTcp: number
  nUdp: number
}

/** Fills the protocol counts of `f` from `protocols` (frame.protocols as a list). */
export function countProtocols(f: ProtocolCounts, protocols: readonly string[]): void {
  let nEth = 0
  let nIp = 0
  let nIpv6 = 0
  let nTcp = 0
  let nUdp = 0
  for (let i = 0; i < protocols.length; i++) {
    const s = protocols[i]!
    if (s === 'ip') nIp++
    else if (s === 'ipv6') nIpv6++
    else if (s === 'tcp') nTcp++
    else if (s === 'udp') nUdp++
    else if (s === 'eth') nEth++
  }
  f.nEth = nEth
  f.nIp = nIp
  f.nIpv6 = nIpv6
  f.nTcp = nTcp
  f.nUdp = nUdp
}
