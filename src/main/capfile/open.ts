// Opens a capture file and picks its reader by the magic number, never by the file name.
import { PcapReader, pcapVariant } from './pcap/reader'
import { BT_SHB, PcapngReader } from './pcapng/reader'
import { DEFAULT_BUFFER_SIZE, FileSource } from './source'
import { CaptureFileError, type CaptureReader } from './types'

export interface OpenOptions {
  /**
   * Tail a file that is still being written (a live capture's spool): at the end of the data,
   * next() returns null without an error and a later call picks up what was appended.
   * Call stopFollowing() once the writer is done so a partial tail becomes a truncation error.
   */
  follow?: boolean
  /** Size of the read buffer in bytes (default 1 MiB); it grows only to fit one larger block. */
  bufferSize?: number
}

function hex4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')
}

/**
 * Opens `path` for sequential reading. Throws CaptureFileError only here: 'io' (cannot open or
 * read, with the OS reason), 'empty-file', 'truncated-header' (fewer than 4 bytes) or
 * 'unknown-format'. Faults inside the file are reported through the reader's `error`.
 */
export function openCaptureFile(path: string, opts: OpenOptions = {}): CaptureReader {
  const src = new FileSource(path, opts.bufferSize ?? DEFAULT_BUFFER_SIZE)
  try {
    if (src.size === 0) throw new CaptureFileError('empty-file', 0, `Empty file: "${path}" has 0 bytes, so it holds no capture`)
    const i = src.fetch(0, 4)
    if (i < 0) {
      throw new CaptureFileError(
        'truncated-header',
        0,
        `File cut short before its magic number: "${path}" has only ${src.size} byte${src.size === 1 ? '' : 's'}, a capture file starts with 4`
      )
    }
    const magic = src.view.getUint32(i, true)
    const follow = opts.follow === true
    if (magic === BT_SHB) return new PcapngReader(src, follow)
    if (pcapVariant(magic)) return new PcapReader(src, follow)
    throw new CaptureFileError(
      'unknown-format',
      0,
      `Not a pcap or pcapng file: "${path}" starts with the bytes ${hex4(src.buf.subarray(i))}, expected a pcap magic number (d4 c3 b2 a1, 4d 3c b2 a1, 34 cd b2 a1 or their big-endian forms) or a pcapng Section Header Block (0a 0d 0d 0a)`
    )
  } catch (err) {
    src.close()
    throw err
  }
}
