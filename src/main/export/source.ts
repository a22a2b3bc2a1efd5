// What the note exporter needs from the open capture. The session implements it; tests use a
// fixture. Methods may be sync or async.
import type { FileAnnotations, PacketDetails, StreamDetail } from '../../shared/contract'

export interface NoteSource {
  /** The capture's file name without its directory ("visit.pcapng"), shown in the note. */
  readonly fileName: string
  /** All packets of a TCP stream (as `stream.packets` returns them; `truncated` when cut). */
  streamDetail(stream: number): StreamDetail | Promise<StreamDetail>
  /** The details tree and bytes of one frame (as `packet.details` returns them). */
  packetDetails(no: number): PacketDetails | Promise<PacketDetails>
  /** The Info column of a frame; used for annotated frames outside the exported stream. */
  packetSummary(no: number): string | Promise<string>
  /** The file's annotations (title, intro, per-packet notes). */
  annotations(): FileAnnotations | Promise<FileAnnotations>
}
