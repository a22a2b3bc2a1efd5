// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { useFolders } from './folders'
import { setupEnv } from '../testing/mount'
import { captureName, folderOf, joinPath, parentOf } from '../lib/paths'

describe('folders', () => {
  it('suggests <documents>/<capture>-annotated.pcapng until the user picks a folder this session', async () => {
    setupEnv({ packets: 100, documents: '/home/me/Documents/' })
    const f = useFolders()
    // Before app.info answers: beside the capture.
    expect(f.savePath('/srv/ro/web-visit.pcapng')).toBe('/srv/ro/web-visit-annotated.pcapng')
    await f.load()
    expect(f.savePath('/srv/ro/web-visit.pcapng')).toBe('/home/me/Documents/web-visit-annotated.pcapng')
    expect(f.exportDir('/srv/ro/web-visit.pcap', 3)).toBe('/home/me/Documents/web-visit-stream-3')
    // A capture saved before keeps its name (saving again asks before replacing it).
    expect(f.savePath('/home/me/Documents/web-visit-annotated.pcapng')).toBe('/home/me/Documents/web-visit-annotated.pcapng')
    expect(f.savePath('')).toBe('')

    f.savedTo('/home/me/blog/posts/handshake.pcapng')
    expect(f.savePath('/srv/ro/web-visit.pcapng')).toBe('/home/me/blog/posts/web-visit-annotated.pcapng')
    expect(f.exportDir('/srv/ro/web-visit.pcapng', 0)).toBe('/home/me/blog/posts/web-visit-stream-0')
    f.exportedTo('/home/me/notes/one/')
    expect(f.exportDir('/srv/ro/web-visit.pcapng', 1)).toBe('/home/me/notes/web-visit-stream-1')
  })

  it('keeps Windows paths Windows paths', async () => {
    setupEnv({ packets: 100, documents: 'C:\\Users\\me\\Documents' })
    const f = useFolders()
    await f.load()
    expect(f.savePath('D:\\captures\\web.pcapng')).toBe('C:\\Users\\me\\Documents\\web-annotated.pcapng')
    f.exportedTo('E:\\blog\\note\\')
    expect(f.exportDir('D:\\captures\\web.pcapng', 4)).toBe('E:\\blog\\web-stream-4')
  })

  it('path helpers', () => {
    expect(folderOf('/a/b.pcap')).toBe('/a/')
    expect(folderOf('b.pcap')).toBe('')
    expect(parentOf('/a/b/')).toBe('/a/')
    expect(parentOf('/a')).toBe('/')
    expect(captureName('/a/b.c.PCAPNG')).toBe('b.c')
    expect(joinPath('/a', 'x')).toBe('/a/x')
    expect(joinPath('/', 'x')).toBe('/x')
    expect(joinPath('', 'x')).toBe('x')
  })
})
