import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { StreamDetail, StreamPacket } from '../src/shared/contract'
import { formatCheck, handshakeChecks, seqDiff, teardownChecks } from '../src/shared/diagram/checks'
import { flagsText, formatEndpoint, hex32, segmentLabel } from '../src/shared/diagram/format'
import { layoutDiagram, type DiagramLayout, type DiagramText } from '../src/shared/diagram/layout'
import { MONO_EM, measureEm, splitRuns } from '../src/shared/diagram/text'

const fixture = JSON.parse(readFileSync(new URL('./golden/stream-fin.fixture.json', import.meta.url), 'utf8')) as { stream: StreamDetail }
const stream = fixture.stream
const base = { seqFormat: 'hex', wholeStream: false, textbook: false, lang: 'en' } as const

function allTexts(l: DiagramLayout): DiagramText[] {
  const out = [l.title, l.timeHeader, ...l.legend]
  for (const lane of l.lanes) out.push(lane.roleText, lane.addrText)
  for (const a of l.arrows) {
    out.push(a.label, a.time, a.frame)
    if (a.symbol) out.push(a.symbol)
    if (a.markText) out.push(a.markText)
    if (a.badge) out.push(a.badge.text)
  }
  return out
}

function packet(p: Partial<StreamPacket> & Pick<StreamPacket, 'no'>): StreamPacket {
  return {
    time: 0, rel: 0, fromClient: true, flags: 0x10, seqRaw: 0, ackRaw: 0, seqRel: 0, ackRel: 0, len: 0, window: 0,
    handshakeStep: 0, retransmission: false, dupAck: false, info: '', ...p
  }
}

describe('formatting', () => {
  it('writes flags, sequence numbers and endpoints the way Wireshark does', () => {
    expect(flagsText(0x012)).toBe('SYN, ACK')
    expect(flagsText(0x019)).toBe('FIN, PSH, ACK')
    expect(flagsText(0)).toBe('<none>')
    expect(hex32(0x4ce45750)).toBe('0x4ce45750')
    expect(hex32(-1)).toBe('0xffffffff')
    expect(formatEndpoint({ addr: '2001:db8::1', port: 443 })).toBe('[2001:db8::1]:443')
    expect(formatEndpoint({ addr: '10.0.0.1', port: 80 })).toBe('10.0.0.1:80')
    const [syn, synAck, , data] = stream.packets
    expect(segmentLabel(syn!, 'hex')).toBe('[SYN] Seq=0xeed85694')
    expect(segmentLabel(synAck!, 'dec')).toBe('[SYN, ACK] Seq=2448902872 Ack=4007155349')
    expect(segmentLabel(synAck!, 'relative')).toBe('[SYN, ACK] Seq=0 Ack=1')
    expect(segmentLabel(data!, 'relative')).toBe('[PSH, ACK] Seq=1 Ack=1 Len=367')
  })
})

describe('checks', () => {
  it('confirms the handshake rule on the corpus capture', () => {
    const checks = handshakeChecks(stream)
    expect(checks.map((c) => [c.id, c.no, c.refNo, c.ok])).toEqual([
      ['synack-acks-syn', 2, 1, true],
      ['ack-seq-follows-syn', 3, 1, true],
      ['ack-acks-synack', 3, 2, true]
    ])
    expect(formatCheck(checks[0]!, 'hex')).toBe('Ack 0xeed85695 = Seq 0xeed85694 + 1 ✓')
    expect(formatCheck(checks[2]!, 'dec')).toBe('Ack 2448902873 = Seq 2448902872 + 1 ✓')
  })

  it('writes the difference when the rule does not hold, across the 2^32 wrap', () => {
    const bad: StreamDetail = {
      ...stream,
      packets: [
        packet({ no: 1, flags: 0x002, seqRaw: 0xffffffff, handshakeStep: 1 }),
        packet({ no: 2, fromClient: false, flags: 0x012, seqRaw: 7, ackRaw: 4, handshakeStep: 2 }),
        packet({ no: 3, flags: 0x010, seqRaw: 0, ackRaw: 8, handshakeStep: 3 })
      ]
    }
    const [a, b, c] = handshakeChecks(bad)
    expect(a!.ok).toBe(false)
    expect(a!.diff).toBe(4)
    expect(formatCheck(a!, 'hex')).toBe('Ack 0x00000004 ≠ Seq 0xffffffff + 1 ✗ (Δ = +4)')
    expect(b!.ok).toBe(true) // 0xffffffff + 1 wraps to 0
    expect(c!.ok).toBe(true)
    expect(seqDiff(0, 0xffffffff)).toBe(1)
    expect(seqDiff(0xfffffffe, 1)).toBe(-3)
  })

  it('checks that each FIN is acknowledged (Seq + Len + 1)', () => {
    const checks = teardownChecks(stream)
    expect(checks.map((c) => [c.no, c.refNo, c.ok, c.plus])).toEqual([
      [13, 10, true, 1],
      [15, 14, true, 1]
    ])
    const cut: StreamDetail = { ...stream, packets: stream.packets.slice(0, 10) }
    const [unanswered] = teardownChecks(cut)
    expect(unanswered).toMatchObject({ no: null, refNo: 10, ok: false, diff: null })
    expect(formatCheck(unanswered!, 'hex')).toBe('Ack ? = Seq 0x91f758b6 + 1 ✗')
  })
})

describe('layout', () => {
  it('draws the handshake only by default, steps 1/2/3, arrows between the lanes', () => {
    const l = layoutDiagram(stream, base)
    expect(l.arrows.map((a) => [a.no, a.step, a.fromClient])).toEqual([
      [1, 1, true],
      [2, 2, false],
      [3, 3, true]
    ])
    const [client, server] = l.lanes
    expect(client.endpoint).toBe('192.168.1.2:49486')
    expect(server.endpoint).toBe('77.67.44.206:80')
    expect(client.x).toBeLessThan(server.x)
    for (const a of l.arrows) {
      const from = a.fromClient ? client.x : server.x
      const to = a.fromClient ? server.x : client.x
      expect(a.shaft.x1).toBe(from)
      expect(a.head[0].x).toBe(to)
      // Later packets lower down; each arrow slants down (it takes time to arrive).
      expect(a.head[0].y).toBeGreaterThan(a.shaft.y1)
      expect(a.badge?.text.text).toBe(String(a.step))
      expect(a.classes).toContain('handshake')
    }
    expect(l.arrows[0]!.shaft.y1).toBeLessThan(l.arrows[1]!.shaft.y1)
    expect(l.arrows[1]!.shaft.y1).toBeLessThan(l.arrows[2]!.shaft.y1)
    expect(l.arrows.map((a) => a.label.text)).toEqual([
      '[SYN] Seq=0xeed85694',
      '[SYN, ACK] Seq=0x91f74ad8 Ack=0xeed85695',
      '[ACK] Seq=0xeed85695 Ack=0x91f74ad9'
    ])
    expect(l.arrows.map((a) => a.time.text)).toEqual(['0.000000', '0.167499', '0.168897'])
    expect(l.arrows.map((a) => a.frame.text)).toEqual(['No. 1', 'No. 2', 'No. 3'])
    expect(l.arrows.every((a) => a.symbol === undefined)).toBe(true)
  })

  it('keeps every text inside the image and labels between the lanes', () => {
    for (const opts of [base, { ...base, wholeStream: true, textbook: true, lang: 'zh-CN' as const }]) {
      const l = layoutDiagram(stream, opts)
      for (const t of allTexts(l)) {
        const left = t.runs[0]!.x
        const right = t.runs.reduce((m, r) => Math.max(m, r.x + r.width), 0)
        expect(left).toBeGreaterThanOrEqual(0)
        expect(right).toBeLessThanOrEqual(l.width)
        expect(t.y).toBeLessThanOrEqual(l.height)
      }
      for (const a of l.arrows) {
        expect(a.label.runs[0]!.x).toBeGreaterThan(l.lanes[0].x)
        expect(a.label.x + a.label.width / 2).toBeLessThan(l.lanes[1].x)
      }
    }
  })

  it('formats Seq/Ack raw hex, raw decimal or relative', () => {
    const label = (seqFormat: 'hex' | 'dec' | 'relative') => layoutDiagram(stream, { ...base, seqFormat }).arrows[1]!.label.text
    expect(label('hex')).toBe('[SYN, ACK] Seq=0x91f74ad8 Ack=0xeed85695')
    expect(label('dec')).toBe('[SYN, ACK] Seq=2448902872 Ack=4007155349')
    expect(label('relative')).toBe('[SYN, ACK] Seq=0 Ack=1')
  })

  it('textbook mode writes the symbols under the real values and says what x and y are', () => {
    const l = layoutDiagram(stream, { ...base, seqFormat: 'relative', textbook: true })
    expect(l.arrows.map((a) => a.symbol?.text)).toEqual(['Seq=x', 'Seq=y, Ack=x+1', 'Seq=x+1, Ack=y+1'])
    for (const a of l.arrows) expect(a.symbol!.y).toBeGreaterThan(a.label.y)
    // Relative numbers would make x = 0: the legend gives the real initial sequence numbers.
    expect(l.legend.map((t) => t.text)).toEqual(["x = 0xeed85694 (client's initial sequence number)", "y = 0x91f74ad8 (server's initial sequence number)"])
    const zh = layoutDiagram(stream, { ...base, seqFormat: 'dec', textbook: true, lang: 'zh-CN' })
    expect(zh.legend[0]!.text).toBe('x = 4007155348（客户端初始序号）')
    expect(zh.lanes.map((l) => l.roleText.text)).toEqual(['客户端', '服务器'])
  })

  it('whole stream: data, teardown, retransmissions and duplicate ACKs marked', () => {
    const l = layoutDiagram(stream, { ...base, wholeStream: true })
    expect(l.arrows).toHaveLength(15)
    expect(l.arrows.map((a) => a.kind)).toEqual(['syn', 'syn-ack', 'ack', 'data', 'ack', 'data', 'data', 'data', 'data', 'fin', 'ack', 'ack', 'ack', 'fin', 'ack'])
    const marked: StreamDetail = {
      ...stream,
      packets: stream.packets.map((p) => (p.no === 8 ? { ...p, retransmission: true } : p.no === 12 ? { ...p, dupAck: true } : p.no === 15 ? { ...p, flags: 0x004 } : p))
    }
    const m = layoutDiagram(marked, { ...base, wholeStream: true })
    const eight = m.arrows.find((a) => a.no === 8)!
    expect(eight.marks).toEqual(['retransmission'])
    expect(eight.classes).toEqual(['arrow', 'data', 'retransmission'])
    expect(eight.markText?.text).toBe('retransmission')
    expect(m.arrows.find((a) => a.no === 12)!.markText?.text).toBe('duplicate ACK')
    expect(m.arrows.find((a) => a.no === 15)!.kind).toBe('rst')
    // A marked row is taller (its mark goes under the arrow).
    const gap = (no: number) => m.arrows[no]!.shaft.y1 - m.arrows[no - 1]!.shaft.y1
    expect(gap(8)).toBeGreaterThan(gap(7))
  })

  it('says when the stream has no handshake or was cut', () => {
    const noHs: StreamDetail = { ...stream, handshake: 'none', packets: stream.packets.slice(3).map((p) => ({ ...p, handshakeStep: 0 })) }
    const l = layoutDiagram(noHs, base)
    expect(l.arrows).toHaveLength(0)
    expect(l.legend.map((t) => t.cls)).toEqual(['notice'])
    const cut = layoutDiagram(stream, { ...base, wholeStream: true, maxPackets: 5 })
    expect(cut.arrows).toHaveLength(5)
    expect(cut.legend.at(-1)!.text).toBe('Only the first 5 packets of the stream are shown.')
  })

  it('puts IPv6 addresses in brackets and sizes the lanes to them', () => {
    const v6: StreamDetail = { ...stream, client: { addr: '2001:db8:85a3::8a2e:370:7334', port: 50000 }, server: { addr: 'fe80::1', port: 443 } }
    const l = layoutDiagram(v6, base)
    expect(l.lanes[0].addrText.text).toBe('[2001:db8:85a3::8a2e:370:7334]:50000')
    expect(l.lanes[0].box.width).toBeGreaterThan(l.lanes[0].addrText.width)
    expect(l.lanes[0].box.x).toBeGreaterThan(l.timeHeader.x + l.timeHeader.width)
  })

  it('splits text into mono and CJK runs with exact widths', () => {
    expect(measureEm('Seq')).toBeCloseTo(3 * MONO_EM)
    const runs = splitRuns('时间 (s)', 10, 12)
    expect(runs.map((r) => [r.font, r.text])).toEqual([
      ['cjk', '时间'],
      ['mono', ' (s)']
    ])
    expect(runs[1]!.x).toBeCloseTo(10 + 24)
    expect(splitRuns('a😀b', 0, 10).map((r) => r.font)).toEqual(['mono', 'other', 'mono'])
  })

  it('is deterministic JSON (the renderer receives it over the contract)', () => {
    const l = layoutDiagram(stream, { ...base, wholeStream: true, textbook: true })
    expect(JSON.parse(JSON.stringify(l))).toEqual(l)
  })
})
