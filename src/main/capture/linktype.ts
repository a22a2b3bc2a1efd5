// npm `cap` reports the link type as a name; pcapng wants the LINKTYPE_* number. And cap gives
// no original length, only the captured one: when a packet hit the snap length we recover the
// wire length from the IP header, which is all a truncated frame can tell.

const BY_NAME: Record<string, number> = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  IEEE802_11_RADIO: 127,
  LINKTYPE_LINUX_SLL: 113
}

/** LINKTYPE_* for cap's name ("ETHERNET", or "Unknown linktype 276" for the DLTs it does not name). */
export function linktypeFromCap(name: string): number {
  const known = BY_NAME[name]
  if (known !== undefined) return known
  const m = /Unknown linktype (\d+)/.exec(name)
  // Past the handful cap names, DLT_ and LINKTYPE_ values coincide.
  return m?.[1] !== undefined ? Number(m[1]) : 0
}

/** Length on the wire of a frame cut at `caplen` bytes, from its IP header; caplen when unknown. */
export function wireLength(linktype: number, data: Uint8Array, caplen: number): number {
  let ip: number
  if (linktype === 1) {
    ip = 14
    let type = u16(data, 12, caplen)
    while ((type === 0x8100 || type === 0x88a8) && ip + 4 <= caplen) {
      type = u16(data, ip + 2, caplen)
      ip += 4
    }
    if (type !== 0x0800 && type !== 0x86dd) return caplen
  } else if (linktype === 101) ip = 0
  else if (linktype === 113) ip = 16
  else if (linktype === 0) ip = 4
  else return caplen
  if (ip >= caplen) return caplen
  const version = (data[ip] ?? 0) >> 4
  const len = version === 4 ? u16(data, ip + 2, caplen) : version === 6 ? 40 + u16(data, ip + 4, caplen) : -1
  return len > 0 && ip + len > caplen ? ip + len : caplen
}

function u16(d: Uint8Array, off: number, end: number): number {
  return off + 2 <= end ? ((d[off] ?? 0) << 8) | (d[off + 1] ?? 0) : -1
}
