// Byte builders for hand-made pcap / pcapng files in the capture-file tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Little- or big-endian field writer. */
export class Bytes {
  private parts: number[] = []
  constructor(readonly le = true) {}
  u8(v: number): this {
    this.parts.push(v & 0xff)
    return this
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v)
  }
  u32(v: number): this {
    v >>>= 0
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff)
  }
  i64(v: bigint): this {
    const u = BigInt.asUintN(64, v)
    const hi = Number(u >> 32n)
    const lo = Number(u & 0xffffffffn)
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo)
  }
  raw(b: Uint8Array | number[]): this {
    for (const x of b) this.parts.push(x)
    return this
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0)
    return this
  }
  get length(): number {
    return this.parts.length
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts)
  }
}

export const fill = (n: number, byte = 0xaa): Uint8Array => new Uint8Array(n).fill(byte)

// ---- classic pcap ----

export interface PcapOpts {
  le?: boolean
  magic?: number
  major?: number
  minor?: number
  snaplen?: number
  linktype?: number
}

export function pcapHeader(o: PcapOpts = {}): Uint8Array {
  return new Bytes(o.le ?? true)
    .u32(o.magic ?? 0xa1b2c3d4)
    .u16(o.major ?? 2)
    .u16(o.minor ?? 4)
    .u32(0)
    .u32(0)
    .u32(o.snaplen ?? 65535)
    .u32(o.linktype ?? 1)
    .bytes()
}

export interface PcapRec {
  sec?: number
  frac?: number
  data: Uint8Array
  caplen?: number
  origlen?: number
}

export function pcapRecord(r: PcapRec, o: { le?: boolean; modified?: boolean } = {}): Uint8Array {
  const b = new Bytes(o.le ?? true)
    .u32(r.sec ?? 1)
    .u32(r.frac ?? 0)
    .u32(r.caplen ?? r.data.length)
    .u32(r.origlen ?? r.data.length)
  if (o.modified) b.u32(7).u16(0x0800).u8(0).u8(0)
  return b.raw(r.data).bytes()
}

// ---- pcapng ----

export function option(le: boolean, code: number, value: Uint8Array | string): Uint8Array {
  const v = typeof value === 'string' ? new TextEncoder().encode(value) : value
  return new Bytes(le).u16(code).u16(v.length).raw(v).pad4().bytes()
}
export const endOfOptions = (le: boolean): Uint8Array => new Bytes(le).u32(0).bytes()

export interface BlockOpts {
  /** Leading total length to write instead of the true one. */
  length?: number
  /** Trailing total length to write instead of the leading one. */
  trailer?: number
  /** Do not pad the body to 4 bytes (NTAR style). */
  unpadded?: boolean
}

export function block(le: boolean, type: number, body: Uint8Array, o: BlockOpts = {}): Uint8Array {
  const pad = o.unpadded ? 0 : (4 - (body.length % 4)) % 4
  const trueLen = 12 + body.length + pad
  const len = o.length ?? (o.unpadded ? 12 + body.length : trueLen)
  const b = new Bytes(le).u32(type).u32(len).raw(body)
  for (let k = 0; k < pad; k++) b.u8(0)
  if (o.unpadded) while (b.length % 4) b.u8(0)
  return b.u32(o.trailer ?? len).bytes()
}

export function shb(le = true, major = 1, minor = 0, o: BlockOpts = {}): Uint8Array {
  const body = new Bytes(le).u32(0x1a2b3c4d).u16(major).u16(minor).i64(-1n).bytes()
  return block(le, 0x0a0d0d0a, body, o)
}

export interface IdbOpts extends BlockOpts {
  linktype?: number
  snaplen?: number
  name?: string
  description?: string
  tsresol?: number
  tsoffset?: bigint
}

export function idb(le = true, o: IdbOpts = {}): Uint8Array {
  const b = new Bytes(le).u16(o.linktype ?? 1).u16(0).u32(o.snaplen ?? 0)
  const opts: Uint8Array[] = []
  if (o.name !== undefined) opts.push(option(le, 2, o.name))
  if (o.description !== undefined) opts.push(option(le, 3, o.description))
  if (o.tsresol !== undefined) opts.push(option(le, 9, Uint8Array.of(o.tsresol)))
  if (o.tsoffset !== undefined) opts.push(option(le, 14, new Bytes(le).i64(o.tsoffset).bytes()))
  if (opts.length) opts.push(endOfOptions(le))
  return block(le, 1, concat(b.bytes(), ...opts), o)
}

export interface EpbOpts extends BlockOpts {
  iface?: number
  tsHigh?: number
  tsLow?: number
  caplen?: number
  origlen?: number
  comments?: string[]
}

export function epb(le: boolean, data: Uint8Array, o: EpbOpts = {}): Uint8Array {
  const b = new Bytes(le)
    .u32(o.iface ?? 0)
    .u32(o.tsHigh ?? 0)
    .u32(o.tsLow ?? 1000000)
    .u32(o.caplen ?? data.length)
    .u32(o.origlen ?? data.length)
    .raw(data)
    .pad4()
  const opts = (o.comments ?? []).map((c) => option(le, 1, c))
  if (opts.length) opts.push(endOfOptions(le))
  return block(le, 6, concat(b.bytes(), ...opts), o)
}

export function spb(le: boolean, origlen: number, data: Uint8Array, o: BlockOpts = {}): Uint8Array {
  return block(le, 3, new Bytes(le).u32(origlen).raw(data).bytes(), o)
}

/** Obsolete Packet Block (type 2), as NTAR wrote it: 16-bit interface id and drops count. */
export function packetBlock(le: boolean, data: Uint8Array, o: EpbOpts & { drops?: number } = {}): Uint8Array {
  const b = new Bytes(le)
    .u16(o.iface ?? 0)
    .u16(o.drops ?? 0)
    .u32(o.tsHigh ?? 0)
    .u32(o.tsLow ?? 1000000)
    .u32(o.caplen ?? data.length)
    .u32(o.origlen ?? data.length)
    .raw(data)
  return block(le, 2, b.bytes(), o)
}

export function customBlock(le: boolean, type = 0x00000bad, payload = fill(10, 0x55)): Uint8Array {
  return block(le, type, concat(new Bytes(le).u32(32473).bytes(), payload))
}

// ---- temp files ----

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'wirenote-capfile-'))
  private n = 0
  file(bytes: Uint8Array, name?: string): string {
    const p = join(this.path, name ?? `f${this.n++}.bin`)
    writeFileSync(p, bytes)
    return p
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true })
  }
}
