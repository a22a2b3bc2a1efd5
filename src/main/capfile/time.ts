// Timestamps: pcapng's 64-bit unit counts split into seconds + nanoseconds without losing
// precision, and frame.time_epoch rendered exactly as tshark 4.0 prints it.

const TWO32 = 4294967296
const TWO53 = 9007199254740992

/** How one interface counts time: `perSec` units per second (10^e or 2^b). */
export interface TimeUnits {
  readonly perSec: number
  /** 1e9 / perSec when that is an integer (µs, ns, ms, 2^-9 ...), else 0. */
  readonly nsMul: number
  /** For binary units 2^-b with 9 < b <= 32: 2^(b-9), so ns = floor(rem * 1953125 / pow2Div) exactly. */
  readonly pow2Div: number
  /** Exact units per second for the slow path. */
  readonly perSecBig: bigint
}

/** Units from a pcapng if_tsresol byte (high bit set: 2^-n, else 10^-n). */
export function unitsFromTsresol(tsresol: number): TimeUnits {
  const exp = tsresol & 0x7f
  const binary = (tsresol & 0x80) !== 0
  const perSecBig = binary ? 1n << BigInt(exp) : 10n ** BigInt(exp)
  const perSec = Number(perSecBig)
  // 10^e and 2^b both divide 10^9 exactly for exponents up to 9.
  const nsMul = exp <= 9 ? Number(1000000000n / perSecBig) : 0
  const pow2Div = binary && exp > 9 && exp <= 32 ? 2 ** (exp - 9) : 0
  return { perSec, nsMul, pow2Div, perSecBig }
}

export const MICROSECONDS: TimeUnits = unitsFromTsresol(6)

/** Seconds / nanoseconds of a split timestamp; `sec` excludes if_tsoffset. */
export interface SplitTime {
  sec: number
  nsec: number
}

/**
 * Splits the 64-bit count hi:lo of `u` units into whole seconds and nanoseconds (floored, as
 * tshark does), writing into `out` to avoid allocating per packet.
 */
export function splitTimestamp(hi: number, lo: number, u: TimeUnits, out: SplitTime): void {
  const perSec = u.perSec
  let sec: number
  let rem: number
  if (hi < 0x200000) {
    // The whole count fits a double exactly.
    const t = hi * TWO32 + lo
    sec = Math.floor(t / perSec)
    rem = t - sec * perSec
    if (rem < 0) {
      sec -= 1
      rem += perSec
    } else if (rem >= perSec) {
      sec += 1
      rem -= perSec
    }
  } else if (perSec < 137438953472) {
    // Long division in base 2^16 keeps every intermediate below 2^53 (perSec < 2^37).
    sec = 0
    rem = 0
    const digits0 = hi >>> 16
    const digits1 = hi & 0xffff
    const digits2 = lo >>> 16
    const digits3 = lo & 0xffff
    for (let k = 0; k < 4; k++) {
      const d = k === 0 ? digits0 : k === 1 ? digits1 : k === 2 ? digits2 : digits3
      const cur = rem * 65536 + d
      let q = Math.floor(cur / perSec)
      rem = cur - q * perSec
      if (rem < 0) {
        q -= 1
        rem += perSec
      } else if (rem >= perSec) {
        q += 1
        rem -= perSec
      }
      sec = sec * 65536 + q
    }
  } else {
    splitSlow(hi, lo, u, out)
    return
  }
  if (u.nsMul > 0) {
    out.nsec = rem * u.nsMul
  } else if (u.pow2Div > 0) {
    out.nsec = Math.floor((rem * 1953125) / u.pow2Div)
  } else if (rem < TWO53) {
    out.nsec = Number((BigInt(rem) * 1000000000n) / u.perSecBig)
  } else {
    splitSlow(hi, lo, u, out)
    return
  }
  out.sec = sec
}

function splitSlow(hi: number, lo: number, u: TimeUnits, out: SplitTime): void {
  const t = (BigInt(hi) << 32n) | BigInt(lo)
  out.sec = Number(t / u.perSecBig)
  out.nsec = Number(((t % u.perSecBig) * 1000000000n) / u.perSecBig)
}

/**
 * frame.time_epoch as tshark 4.0 prints it: seconds, '.', 9 digits of nanoseconds. A negative
 * nanosecond part (a corrupt classic pcap fraction, see PacketRecord.tsNsec) is printed as its
 * absolute value with a '-' in front of non-negative seconds; a part above 999999999 is printed
 * as is ("1418145370.1000000000").
 */
export function formatTimeEpoch(tsSec: number, tsNsec: number): string {
  if (tsNsec < 0) {
    const frac = String(-tsNsec).padStart(9, '0')
    return tsSec >= 0 ? `-${tsSec}.${frac}` : `${tsSec}.${frac}`
  }
  return `${tsSec}.${String(tsNsec).padStart(9, '0')}`
}
