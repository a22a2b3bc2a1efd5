// Seeded mutation fuzzing of the dissectors: corpus packets and crafted application payloads
// with bit flips, truncations, corrupted length fields and spliced bytes go through
// dissectFrame (tree and summary) and through the sequential decoder (TCP analysis and
// reassembly). Nothing may throw (dissectFrame's last-resort catch would show a "Dissector
// bug" note), and the work per packet stays bounded (tree size proportional to the bytes).
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import { type FrameInput } from '../src/main/dissect'
import { newContext } from '../src/main/dissect/context'
import { byLinktype } from '../src/main/dissect/dispatch'
import type { FieldNode } from '../src/main/dissect/fields'
import { formatNode } from '../src/main/dissect/format'
import { frameInput, SequentialDecoder } from '../src/main/engine/decoder'
import {
  ACK, clientHello, dnsMessage, dnsName, input, PSH, serverHello, tcpFrame, tlsRecord, udpFrame
} from './dissect-upper-support'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const d = src.slice()
  const n = d.length
  if (n === 0) return d
  switch (Math.floor(r() * 5)) {
    case 0: // bit flips
      for (let i = 0, k = 1 + Math.floor(r() * 8); i < k; i++) d[Math.floor(r() * n)]! ^= 1 << Math.floor(r() * 8)
      return d
    case 1: // truncation
      return d.subarray(0, Math.floor(r() * n))
    case 2: {
      // a 16-bit length-like field set to an extreme
      const p = Math.floor(r() * Math.max(1, n - 1))
      const v = [0, 1, 0xff, 0xffff, 0x7fff, Math.floor(r() * 0x10000)][Math.floor(r() * 6)]!
      d[p] = v >> 8
      if (p + 1 < n) d[p + 1] = v & 0xff
      return d
    }
    case 3: {
      // splice: repeat a slice (compression pointers, TLV chains)
      const a = Math.floor(r() * n)
      const b = Math.min(n, a + 1 + Math.floor(r() * 64))
      const out = new Uint8Array(n + (b - a))
      out.set(d.subarray(0, b))
      out.set(d.subarray(a, b), b)
      out.set(d.subarray(b), b + (b - a))
      return out
    }
    default: // random bytes over the tail
      for (let i = Math.floor(r() * n); i < n; i++) d[i] = Math.floor(r() * 256)
      return d
  }
}

function count(nodes: readonly FieldNode[], bugs: string[]): number {
  let c = 0
  for (const n of nodes) {
    c++
    if (n.expert?.message.startsWith('Dissector bug')) bugs.push(n.expert.message)
    // every node must render (labels/values are what the UI and exports show)
    formatNode(n)
    if (n.children) c += count(n.children, bugs)
  }
  return c
}

function corpusFrames(): FrameInput[][] {
  const out: FrameInput[][] = []
  for (const f of readdirSync(CORPUS).filter((n) => /\.(pcap|pcapng|ntar)$/.test(n))) {
    let reader
    try {
      reader = openCaptureFile(CORPUS + f)
    } catch {
      continue
    }
    const frames: FrameInput[] = []
    for (;;) {
      const rec = reader.next()
      if (!rec) break
      const fi = frameInput(rec, reader)
      frames.push({ ...fi, data: fi.data.slice(), comments: [...fi.comments] })
    }
    reader.close()
    out.push(frames)
  }
  return out
}

function crafted(): FrameInput[] {
  const f: Uint8Array[] = []
  const http = 'GET /x?y=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'
  f.push(tcpFrame({ sport: 5000, dport: 80, seq: 1, ack: 1, flags: PSH | ACK, payload: http }))
  f.push(tcpFrame({ sport: 5000, dport: 443, seq: 1, ack: 1, flags: PSH | ACK, payload: new Uint8Array(tlsRecord(22, 0x0301, clientHello('a.example', ['h2'], [0x0304]))) }))
  f.push(tcpFrame({ sport: 443, dport: 5000, seq: 1, ack: 1, flags: PSH | ACK, payload: new Uint8Array(tlsRecord(22, 0x0303, serverHello(0x0304))) }))
  const dns = dnsMessage({ id: 1, flags: 0x8180, questions: [[dnsName('a.b.c'), 1]], answers: [{ name: [0xc0, 12], type: 5, rdata: [0xc0, 12] }] })
  f.push(udpFrame(53, 3333, dns), udpFrame(3333, 53, dns))
  f.push(tcpFrame({ sport: 5001, dport: 53, seq: 1, ack: 1, flags: PSH | ACK, payload: new Uint8Array([0, dns.length, ...dns]) }))
  f.push(udpFrame(1234, 443, new Uint8Array([0xc3, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0x41, 0x00, ...new Array(40).fill(1)])))
  f.push(udpFrame(68, 67, new Uint8Array(300).fill(1)))
  return f.map((d, i) => input(d, i + 1))
}

describe('dissectors survive mutated input', () => {
  const files = corpusFrames()
  const seeds = [1, 2, 3, 4, 5, 6]

  it('dissectFrame in tree and summary mode, corpus and crafted packets', () => {
    const r = rng(0x5eed)
    const bugs: string[] = []
    let packets = 0
    const all = [...files.flat(), ...crafted()]
    for (const seed of seeds) {
      void seed
      for (const base of all) {
        const data = mutate(base.data, r)
        const fi: FrameInput = { ...base, data, origlen: Math.max(data.length, base.origlen) }
        for (const tree of [true, false]) {
          // The dissector chain without dissectFrame's last-resort catch: an exception fails the test.
          const ctx = newContext(fi.data, fi.origlen, fi.number, tree)
          ctx.linktype = fi.linktype
          byLinktype.get(fi.linktype)?.(ctx, 0, ctx.caplen)
          const nodes = count(ctx.layers, bugs)
          // bounded work: the tree grows with the bytes, not with what the bytes claim
          expect(nodes).toBeLessThan(200 + data.length * 4)
          packets++
        }
      }
    }
    expect(bugs).toEqual([])
    expect(packets).toBeGreaterThan(1000)
  })

  it('the sequential decoder (TCP analysis, reassembly, QUIC state) on mutated captures', () => {
    const bugs: string[] = []
    for (const seed of seeds) {
      const r = rng(seed)
      for (const frames of [...files, crafted()]) {
        // tree mode: a swallowed exception would leave a "Dissector bug" note to find
        for (const tree of [true]) {
          const dec = new SequentialDecoder({ tree })
          frames.forEach((f, i) => {
            const data = r() < 0.5 ? mutate(f.data, r) : f.data
            const p = dec.decode({ ...f, number: i + 1, data, origlen: Math.max(data.length, f.origlen) })
            count(p.dissection.tree, bugs)
          })
          expect(dec.reassembler.pendingSize).toBeLessThan(256 * 1024 * 1024)
        }
      }
    }
    expect(bugs).toEqual([])
  })

  it('random payloads on application ports', () => {
    const r = rng(42)
    const bugs: string[] = []
    const dec = new SequentialDecoder({ tree: true })
    const tcpPorts = [80, 443, 53, 3306, 22, 6000, 8080, 1723]
    const udpPorts = [53, 67, 443, 5353, 17500, 8612, 123]
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(r() * 600)
      const payload = new Uint8Array(len)
      for (let j = 0; j < len; j++) payload[j] = r() < 0.7 ? 0x20 + Math.floor(r() * 0x5f) : Math.floor(r() * 256)
      const frame =
        r() < 0.6
          ? tcpFrame({ sport: 40000 + (i % 7), dport: tcpPorts[i % tcpPorts.length]!, seq: Math.floor(r() * 2 ** 32), ack: 1, flags: PSH | ACK, payload })
          : udpFrame(40000, udpPorts[i % udpPorts.length]!, payload)
      count(dec.decode(input(frame, i + 1)).dissection.tree, bugs)
    }
    expect(bugs).toEqual([])
  })
})
