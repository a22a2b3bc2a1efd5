// The Internet checksum (RFC 1071), for the protocols whose checksums Wireshark verifies by
// default (ICMP, ICMPv6, IGMP): a one's-complement sum of 16-bit words.

/** One's-complement sum of the bytes [start, end) added to `sum` (not folded, not inverted). */
export function onesSum(d: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start
  for (; i + 1 < end; i += 2) sum += (d[i] << 8) | d[i + 1]
  if (i < end) sum += d[i] << 8
  return sum
}

/** Folds a sum to 16 bits and complements it: the checksum field value that makes the sum 0. */
export function finish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000)
  return ~sum & 0xffff
}

/** Sum of the IPv6 pseudo-header (RFC 8200 section 8.1) for an upper-layer packet of `len` bytes. */
export function ipv6PseudoSum(d: Uint8Array, srcOff: number, dstOff: number, len: number, nextHeader: number): number {
  let sum = onesSum(d, srcOff, srcOff + 16)
  sum = onesSum(d, dstOff, dstOff + 16, sum)
  return sum + Math.floor(len / 0x10000) + (len & 0xffff) + nextHeader
}

/**
 * The value the checksum field should hold for the message [start, end) whose checksum field
 * is at `fieldOff`, computed with that field taken as zero.
 */
export function expectedChecksum(d: Uint8Array, start: number, end: number, fieldOff: number, pseudo = 0): number {
  const sum = onesSum(d, start, end, pseudo) - ((d[fieldOff] << 8) | d[fieldOff + 1])
  return finish(sum)
}
