// The capture-file API the rest of the main process uses.
export { openCaptureFile, type OpenOptions } from './open'
export { PacketFile, type PacketSpan } from './random-access'
export { formatTimeEpoch } from './time'
export { maxCaplenFor, MAX_PACKET_STANDARD } from './limits'
export * from './types'
