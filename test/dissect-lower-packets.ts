// Hand-built packets and helpers for the lower-layer dissector tests (dissect-lower-*.test.ts).
import { IpDefragmenter } from '../src/main/analysis/ip-defrag'
import { dissectFrame, type Dissection } from '../src/main/dissect'
import { findAll, type FieldNode } from '../src/main/dissect/fields'
import { formatColumn } from '../src/main/dissect/format'
import { labelOf } from '../src/main/dissect/label'

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-f]/gi, '')
  const out = new Uint8Array(clean.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16)
  return out
}

export function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(len)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff]
}

export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]
}

export function mac(s: string): number[] {
  return s.split(':').map((x) => parseInt(x, 16))
}

export function ip4(s: string): number[] {
  return s.split('.').map(Number)
}

export function ip6(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined]
  const h = head ? head.split(':') : []
  const t = tail !== undefined && tail !== '' ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  return groups.flatMap((g) => u16(parseInt(g, 16)))
}

export function inetSum(b: Uint8Array | number[], init = 0): number {
  let s = init
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (i + 1 < b.length ? b[i + 1] : 0)
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000)
  return ~s & 0xffff
}

export function eth(type: number, payload: Uint8Array | number[], dst = '00:11:22:33:44:55', src = '66:77:88:99:aa:bb'): Uint8Array {
  return cat(mac(dst), mac(src), u16(type), payload)
}

export interface Ip4Opts {
  src?: string
  dst?: string
  ttl?: number
  id?: number
  flags?: number
  frag?: number
  options?: number[]
  total?: number
}

export function ipv4(proto: number, payload: Uint8Array | number[], o: Ip4Opts = {}): Uint8Array {
  const opts = o.options ?? []
  const hlen = 20 + opts.length
  const total = o.total ?? hlen + payload.length
  const h = cat(
    [0x40 | (hlen >> 2), 0],
    u16(total),
    u16(o.id ?? 0x1234),
    u16(((o.flags ?? 0) << 13) | (o.frag ?? 0)),
    [o.ttl ?? 64, proto, 0, 0],
    ip4(o.src ?? '10.0.0.1'),
    ip4(o.dst ?? '10.0.0.2'),
    opts
  )
  const c = inetSum(h)
  h[10] = c >> 8
  h[11] = c & 0xff
  return cat(h, payload)
}

export function ipv6(next: number, payload: Uint8Array | number[], src = '2001:db8::1', dst = '2001:db8::2', hlim = 64): Uint8Array {
  return cat(u32(0x60000000), u16(payload.length), [next, hlim], ip6(src), ip6(dst), payload)
}

export function udp(payload: number[] = [], sport = 40000, dport = 40001): number[] {
  return [...u16(sport), ...u16(dport), ...u16(8 + payload.length), 0, 0, ...payload]
}

export function icmp(type: number, code: number, rest: number[], body: Uint8Array | number[] = []): Uint8Array {
  const m = cat([type, code, 0, 0], rest, body)
  const c = inetSum(m)
  m[2] = c >> 8
  m[3] = c & 0xff
  return m
}

export function icmp6(type: number, code: number, body: number[], src = 'fe80::1', dst = 'fe80::2'): Uint8Array {
  const m = [type, code, 0, 0, ...body]
  const pseudo = [...ip6(src), ...ip6(dst), ...u32(m.length), 0, 0, 0, 58]
  const c = inetSum([...pseudo, ...m])
  m[2] = c >> 8
  m[3] = c & 0xff
  return ipv6(58, m, src, dst, 255)
}

export interface Run {
  d: Dissection
  /** frame.protocols */
  protocols: string
  /** -T fields text of a field (all occurrences joined with ','). */
  col(name: string): string
  /** Every node of a field. */
  nodes(name: string): FieldNode[]
  /** Label of the first node of a field. */
  label(name: string): string
  /** Every expert message in the tree. */
  experts(): string[]
}

export function run(data: Uint8Array, linktype = 1, opts: { tree?: boolean; defrag?: IpDefragmenter; number?: number; origlen?: number; tsSec?: number } = {}): Run {
  const d = dissectFrame(
    {
      number: opts.number ?? 1,
      data,
      origlen: opts.origlen ?? data.length,
      linktype,
      interfaceId: 0,
      hasTs: true,
      tsSec: opts.tsSec ?? 1700000000,
      tsNsec: 0,
      comments: []
    },
    { tree: opts.tree ?? true, defrag: opts.defrag }
  )
  return {
    d,
    protocols: d.ctx.protocols.join(':'),
    col: (name) => formatColumn(d.tree, name),
    nodes: (name) => findAll(d.tree, name),
    label: (name) => {
      const n = findAll(d.tree, name)[0]
      return n ? labelOf(n) : '(none)'
    },
    experts: () => {
      const out: string[] = []
      const walk = (l: FieldNode[]): void => {
        for (const n of l) {
          if (n.expert) out.push(n.expert.message)
          if (n.children) walk(n.children)
        }
      }
      walk(d.tree)
      return out
    }
  }
}

/** True when every node lies inside the frame (or is marked as having no bytes here). */
export function offsetsInFrame(tree: FieldNode[], caplen: number): boolean {
  const walk = (l: FieldNode[]): boolean =>
    l.every((n) => (n.off === -1 ? n.len === 0 : n.off >= 0 && n.off + n.len <= caplen) && (!n.children || walk(n.children)))
  return walk(tree)
}
