// TCP header (RFC 9293) and options. The header is decoded here; what depends on other
// packets (tcp.stream, relative numbers, analysis flags, reassembly) is done by the TCP
// handler, which the sequential decoder replaces for the duration of a pass (see setTcpHandler).
import type { PacketContext, TcpInfo } from '../context'
import type { FieldNode } from '../fields'
import { node } from '../fields'
import { byIpProto } from '../dispatch'
import { TCP } from './tcp-fields'
import { presentTcp, dispatchTcpPayload, payloadNode, resetCause } from './tcp-present'

/** Byte ranges of the fixed header. */
const SRCPORT = 0
const DSTPORT = 2
const SEQ = 4
const ACK = 8
const OFF_FLAGS = 12
const WINDOW = 14
const CHECKSUM = 16
const URGENT = 18
const FIXED_LEN = 20

/** Runs once the header is decoded: stream tracking, relative numbers, payload hand-off. */
export type TcpHandler = (ctx: PacketContext) => void

/** Without a decoder: no conversation state, raw numbers, payload dissected segment by segment. */
export const standaloneTcpHandler: TcpHandler = (ctx) => {
  const t = ctx.tcp!
  presentTcp(ctx, null)
  if (t.len > 0 && !resetCause(ctx)) {
    dispatchTcpPayload(ctx, t.payloadOff, t.payloadEnd, false, -1)
    payloadNode(ctx, 0, [])
  }
}

let handler: TcpHandler = standaloneTcpHandler

/** Installs the handler for following dissections and returns the previous one (restore it after). */
export function setTcpHandler(h: TcpHandler | null): TcpHandler {
  const prev = handler
  handler = h ?? standaloneTcpHandler
  return prev
}

const FLAG_BITS: readonly (keyof typeof TCP)[] = [
  'flagRes', 'flagAe', 'flagCwr', 'flagEce', 'flagUrg', 'flagAck', 'flagPush', 'flagReset', 'flagSyn', 'flagFin'
]

/** tcp.flags.str: one character per flag bit from bit 11 down, '·' when clear. */
export function flagsString(flags: number): string {
  const chars = 'RRRACEUAPRSF'
  let s = ''
  for (let bit = 11; bit >= 0; bit--) s += flags & (1 << bit) ? chars[11 - bit] : '\u00b7'
  return s
}

export function dissectTcp(ctx: PacketContext, off: number, end: number): void {
  ctx.protocols.push('tcp')
  const v = ctx.view
  const net = ctx.net
  // Wireshark's "reported length": what the IP header says, even where the capture was cut.
  const reported = net && net.payloadOff === off ? net.payloadLen : end - off
  const tree = ctx.tree
  const kids: FieldNode[] | undefined = tree ? [] : undefined
  const top = tree ? node(TCP.proto, off, Math.min(FIXED_LEN, Math.max(0, end - off)), undefined, kids) : undefined
  if (top) {
    ctx.layers.push(top)
    if (!ctx.inErrorPkt) ctx.tcpNode = top
  }

  if (end - off < FIXED_LEN) {
    // Cut inside the fixed header: show the fields that are there, no conversation tracking.
    ctx.malformed = true
    if (kids) {
      if (end - off >= 4) {
        kids.push(node(TCP.srcport, off, 2, v.getUint16(off)), node(TCP.dstport, off + 2, 2, v.getUint16(off + 2)))
        kids.push(hidden(node(TCP.port, off, 2, v.getUint16(off))), hidden(node(TCP.port, off + 2, 2, v.getUint16(off + 2))))
      }
      top!.expert = { severity: 'error', group: 'malformed', message: 'Packet size limited during capture or malformed: TCP header cut short' }
    }
    return
  }

  const srcport = v.getUint16(off + SRCPORT)
  const dstport = v.getUint16(off + DSTPORT)
  const seq = v.getUint32(off + SEQ)
  const ack = v.getUint32(off + ACK)
  const offFlags = v.getUint16(off + OFF_FLAGS)
  const hdrLen = (offFlags >>> 12) * 4
  const flags = offFlags & 0x0fff
  const window = v.getUint16(off + WINDOW)
  const checksum = v.getUint16(off + CHECKSUM)
  const urgent = v.getUint16(off + URGENT)

  const bogus = hdrLen < FIXED_LEN
  const short = !bogus && reported < hdrLen
  // A bogus header length still gives tcp.len (tshark subtracts it) but no payload.
  const len = short ? -1 : bogus ? Math.max(0, reported - hdrLen) : reported - hdrLen
  const payloadOff = off + (bogus ? FIXED_LEN : hdrLen)
  const capEnd = Math.min(end, off + Math.max(reported, 0))
  const t: TcpInfo = {
    srcport,
    dstport,
    seq,
    ack,
    flags,
    window,
    len,
    hdrLen,
    payloadOff,
    payloadEnd: len > 0 && !bogus ? Math.max(payloadOff, capEnd) : payloadOff,
    optionsInfo: '',
    sackPerm: false,
    off
  }
  if (bogus) t.bogus = true
  // Inside an ICMP error the quoted header is shown but feeds no conversation state or column.
  const quoted = ctx.inErrorPkt
  if (!quoted) {
    ctx.tcp = t
    ctx.protocol = 'TCP'
  }

  if (kids) {
    top!.len = Math.min(bogus ? FIXED_LEN : hdrLen, end - off)
    kids.push(node(TCP.srcport, off, 2, srcport), node(TCP.dstport, off + 2, 2, dstport))
    kids.push(hidden(node(TCP.port, off, 2, srcport)), hidden(node(TCP.port, off + 2, 2, dstport)))
    if (len >= 0) {
      const segLen = node(TCP.len, off, 0, len)
      segLen.generated = true
      kids.push(segLen)
    }
    kids.push(node(TCP.seqRaw, off + 4, 4, seq))
    if (!bogus) kids.push(node(TCP.ackRaw, off + 8, 4, ack))
    const hl = node(TCP.hdrLen, off + 12, 1, hdrLen)
    hl.label = `${((offFlags >>> 12) & 0xf).toString(2).padStart(4, '0')} .... = Header Length: ${hdrLen} bytes (${offFlags >>> 12})`
    kids.push(hl)
    if (bogus) {
      // tshark stops the header here: no flags, window, checksum or options.
      hl.expert = { severity: 'error', group: 'malformed', message: `Bogus TCP header length (${hdrLen}, must be at least 20)` }
    }
  }
  if (kids && !bogus) {
    const fl = node(TCP.flags, off + 12, 2, flags, [])
    fl.label = `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagNames(flags)})`
    for (const k of FLAG_BITS) {
      const def = TCP[k]
      fl.children!.push(node(def, off + 12 + (def.mask! > 0xff ? 0 : 1), 1, (flags & def.mask!) !== 0))
    }
    fl.children!.push(node(TCP.flagStr, off + 12, 2, flagsString(flags)))
    kids.push(fl)
    kids.push(node(TCP.window, off + 14, 2, window))
    const ck = node(TCP.checksum, off + 16, 2, checksum)
    ck.label = `Checksum: 0x${checksum.toString(16).padStart(4, '0')} [unverified]`
    kids.push(ck, node(TCP.checksumStatus, off + 16, 0, 2))
    const up = node(TCP.urgent, off + 18, 2, urgent)
    if (urgent !== 0 && !(flags & 0x20)) {
      up.expert = { severity: 'note', group: 'protocol', message: 'The urgent pointer field is nonzero while the URG flag is not set' }
    }
    kids.push(up)
  }
  if (bogus) {
    ctx.malformed = true
    if (!quoted) handler(ctx)
    return
  }
  if (hdrLen > FIXED_LEN) dissectOptions(ctx, t, off + FIXED_LEN, off + hdrLen, Math.min(end, off + hdrLen), kids)
  if (short) {
    ctx.malformed = true
    if (kids) {
      const n = node(TCP.shortSegment, off, 0)
      n.label = 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)'
      n.expert = { severity: 'warn', group: 'malformed', message: n.label }
      kids.splice(4, 0, n)
    }
  }
  if (quoted) return
  handler(ctx)
}

function hidden(n: FieldNode): FieldNode {
  n.hidden = true
  return n
}

const FLAG_NAMES: readonly [number, string][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'AE']
]

/** "SYN, ACK" as in the Info column and the flags label; "<None>" when no flag is set. */
export function flagNames(flags: number): string {
  let s = ''
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) s += s ? ', ' + name : name
  if (flags & 0xe00) s += s ? ', Reserved' : 'Reserved'
  return s || '<None>'
}

/**
 * Options between `off` and `hdrEnd`; `capEnd` is where the captured bytes stop (the header
 * may be cut by the snapshot length: options are decoded while they fit, as tshark does).
 */
function dissectOptions(ctx: PacketContext, t: TcpInfo, off: number, hdrEnd: number, capEnd: number, kids: FieldNode[] | undefined): void {
  const v = ctx.view
  const d = ctx.data
  const tree = kids !== undefined
  const optKids: FieldNode[] | undefined = tree ? [] : undefined
  const names: string[] = []
  let info = ''
  let p = off
  while (p < hdrEnd) {
    if (p >= capEnd) {
      ctx.malformed = true
      break
    }
    const kind = d[p]!
    if (kind === 0 || kind === 1) {
      // One byte each; Wireshark goes on after EOL, so padding zeros show as more EOLs.
      if (optKids) {
        const n = node(kind === 0 ? TCP.optEol : TCP.optNop, p, 1, undefined, [node(TCP.optKind, p, 1, kind)])
        n.label = kind === 0 ? 'TCP Option - End of Option List (EOL)' : 'TCP Option - No-Operation (NOP)'
        optKids.push(n)
        names.push(kind === 0 ? 'End of Option List (EOL)' : 'No-Operation (NOP)')
      }
      p++
      continue
    }
    if (p + 1 >= capEnd) {
      ctx.malformed = true
      break
    }
    const olen = d[p + 1]!
    if (olen < 2 || p + olen > hdrEnd) {
      // tshark shows no kind/length for an option that does not fit: only the note.
      if (optKids) {
        optKids.push({
          name: '',
          off: p,
          len: hdrEnd - p,
          label: `TCP Option (kind ${kind}) with invalid length ${olen}`,
          expert: { severity: 'error', group: 'malformed', message: `Option length ${olen} is invalid or runs past the header` }
        })
      }
      ctx.malformed = true
      break
    }
    if (p + olen > capEnd) {
      ctx.malformed = true
      break
    }
    const head = optKids ? [node(TCP.optKind, p, 1, kind), node(TCP.optLen, p + 1, 1, olen)] : undefined
    let n: FieldNode | undefined
    // Multipath TCP options are decoded by Wireshark's "mptcp" protocol, which shows in frame.protocols.
    if (kind === 30 && !ctx.protocols.includes('mptcp')) ctx.protocols.push('mptcp')
    switch (kind) {
      case 2:
        if (olen === 4) {
          const mss = v.getUint16(p + 2)
          t.mss = mss
          info += ` MSS=${mss}`
          if (optKids) {
            head!.push(node(TCP.mssVal, p + 2, 2, mss))
            n = node(TCP.optMss, p, olen, undefined, head)
            n.label = `TCP Option - Maximum segment size: ${mss} bytes`
            names.push('Maximum segment size')
          }
        }
        break
      case 3:
        if (olen === 3) {
          const shift = d[p + 2]!
          t.wscale = shift
          const mult = shift > 14 ? 1 << 14 : 1 << shift
          info += ` WS=${mult}`
          if (optKids) {
            head!.push(node(TCP.wsShift, p + 2, 1, shift), node(TCP.wsMult, p + 2, 1, mult))
            n = node(TCP.optWscale, p, olen, undefined, head)
            n.label = `TCP Option - Window scale: ${shift} (multiply by ${mult})`
            names.push('Window scale')
          }
        }
        break
      case 4:
        if (olen === 2) {
          t.sackPerm = true
          info += ' SACK_PERM'
          if (optKids) {
            n = node(TCP.optSackPerm, p, olen, undefined, head)
            n.label = 'TCP Option - SACK permitted'
            names.push('SACK permitted')
          }
        }
        break
      case 5: {
        const count = Math.floor((olen - 2) / 8)
        // SACK edges are shown relative to the peer's base: presentTcp fills them in at \u0001.
        t.sack ??= []
        for (let i = 0; i < count; i++) t.sack.push(v.getUint32(p + 2 + i * 8), v.getUint32(p + 6 + i * 8))
        if (count) info += '\u0001'.repeat(count)
        if (optKids) {
          for (let i = 0; i < count; i++) {
            head!.push(node(TCP.sackLe, p + 2 + i * 8, 4, v.getUint32(p + 2 + i * 8)), node(TCP.sackRe, p + 6 + i * 8, 4, v.getUint32(p + 6 + i * 8)))
          }
          head!.push(node(TCP.sackCount, p, 0, count))
          n = node(TCP.optSack, p, olen, undefined, head)
          n.label = `TCP Option - SACK ${count ? `${v.getUint32(p + 2)}-${v.getUint32(p + 6)}` : ''}`.trimEnd()
          names.push('SACK')
        }
        break
      }
      case 8:
        if (olen === 10) {
          const tsval = v.getUint32(p + 2)
          const tsecr = v.getUint32(p + 6)
          info += ` TSval=${tsval} TSecr=${tsecr}`
          if (optKids) {
            head!.push(node(TCP.tsval, p + 2, 4, tsval), node(TCP.tsecr, p + 6, 4, tsecr))
            n = node(TCP.optTs, p, olen, undefined, head)
            n.label = `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`
            names.push('Timestamps')
          }
        }
        break
    }
    if (optKids && !n) {
      if (olen > 2) head!.push(node(TCP.unknownPayload, p + 2, olen - 2, d.subarray(p + 2, p + olen)))
      n = node(TCP.optUnknown, p, olen, undefined, head)
      n.label = `TCP Option - Unknown (kind ${kind}, ${olen} bytes)`
      names.push('Unknown')
    }
    if (n) optKids!.push(n)
    p += olen
  }
  t.optionsInfo = info
  if (kids) {
    const len = Math.min(hdrEnd, capEnd) - off
    const o = node(TCP.options, off, len, d.subarray(off, off + len), optKids)
    o.label = `Options: (${hdrEnd - off} bytes)${names.length ? ', ' + names.join(', ') : ''}`
    kids.push(o)
  }
}

byIpProto.set(6, dissectTcp)
