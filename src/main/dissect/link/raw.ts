// Raw IP link types: 101 (and 12, 14 on some BSDs) where the version nibble decides between
// IPv4 and IPv6 behind a "raw" layer, 228 (IPv4 only) and 229 (IPv6 only) with no layer of
// their own: under 229 an IPv4 packet is a bogus IPv6 header, as in Wireshark.
import { addLayer, type PacketContext } from '../context'
import { byEthertype, byLinktype, dissectData } from '../dispatch'
import { defineProtocol } from '../fields'
import { dissectIpv6Only } from '../net/ipv6'

const hfRaw = defineProtocol('raw', 'Raw packet data')
const IPV4 = 0x0800
const IPV6 = 0x86dd

function dissectRaw(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfRaw, off, end - off)
  ctx.protocol = 'N/A'
  if (root) root.label = 'Raw packet data'
  if (off >= end) return
  const version = ctx.data[off] >> 4
  const next = version === 4 ? byEthertype.get(IPV4) : version === 6 ? byEthertype.get(IPV6) : undefined
  // Any other version: Wireshark stops at "raw" (no data layer).
  if (next) next(ctx, off, end)
}

function dissectIpv4Only(ctx: PacketContext, off: number, end: number): void {
  const d = byEthertype.get(IPV4)
  if (d) d(ctx, off, end)
  else dissectData(ctx, off, end)
}


byLinktype.set(101, dissectRaw)
byLinktype.set(12, dissectRaw)
byLinktype.set(14, dissectRaw)
byLinktype.set(228, dissectIpv4Only)
byLinktype.set(229, dissectIpv6Only)
