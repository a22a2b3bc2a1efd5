// Regenerates resources/sample/web-visit.pcapng, the capture a first-time user can open
// without capture rights. Deterministic: same bytes on every run.
//   npx tsx scripts/make-sample.ts
import { fileURLToPath } from 'node:url'
import { PcapngWriter } from '../src/main/capfile/pcapng/writer'
import { webVisit } from '../src/main/synth/web-visit'

const out = fileURLToPath(new URL('../resources/sample/web-visit.pcapng', import.meta.url))
const w = PcapngWriter.toFile(out, { mode: 0o644, section: { userappl: 'Wirenote sample generator (synthetic capture)' } })
const iface = w.addInterface({ linktype: 1, snaplen: 262144, name: 'wlan0', description: 'Sample: a visit to http://example.com/', tsresol: 9 })
for (const p of webVisit()) w.writePacket({ interfaceId: iface, timestamp: p.tsNs, data: p.data, ...(p.comment ? { comments: [p.comment] } : {}) })
w.close()
console.log(`wrote ${out}`)
