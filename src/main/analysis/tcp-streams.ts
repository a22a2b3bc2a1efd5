// The TCP stream table: one fixed-size row per conversation in growable typed arrays
// (struct of arrays, ~170 bytes a stream), and an open-addressing hash from the 4-tuple to the
// latest stream with that tuple. 500 000 streams take about 90 MB and no per-stream objects.

/** Handshake progress of a stream (bits). */
export const HS = { SYN: 1, SYNACK: 2, ACK: 4 } as const

/** Per-direction u32 slots (index = stream * 2 + dir; dir 0 = client → server). */
const DIR_U32 = ['base', 'nextseq', 'maxseqtobeacked', 'lastack', 'window', 'dupacknum', 'lastnondupack', 'bytes', 'packets'] as const
type DirU32 = (typeof DIR_U32)[number]

export interface StreamEndpoints {
  client: { addr: string; port: number }
  server: { addr: string; port: number }
}

export class TcpStreamTable {
  /** Number of streams (tcp.stream values 0..count-1). */
  count = 0
  private cap = 0
  /** Addresses: 32 bytes per stream, client then server (IPv4 uses the first 4 of each 16). */
  addr = new Uint8Array(0)
  addrLen = new Uint8Array(0)
  clientPort = new Uint16Array(0)
  serverPort = new Uint16Array(0)
  firstFrame = new Uint32Array(0)
  lastFrame = new Uint32Array(0)
  /** HS.* bits; clientIsn / serverIsn valid once SYN / SYN-ACK were seen. */
  handshake = new Uint8Array(0)
  clientIsn = new Uint32Array(0)
  serverIsn = new Uint32Array(0)
  /** bit0/1: base seq set for dir 0/1; bit2/3: FIN seen from dir 0/1; bit4/5: RST from dir 0/1; bit6/7: nextseq valid. */
  state = new Uint8Array(0)
  /** Window shift per direction: -1 unknown, -2 no scaling, else 0..14. */
  winScale = new Int8Array(0)
  /** Application state bits kept for the stream's dissectors (ports.ts STREAM_*). */
  appState = new Uint8Array(0)
  /** Conversation dissector index (ports.ts CONV_*) used after frame switchFrame, -1 none. */
  convDissector = new Int8Array(0)
  switchFrame = new Uint32Array(0)
  /** Times (seconds) for retransmission / out-of-order heuristics. */
  synTime = new Float64Array(0)
  irtt = new Float64Array(0)
  nextseqTime = new Float64Array(0)
  lastackTime = new Float64Array(0)
  lastSegFlags = new Uint16Array(0)
  base = new Uint32Array(0)
  nextseq = new Uint32Array(0)
  maxseqtobeacked = new Uint32Array(0)
  lastack = new Uint32Array(0)
  window = new Uint32Array(0)
  dupacknum = new Uint32Array(0)
  /** Frame of the last segment in this direction that was not a duplicate ACK. */
  lastnondupack = new Uint32Array(0)
  bytes = new Uint32Array(0)
  packets = new Uint32Array(0)

  private slots = new Int32Array(1024)
  private slotMask = 1023
  private used = 0

  constructor(initial = 1024) {
    this.grow(initial)
  }

  private grow(min: number): void {
    let cap = Math.max(this.cap * 2, min, 16)
    const copy = <T extends Uint8Array | Uint16Array | Uint32Array | Int8Array | Float64Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per)
      b.set(a)
      return b
    }
    this.addr = copy(this.addr, 32)
    this.addrLen = copy(this.addrLen, 1)
    this.clientPort = copy(this.clientPort, 1)
    this.serverPort = copy(this.serverPort, 1)
    this.firstFrame = copy(this.firstFrame, 1)
    this.lastFrame = copy(this.lastFrame, 1)
    this.handshake = copy(this.handshake, 1)
    this.clientIsn = copy(this.clientIsn, 1)
    this.serverIsn = copy(this.serverIsn, 1)
    this.state = copy(this.state, 1)
    this.winScale = copy(this.winScale, 2)
    this.convDissector = copy(this.convDissector, 1)
    this.appState = copy(this.appState, 1)
    this.switchFrame = copy(this.switchFrame, 1)
    this.synTime = copy(this.synTime, 1)
    this.irtt = copy(this.irtt, 1)
    this.nextseqTime = copy(this.nextseqTime, 2)
    this.lastackTime = copy(this.lastackTime, 2)
    this.lastSegFlags = copy(this.lastSegFlags, 2)
    for (const k of DIR_U32) (this as unknown as Record<DirU32, Uint32Array>)[k] = copy(this[k], 2)
    this.cap = cap
  }

  /** Bytes held by the table (for memory reports). */
  get byteSize(): number {
    return this.cap * 180 + this.slots.byteLength
  }

  private static hashEndpoint(d: Uint8Array, off: number, len: number, port: number): number {
    let h = 0x811c9dc5 ^ port
    for (let i = 0; i < len; i++) h = Math.imul(h ^ d[off + i]!, 0x01000193)
    return h >>> 0
  }

  /** Symmetric hash of the 4-tuple: the same for both directions. */
  private static hash(d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number): number {
    const a = TcpStreamTable.hashEndpoint(d, src, len, sport)
    const b = TcpStreamTable.hashEndpoint(d, dst, len, dport)
    const h = (a + b) >>> 0
    return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0
  }

  /** Which side of stream s sent this packet: 0 client, 1 server, -1 not this stream. */
  direction(s: number, d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number): number {
    if (this.addrLen[s] !== len) return -1
    const a = this.addr
    const o = s * 32
    const cp = this.clientPort[s]!
    const sp = this.serverPort[s]!
    if (sport === cp && dport === sp && same(a, o, d, src, len) && same(a, o + 16, d, dst, len)) return 0
    if (sport === sp && dport === cp && same(a, o + 16, d, src, len) && same(a, o, d, dst, len)) return 1
    return -1
  }

  /** The latest stream with this 4-tuple (either direction), or -1. */
  find(d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number): number {
    let i = TcpStreamTable.hash(d, src, dst, len, sport, dport) & this.slotMask
    for (;;) {
      const v = this.slots[i]!
      if (v === 0) return -1
      if (this.direction(v - 1, d, src, dst, len, sport, dport) >= 0) return v - 1
      i = (i + 1) & this.slotMask
    }
  }

  /**
   * Opens a new stream for this tuple (the packet's source becomes the client unless
   * `srcIsServer`), replacing any earlier stream with the same tuple in the index.
   */
  create(d: Uint8Array, src: number, dst: number, len: number, sport: number, dport: number, frame: number, srcIsServer: boolean): number {
    const s = this.count
    if (s >= this.cap) this.grow(s + 1)
    this.count++
    const o = s * 32
    const [c, sv, cp, sp] = srcIsServer ? [dst, src, dport, sport] : [src, dst, sport, dport]
    this.addr.set(d.subarray(c, c + len), o)
    this.addr.set(d.subarray(sv, sv + len), o + 16)
    this.addrLen[s] = len
    this.clientPort[s] = cp
    this.serverPort[s] = sp
    this.firstFrame[s] = frame
    this.lastFrame[s] = frame
    this.winScale[2 * s] = -1
    this.winScale[2 * s + 1] = -1
    this.convDissector[s] = -1
    // index: replace an existing slot for the tuple, else insert
    let i = TcpStreamTable.hash(d, src, dst, len, sport, dport) & this.slotMask
    for (;;) {
      const v = this.slots[i]!
      if (v === 0) {
        this.slots[i] = s + 1
        if (++this.used * 2 > this.slots.length) this.rehash()
        break
      }
      if (this.direction(v - 1, d, src, dst, len, sport, dport) >= 0) {
        this.slots[i] = s + 1
        break
      }
      i = (i + 1) & this.slotMask
    }
    return s
  }

  private rehash(): void {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2)
    this.slotMask = this.slots.length - 1
    for (const v of old) {
      if (v === 0) continue
      const s = v - 1
      const o = s * 32
      const len = this.addrLen[s]!
      let i = TcpStreamTable.hash(this.addr, o, o + 16, len, this.clientPort[s]!, this.serverPort[s]!) & this.slotMask
      while (this.slots[i] !== 0) i = (i + 1) & this.slotMask
      this.slots[i] = v
    }
  }

  endpoints(s: number): StreamEndpoints {
    const len = this.addrLen[s]!
    const o = s * 32
    return {
      client: { addr: addrText(this.addr, o, len), port: this.clientPort[s]! },
      server: { addr: addrText(this.addr, o + 16, len), port: this.serverPort[s]! }
    }
  }

  /** 'complete' once SYN, SYN-ACK and the final ACK were seen; 'partial' with some of them. */
  handshakeState(s: number): 'complete' | 'partial' | 'none' {
    const h = this.handshake[s]!
    return h === (HS.SYN | HS.SYNACK | HS.ACK) ? 'complete' : h ? 'partial' : 'none'
  }

  /** A short word for the stream's state: "open", "closed" (FIN both ways), "reset", "closing". */
  stateText(s: number): string {
    const st = this.state[s]!
    if (st & 0x30) return 'reset'
    if ((st & 0x0c) === 0x0c) return 'closed'
    if (st & 0x0c) return 'closing'
    return 'open'
  }
}

function same(a: Uint8Array, ao: number, b: Uint8Array, bo: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[ao + i] !== b[bo + i]) return false
  return true
}

export function addrText(d: Uint8Array, o: number, len: number): string {
  if (len === 4) return `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`
  const w: number[] = []
  for (let i = 0; i < 8; i++) w.push((d[o + 2 * i]! << 8) | d[o + 2 * i + 1]!)
  let bs = -1
  let bl = 1
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && w[j] === 0) j++
    if (j - i > bl) {
      bs = i
      bl = j - i
    }
    i = j
  }
  const h = (a: number, b: number) => w.slice(a, b).map((x) => x.toString(16)).join(':')
  return bs < 0 ? h(0, 8) : `${h(0, bs)}::${h(bs + bl, 8)}`
}
