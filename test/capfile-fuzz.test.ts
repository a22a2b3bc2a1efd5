// Mutated corpus captures (bit flips, overwritten length fields, random bytes, truncations,
// duplicated chunks) must be read to the end without an exception or a hang: the reader stops
// within a bounded number of next() calls, moves forward with every packet, and ends either
// cleanly or with a typed error.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { maxCaplenFor } from '../src/main/capfile/limits'
import { openCaptureFile } from '../src/main/capfile/open'
import { CaptureFileError } from '../src/main/capfile/types'
import { TempDir } from './capfile-build'

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))
const captures = readdirSync(CORPUS)
  .filter((f) => existsSync(CORPUS + f + '.tshark.tsv'))
  .sort()

const tmp = new TempDir()
afterAll(() => tmp.remove())

/** Only a hang detector: reading a mutated file of at most ~60 KB takes milliseconds. */
const HANG_GUARD_MS = 10_000
const RUNS_PER_FILE = Number(process.env.CAPFILE_FUZZ_RUNS) || 100

interface LengthField {
  at: number
  le: boolean
}

/** Offsets of the length fields of the unmutated file, where corruption hurts most. */
function lengthFields(b: Uint8Array): LengthField[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const out: LengthField[] = []
  if (b.length < 24) return out
  const magic = v.getUint32(0, true)
  if (magic === 0x0a0d0d0a) {
    let le = true
    for (let p = 0; p + 12 <= b.length; ) {
      const type = v.getUint32(p, le)
      if (type === 0x0a0d0d0a) le = v.getUint32(p + 8, true) === 0x1a2b3c4d
      const len = v.getUint32(p + 4, le)
      if (len < 12) break
      const total = (len + 3) & ~3
      out.push({ at: p + 4, le })
      if (p + total <= b.length) out.push({ at: p + total - 4, le })
      if ((type === 6 || type === 2) && p + 28 <= b.length) out.push({ at: p + 20, le }, { at: p + 24, le })
      if (type === 3 && p + 12 <= b.length) out.push({ at: p + 8, le })
      if (type === 1 && p + 16 <= b.length) out.push({ at: p + 12, le })
      p += total
    }
  } else {
    const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d || magic === 0xa1b2cd34
    const hdr = magic === 0xa1b2cd34 || magic === 0x34cdb2a1 ? 24 : 16
    out.push({ at: 16, le }, { at: 20, le })
    for (let p = 24; p + 16 <= b.length; ) {
      out.push({ at: p + 8, le }, { at: p + 12, le })
      p += hdr + v.getUint32(p + 8, le)
    }
  }
  return out
}

type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'byte'; pos: number; value: number }
  | { kind: 'length'; field: number; value: number }
  | { kind: 'truncate'; pos: number }
  | { kind: 'duplicate'; from: number; len: number; to: number }

const INTERESTING = [0, 1, 4, 8, 11, 12, 13, 16, 20, 24, 28, 31, 32, 33, 0x7fff, 0xffff, 262143, 262144, 262145, 0x7ffffff0, 0x80000000, 0xfffffff0, 0xffffffff]

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('byte' as const), pos: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('length' as const),
    field: fc.nat(),
    value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat({ max: 0xffffffff }), fc.integer({ min: -8, max: 8 }))
  }),
  fc.record({ kind: fc.constant('truncate' as const), pos: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fc.nat(), len: fc.integer({ min: 1, max: 512 }), to: fc.nat() })
)

function mutate(orig: Uint8Array, fields: LengthField[], muts: Mutation[]): Uint8Array {
  let b = orig.slice()
  for (const m of muts) {
    if (b.length === 0) break
    switch (m.kind) {
      case 'flip':
        b[m.pos % b.length] ^= 1 << m.bit
        break
      case 'byte':
        b[m.pos % b.length] = m.value
        break
      case 'length': {
        if (!fields.length) break
        const f = fields[m.field % fields.length]
        if (f.at + 4 > b.length) break
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
        // Small values are deltas from the current length: off-by-a-few lengths are the subtle ones.
        const value = m.value >= -8 && m.value <= 8 ? v.getUint32(f.at, f.le) + m.value : m.value
        v.setUint32(f.at, value >>> 0, f.le)
        break
      }
      case 'truncate':
        b = b.slice(0, m.pos % (b.length + 1))
        break
      case 'duplicate': {
        const from = m.from % b.length
        const chunk = b.slice(from, Math.min(b.length, from + m.len))
        const to = m.to % (b.length + 1)
        const out = new Uint8Array(b.length + chunk.length)
        out.set(b.subarray(0, to))
        out.set(chunk, to)
        out.set(b.subarray(to), to + chunk.length)
        b = out
        break
      }
    }
  }
  return b
}

const OPEN_CODES = new Set(['empty-file', 'unknown-format', 'truncated-header'])

/** Reads the whole file; fails the test on any exception, hang-like behaviour or broken invariant. */
function readToEnd(path: string, size: number, bufferSize: number, follow: boolean): void {
  let r
  try {
    r = openCaptureFile(path, { bufferSize, follow })
  } catch (err) {
    expect(err).toBeInstanceOf(CaptureFileError)
    expect(OPEN_CODES.has((err as CaptureFileError).code)).toBe(true)
    return
  }
  // Every packet consumes at least 12 bytes (an SPB header) of a file that no longer grows.
  const bound = Math.floor(size / 12) + 2
  let last = -1
  let packets = 0
  let ended = false
  for (let round = 0; round < 2 && !ended; round++) {
    for (let calls = 0; calls <= bound; calls++) {
      const rec = r.next()
      if (rec === null) {
        ended = true
        break
      }
      packets++
      expect(r.bytesRead).toBeGreaterThan(last)
      last = r.bytesRead
      expect(rec.data.length).toBe(rec.caplen)
      expect(rec.caplen).toBeLessThanOrEqual(maxCaplenFor(rec.linktype))
      expect(rec.dataOffset + rec.caplen).toBeLessThanOrEqual(size)
      expect(rec.index).toBe(packets - 1)
    }
    if (r.following && ended && r.error === null) {
      // A partial tail only waits in follow mode; once following stops it must end for good.
      r.stopFollowing()
      ended = false
    }
  }
  expect(ended).toBe(true)
  expect(packets).toBeLessThanOrEqual(bound)
  expect(r.next()).toBeNull()
  if (r.error) {
    expect(r.error).toBeInstanceOf(CaptureFileError)
    expect(r.error.code).not.toBe('internal')
    expect(r.error.offset).toBeGreaterThanOrEqual(0)
    expect(r.error.offset).toBeLessThanOrEqual(size)
    expect(r.error.message.length).toBeGreaterThan(10)
  }
  r.close()
}

describe('fuzzed corpus captures', () => {
  it('has captures to mutate', () => {
    expect(captures.length).toBeGreaterThanOrEqual(40)
  })

  captures.forEach((name, k) => {
    it(name, () => {
      const orig = new Uint8Array(readFileSync(CORPUS + name))
      const fields = lengthFields(orig)
      fc.assert(
        fc.property(
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          fc.constantFrom(64, 200, 4096, 1 << 20),
          fc.boolean(),
          (muts, bufferSize, follow) => {
            const bytes = mutate(orig, fields, muts)
            const file = tmp.file(bytes, `fuzz-${k}`)
            const started = performance.now()
            readToEnd(file, bytes.length, bufferSize, follow)
            expect(performance.now() - started).toBeLessThan(HANG_GUARD_MS)
          }
        ),
        { numRuns: RUNS_PER_FILE, seed: 0x5eed + k }
      )
    })
  })
})
