import { describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCaptureFile } from '../src/main/capfile/open'
import { PcapngWriter } from '../src/main/capfile/pcapng/writer'

describe('pcapng section comments', () => {
  it('exposes the SHB opt_comment values of each section', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wn-shb-'))
    try {
      const path = join(dir, 'x.pcapng')
      const w = PcapngWriter.toFile(path, { section: { comments: ['标题 title', 'second'], userappl: 'test' } })
      const id = w.addInterface({ linktype: 1 })
      w.writePacket({ interfaceId: id, timestamp: 1n, data: new Uint8Array(14) })
      w.close()
      const r = openCaptureFile(path)
      expect(r.next()).not.toBeNull()
      expect(r.sectionComments).toEqual([['标题 title', 'second']])
      r.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
