// A long capture's worth of connections through the session's path (OpenCapture: reader →
// sequential decoder in summary mode → packet index): 200 000 HTTP connections, 2 M packets.
// The analysis structures' resident bytes (counted from the structures, not RSS, so the test is
// deterministic) stay under a fixed bound and stop growing, and a stream whose rows went to the
// spill file reads back exactly as the same file decoded fresh.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCaptureFile } from '../src/main/capfile/open'
import type { FieldNode } from '../src/main/dissect/fields'
import { frameInput, redissect, SequentialDecoder, TCP_FLAGS, type DecoderMemory } from '../src/main/engine/decoder'
import { OpenCapture } from '../src/main/session/open-capture'
import { BYTES_PER_ENTRY, CHUNK_SIZE } from '../src/main/session/packet-index'
import { writeBulkHttp } from '../src/main/synth/bulk'

const dir = mkdtempSync(join(tmpdir(), 'wn-memory-index-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const MB = 1 << 20

/** Every tcp.* field of a tree, in order, with its value. */
function tcpFields(nodes: readonly FieldNode[], out: [string, unknown][] = []): [string, unknown][] {
  for (const n of nodes) {
    if (n.name.startsWith('tcp.') || n.name === 'tcp') out.push([n.name, n.value])
    if (n.children) tcpFields(n.children, out)
  }
  return out
}

describe('indexing a long capture keeps the analysis memory flat', () => {
  it('2 M packets of 200 000 connections: bounded, flat, and spilled streams read back right', { timeout: 300_000 }, () => {
    const file = join(dir, 'bulk.pcapng')
    expect(writeBulkHttp(file, { connections: 200_000 })).toBe(2_000_000)

    const cap = new OpenCapture(file)
    const samples: { packets: number; mem: DecoderMemory }[] = []
    while (!cap.done) {
      cap.pump(250_000)
      samples.push({ packets: cap.packets, mem: cap.decoder.memory() })
    }
    expect(cap.error).toBeNull()
    expect(cap.packets).toBe(2_000_000)
    const T = cap.decoder.streams
    expect(T.count).toBe(200_000)

    // Bounded: 64 chunks of stream rows (~12.5 MB) and a tuple hash the size of the distinct
    // tuples (the generator cycles through 28 000 client ports), nothing else of note.
    const end = samples.at(-1)!.mem
    expect(end.total).toBeLessThan(16 * MB)
    expect(end.streamRows).toBeLessThanOrEqual(64 * 1024 * 200)
    expect(end.tupleHash).toBeLessThan(2 * MB)
    expect(T.tupleCount).toBe(28_000)
    expect(end.pendingPdus + end.defrag + end.quic).toBe(0)
    // Flat: from 1 M packets on, not one more byte, while the stream count doubles.
    const mid = samples.find((s) => s.packets >= 1_000_000)!.mem
    expect(end).toEqual(mid)
    // The packet index: 8 resident chunks of 64 Ki entries, the rest spilled.
    expect(cap.index.residentBytes).toBeLessThanOrEqual(8 * CHUNK_SIZE * BYTES_PER_ENTRY)
    expect(T.storage.spilledChunks).toBeGreaterThan(100)

    // Stream 5 (chunk 0) and stream 28 005 (same 4-tuple, ports reused; chunk 27) are on disk.
    for (const s of [5, 28_005]) expect(T.storage.isResident(s)).toBe(false)

    // 1. The first connections against a fresh tree-mode pass over the same file.
    const fresh = new SequentialDecoder({ tree: true })
    const r1 = openCaptureFile(file)
    const freshFields = new Map<number, [string, unknown][]>()
    const freshRecs = new Map<number, { stream: number; flags: number }>()
    for (let no = 1; no <= 100; no++) {
      const p = fresh.decode(frameInput(r1.next()!, r1))
      freshFields.set(no, tcpFields(p.dissection.tree))
      freshRecs.set(no, p.tcp)
    }
    r1.close()
    // tcp.stream, relative tcp.seq / tcp.ack, the window scale ...: some thirty fields a frame
    expect(freshFields.get(53)!.map(([n]) => n)).toEqual(expect.arrayContaining(['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size_scalefactor']))
    for (let no = 51; no <= 60; no++) {
      const e = cap.index.get(no - 1)
      expect({ stream: e.stream, flags: e.tcpFlags }).toEqual(freshRecs.get(no))
      expect(e.stream).toBe(5)
      expect(tcpFields(cap.decoder.dissect(cap.frame(no), true).tree), `frame ${no}`).toEqual(freshFields.get(no))
    }
    const F = fresh.streams
    expect(T.endpoints(5)).toEqual(F.endpoints(5))
    expect(T.handshakeState(5)).toBe('complete')
    expect(T.stateText(5)).toBe(F.stateText(5))
    expect(T.summary(5)).toEqual(F.summary(5))
    expect(cap.decoder.streamSummaries(6)[5]).toMatchObject({ stream: 5, handshake: 'complete', packets: 10, firstNo: 51, state: 'closed' })
    fresh.close()

    // 2. A stream deep in the capture against a pass whose table never spills.
    const whole = new SequentialDecoder({ tree: false, streams: { residentChunks: 1024 } })
    const r2 = openCaptureFile(file)
    const first = 28_005 * 10 + 1
    const recs = new Map<number, { stream: number; flags: number }>()
    for (let no = 1; no <= first + 9; no++) {
      const p = whole.decode(frameInput(r2.next()!, r2))
      if (no >= first) recs.set(no, p.tcp)
    }
    r2.close()
    expect(whole.streams.storage.spilledChunks).toBe(0)
    for (let no = first; no <= first + 9; no++) {
      const e = cap.index.get(no - 1)
      const want = recs.get(no)!
      expect({ stream: e.stream, flags: e.tcpFlags }).toEqual(want)
      const f = cap.frame(no)
      const ours = tcpFields(cap.decoder.dissect(f, true).tree)
      const input = { number: no, data: f.data, origlen: f.entry.origlen, linktype: 1, interfaceId: 0, hasTs: true, tsSec: f.entry.tsSec, tsNsec: f.entry.tsNsec, comments: [], pcapng: true }
      const theirs = tcpFields(redissect(input, want, whole.streams).tree)
      expect(ours, `frame ${no}`).toEqual(theirs)
    }
    // its SYN reused stream 5's ports with a new ISN: a new stream, flagged as tshark does
    expect(cap.index.get(first - 1).tcpFlags & TCP_FLAGS.REUSED_PORTS).toBeTruthy()
    expect(T.summary(28_005)).toEqual(whole.streams.summary(28_005))
    whole.close()
    cap.close()
  })
})
