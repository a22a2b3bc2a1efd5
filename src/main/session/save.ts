// "Save as pcapng": copies every packet of the open capture into a new pcapng file, with the
// annotations (and other tools' comments) as packet and section-header comments.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PcapngWriter } from '../capfile/pcapng/writer'
import type { AnnotationStore } from './annotation-store'
import type { OpenCapture } from './open-capture'

const SLICE = 4096

function userappl(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version?: string }
    return `Wirenote ${pkg.version ?? ''}`.trim()
  } catch {
    return 'Wirenote'
  }
}

/**
 * The interface's own resolution where pcapng can say it in decimal: keeping µs for a µs
 * interface keeps every timestamp it can hold (some files carry 64-bit µs values that would
 * overflow as nanoseconds). Binary resolutions are written as nanoseconds.
 */
function decimalResolution(tsUnit: number): number {
  for (let k = 0; k <= 9; k++) if (Math.abs(tsUnit * 10 ** k - 1) < 1e-9) return k
  return 9
}

/** Nanoseconds since the epoch; corrupt or missing times become 0 rather than failing the save. */
function timestampNs(sec: number, nsec: number): bigint {
  if (!Number.isFinite(sec)) return 0n
  const ns = BigInt(Math.trunc(sec)) * 1_000_000_000n + BigInt(Math.trunc(nsec))
  return ns < 0n ? 0n : ns
}

export async function writeAnnotatedCopy(cap: OpenCapture, notes: AnnotationStore, path: string, stillOpen: () => boolean): Promise<void> {
  const w = PcapngWriter.toFile(path, { mode: 0o644, section: { userappl: userappl(), comments: notes.fileComments() } })
  try {
    for (const i of cap.interfaces) {
      w.addInterface({
        linktype: i.linktype,
        // Some files hold packets longer than their snaplen; 0 (no limit) keeps them valid.
        snaplen: 0,
        tsresol: decimalResolution(i.tsUnit),
        ...(i.name ? { name: i.name } : {}),
        ...(i.description ? { description: i.description } : {})
      })
    }
    const commented = notes.commentedFrames()
    for (let from = 1; from <= cap.packets; from += SLICE) {
      if (!stillOpen()) throw new Error('the capture was closed while saving')
      const nos: number[] = []
      for (let no = from; no < from + SLICE && no <= cap.packets; no++) nos.push(no)
      for (const f of cap.frames(nos)) {
        const e = f.entry
        w.writePacket({
          interfaceId: e.interfaceId,
          timestamp: timestampNs(e.tsSec, e.tsNsec),
          data: f.data,
          origlen: Math.max(e.origlen, f.data.length),
          ...(commented.has(f.number) ? { comments: notes.packetComments(f.number) } : {})
        })
      }
      await new Promise((r) => setImmediate(r))
    }
    w.close()
  } catch (err) {
    try {
      w.close()
    } catch {
      // The first error is the one to report.
    }
    throw err
  }
}
