// Large synthetic captures for end-to-end tests and benchmarks: `connections` loopback HTTP
// fetches of 10 packets each (handshake, GET, ACK, 200 OK, FIN/ACK both ways), shaped like
// ../shared/bench/make-captures.sh output but made in seconds and without root.
import { PcapngWriter } from '../capfile/pcapng/writer'
import { TCP, tcpFrame, type L2L3 } from './frames'

const enc = new TextEncoder()
const REQUEST = enc.encode('GET /index.html HTTP/1.0\r\nHost: 127.0.0.1:18080\r\nUser-Agent: ApacheBench/2.3\r\nAccept: */*\r\n\r\n')
const BODY = 'x'.repeat(600)
const RESPONSE = enc.encode(`HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY}`)

export interface BulkOptions {
  connections: number
  /** Server port (default 18080). */
  port?: number
  startNs?: bigint
}

/** Writes the capture to `path` and returns the number of packets. */
export function writeBulkHttp(path: string, opts: BulkOptions): number {
  const port = opts.port ?? 18080
  const w = PcapngWriter.toFile(path, { mode: 0o644, autoFlushBytes: 4 << 20, section: { userappl: 'Wirenote bulk generator' } })
  const iface = w.addInterface({ linktype: 1, snaplen: 262144, name: 'lo', tsresol: 9 })
  const lo: L2L3 = { srcMac: '00:00:00:00:00:00', dstMac: '00:00:00:00:00:00', src: '127.0.0.1', dst: '127.0.0.1' }
  let t = opts.startNs ?? 1_763_640_000_000_000_000n
  let packets = 0
  for (let i = 0; i < opts.connections; i++) {
    const cport = 32768 + (i % 28000)
    const c = { ...lo, sport: cport, dport: port }
    const s = { ...lo, sport: port, dport: cport }
    const cisn = (Math.imul(i + 1, 2654435761) >>> 0) ^ 0x4ce45750
    const sisn = (Math.imul(i + 7, 40503) >>> 0) ^ 0x9a3f1c22
    const frames = [
      tcpFrame({ ...c, seq: cisn, ack: 0, flags: TCP.SYN, window: 65495, options: [{ kind: 'mss', value: 65495 }, { kind: 'sackPerm' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] }),
      tcpFrame({ ...s, seq: sisn, ack: cisn + 1, flags: TCP.SYN | TCP.ACK, window: 65483, options: [{ kind: 'mss', value: 65495 }, { kind: 'sackPerm' }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }] }),
      tcpFrame({ ...c, seq: cisn + 1, ack: sisn + 1, flags: TCP.ACK, window: 512 }),
      tcpFrame({ ...c, seq: cisn + 1, ack: sisn + 1, flags: TCP.PSH | TCP.ACK, window: 512, payload: REQUEST }),
      tcpFrame({ ...s, seq: sisn + 1, ack: cisn + 1 + REQUEST.length, flags: TCP.ACK, window: 512 }),
      tcpFrame({ ...s, seq: sisn + 1, ack: cisn + 1 + REQUEST.length, flags: TCP.PSH | TCP.ACK, window: 512, payload: RESPONSE }),
      tcpFrame({ ...c, seq: cisn + 1 + REQUEST.length, ack: sisn + 1 + RESPONSE.length, flags: TCP.ACK, window: 512 }),
      tcpFrame({ ...c, seq: cisn + 1 + REQUEST.length, ack: sisn + 1 + RESPONSE.length, flags: TCP.FIN | TCP.ACK, window: 512 }),
      tcpFrame({ ...s, seq: sisn + 1 + RESPONSE.length, ack: cisn + 2 + REQUEST.length, flags: TCP.FIN | TCP.ACK, window: 512 }),
      tcpFrame({ ...c, seq: cisn + 2 + REQUEST.length, ack: sisn + 2 + RESPONSE.length, flags: TCP.ACK, window: 512 })
    ]
    for (const data of frames) {
      t += 7_000n + BigInt((packets * 37) % 5000)
      w.writePacket({ interfaceId: iface, timestamp: t, data })
      packets++
    }
  }
  w.close()
  return packets
}
