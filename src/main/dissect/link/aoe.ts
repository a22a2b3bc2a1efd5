// ATA over Ethernet (EtherType 0x88a2): the common 10-byte header (version, flags, error,
// shelf/slot address, command, tag). Command bodies are not decoded.
import { addLayer, markShort, type PacketContext } from '../context'
import { byEthertype } from '../dispatch'
import { add, addText, defineField, defineProtocol } from '../fields'
import { AOE_CMD_VALS } from './values'

/** Byte ranges of the AoE header. */
const field = { VER_FLAGS: 0, ERROR: 1, MAJOR: 2, MINOR: 4, COMMAND: 5, TAG: 6 } as const
const HEADER_LEN = 10

const hfAoe = defineProtocol('aoe', 'ATAoverEthernet')
const hfVersion = defineField('aoe.version', 'Version', 'uint8', { base: 'dec' })
const hfResponse = defineField('aoe.response', 'Response flag', 'bool', { mask: 0x08, maskBits: 8, tfs: ['Response', 'Request'] })
const hfErrorFlag = defineField('aoe.flags_error', 'Error flag', 'bool', { mask: 0x04, maskBits: 8, tfs: ['Error', 'No error'] })
const hfError = defineField('aoe.error', 'Error', 'uint8', { base: 'dec' })
const hfMajor = defineField('aoe.major', 'Major', 'uint16', { base: 'hex' })
const hfMinor = defineField('aoe.minor', 'Minor', 'uint8', { base: 'hex' })
const hfCmd = defineField('aoe.cmd', 'Command', 'uint8', { base: 'dec', strings: AOE_CMD_VALS })
const hfTag = defineField('aoe.tag', 'Tag', 'uint32', { base: 'hex' })

function dissectAoe(ctx: PacketContext, off: number, end: number): void {
  const root = addLayer(ctx, hfAoe, off, end - off)
  if (!ctx.inErrorPkt) ctx.protocol = 'AoE'
  if (root) root.label = 'ATAoverEthernet'
  if (end - off < HEADER_LEN) {
    markShort(ctx, root, off, HEADER_LEN, end, 'AoE')
    return
  }
  const d = ctx.data
  const vf = d[off + field.VER_FLAGS]
  const cmd = d[off + field.COMMAND]
  const response = (vf & 0x08) !== 0
  if (root) {
    add(root, hfVersion, off, 1, vf >> 4)
    const flags = addText(root, `Flags: ${response ? 'Response' : 'Request'}${vf & 0x04 ? ', Error' : ''}`, off, 1)
    add(flags, hfResponse, off, 1, response)
    add(flags, hfErrorFlag, off, 1, (vf & 0x04) !== 0)
    if (vf & 0x04) add(root, hfError, off + 1, 1, d[off + 1])
    add(root, hfMajor, off + field.MAJOR, 2, ctx.view.getUint16(off + field.MAJOR))
    add(root, hfMinor, off + field.MINOR, 1, d[off + field.MINOR])
    add(root, hfCmd, off + field.COMMAND, 1, cmd)
    add(root, hfTag, off + field.TAG, 4, ctx.view.getUint32(off + field.TAG))
  }
  if (ctx.tree && !ctx.inErrorPkt) ctx.info = `${AOE_CMD_VALS[cmd] ?? `Unknown command<${cmd}>`} ${response ? 'Response' : 'Request'}`
  // Claims the whole payload, so short frames get no padding split off (as tshark shows it).
  ctx.claimedEnd = end
}

byEthertype.set(0x88a2, dissectAoe)
