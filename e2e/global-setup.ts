// Makes the ≥ 1M-packet capture the scrolling test opens: synthesised (10-packet loopback HTTP
// fetches) rather than captured, so it takes seconds and needs no root. Reused between runs.
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { writeBulkHttp } from '../src/main/synth/bulk'
import { repoRoot } from './fixtures'

export const BULK_PACKETS = 1_000_000
export const bulkPath = join(repoRoot, 'test-results', 'e2e-data', 'bulk-1m.pcapng')

export default function globalSetup(): void {
  if (existsSync(bulkPath)) return
  mkdirSync(join(repoRoot, 'test-results', 'e2e-data'), { recursive: true })
  const tmp = `${bulkPath}.tmp`
  const n = writeBulkHttp(tmp, { connections: BULK_PACKETS / 10 })
  if (n !== BULK_PACKETS) throw new Error(`bulk capture has ${n} packets, expected ${BULK_PACKETS}`)
  renameSync(tmp, bulkPath)
}
