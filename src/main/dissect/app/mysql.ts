// MySQL (port 3306), by name, plus the one thing that changes how the stream is decoded: a
// client's SSL Request switches the connection to TLS from the next segment on.
import type { PacketContext } from '../context'
import { byTcpPort, CONV_TLS, desegment } from '../transport/ports'
import { nameOnly } from './named'

const mysqlByName = nameOnly('mysql')
const CLIENT_SSL = 0x0800

export function dissectMysql(ctx: PacketContext, off: number, end: number): boolean {
  mysqlByName(ctx, off, end)
  const d = ctx.data
  const t = ctx.tcp
  // SSL Request: 3-byte length 32, sequence 1, capability flags with CLIENT_SSL, sent to the server.
  if (t && t.dstport === 3306 && end - off === 36 && d[off] === 32 && d[off + 1] === 0 && d[off + 2] === 0 && d[off + 3] === 1) {
    const caps = d[off + 4]! | (d[off + 5]! << 8)
    if (caps & CLIENT_SSL) {
      desegment.switchTo = CONV_TLS
      if (ctx.tree) ctx.info = 'Response: SSL Handshake'
    }
  }
  return true
}

byTcpPort.set(3306, dissectMysql)
