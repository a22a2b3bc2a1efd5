// TCP analysis notes stay at the front of the Info column when an application dissector writes
// its own text there, as tshark's column fence keeps them: a request after a capture gap reads
// "[TCP Previous segment not captured] GET ...".
import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PcapngWriter } from '../src/main/capfile/pcapng/writer'
import { TCP, tcpFrame } from '../src/main/synth/frames'
import { createServices } from '../src/main/app/services'
import type { MethodResults } from '../src/shared/contract'

const dir = mkdtempSync(join(tmpdir(), 'wn-fence-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function gapCapture(path: string): void {
  const w = PcapngWriter.toFile(path)
  const i = w.addInterface({ linktype: 1 })
  const c = { srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02', src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 }
  const s = { srcMac: '02:00:00:00:00:02', dstMac: '02:00:00:00:00:01', src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 }
  const body = (text: string) => new TextEncoder().encode(text)
  let t = 1_700_000_000_000_000_000n
  const put = (d: Uint8Array) => w.writePacket({ interfaceId: i, timestamp: (t += 1_000_000n), data: d })
  put(tcpFrame({ ...c, seq: 1000, ack: 0, flags: TCP.SYN, window: 64240 }))
  put(tcpFrame({ ...s, seq: 5000, ack: 1001, flags: TCP.SYN | TCP.ACK, window: 64240 }))
  put(tcpFrame({ ...c, seq: 1001, ack: 5001, flags: TCP.ACK, window: 64240 }))
  // 100 bytes the capture missed, then a whole request.
  put(tcpFrame({ ...c, seq: 1101, ack: 5001, flags: TCP.ACK | TCP.PSH, window: 64240, payload: body('GET /after-gap HTTP/1.1\r\nHost: x\r\n\r\n') }))
  put(tcpFrame({ ...s, seq: 5001, ack: 1001, flags: TCP.ACK, window: 64240 }))
  // The same request again: a retransmission, with its own note.
  put(tcpFrame({ ...c, seq: 1101, ack: 5001, flags: TCP.ACK | TCP.PSH, window: 64240, payload: body('GET /after-gap HTTP/1.1\r\nHost: x\r\n\r\n') }))
  w.close()
}

describe('Info column fence', () => {
  it('keeps the TCP analysis note in front of the application text, in the CLI and the packet list', async () => {
    const file = join(dir, 'gap.pcapng')
    gapCapture(file)
    const tshark = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter(Boolean)
    expect(tshark[3]).toBe('[TCP Previous segment not captured] GET /after-gap HTTP/1.1 ')
    const svc = await createServices({ mode: 'headless', userDataDir: null })
    try {
      await svc.router.dispatch('file.open', { path: file })
      const r = await svc.router.dispatch('view.rows', { start: 0, count: 10 })
      const rows = (r as { ok: true; result: MethodResults['view.rows'] }).result.rows
      expect(rows.map((row) => row.info)).toEqual(tshark)
    } finally {
      await svc.dispose()
    }
  })
})
