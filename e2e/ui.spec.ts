// The UI end to end in Debian's Chromium against `wirenote serve`: open files, scroll a
// million rows, filter (checked against tshark -Y), select fields and see their bytes,
// capture live on lo, switch language.
import { execFileSync } from 'node:child_process'
import { createServer, get, type Server } from 'node:http'
import { join } from 'node:path'
import { corpus, expect, openPath, repoRoot, row, shotPath, test } from './fixtures'
import { BULK_PACKETS, bulkPath } from './global-setup'

const sample = join(repoRoot, 'resources/sample/web-visit.pcapng')

function tsharkCount(file: string, filter: string): number {
  const out = execFileSync('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 })
  return out.split('\n').filter(Boolean).length
}

test('opens a corpus capture and lists every packet', async ({ app }) => {
  const file = join(corpus, 'pcpp-one_http_stream_fin.pcap')
  await openPath(app, file)
  await expect(app.getByTestId('packet-list')).toHaveAttribute('data-total', String(tsharkCount(file, 'frame')))
  await expect(row(app, 1)).toBeVisible()
  await expect(row(app, 1).locator('[data-col="info"]')).toContainText('[SYN]')
  await expect(app.getByTestId('file-name')).toContainText('pcpp-one_http_stream_fin.pcap')
  await app.screenshot({ path: shotPath('open-corpus') })
})

test('scrolls to the last row of a million-packet capture', async ({ app }) => {
  await openPath(app, bulkPath)
  await expect(app.getByTestId('packet-list')).toHaveAttribute('data-total', String(BULK_PACKETS), { timeout: 120_000 })
  await row(app, 1).click()
  await app.keyboard.press('End')
  await expect(row(app, BULK_PACKETS)).toBeVisible()
  await expect(row(app, BULK_PACKETS)).toHaveAttribute('aria-selected', 'true')
  await expect(row(app, BULK_PACKETS).locator('[data-col="info"]')).toContainText('[ACK]')
  await app.screenshot({ path: shotPath('million-rows-end') })
  await app.keyboard.press('Home')
  await expect(row(app, 1)).toBeVisible()
})

test('a display filter gives the row count tshark -Y gives', async ({ app }) => {
  const file = join(corpus, 'pcpp-tls.pcap')
  await openPath(app, file)
  const cases = ['tcp.flags.syn == 1 && tcp.flags.ack == 0', 'tls.handshake.extensions_server_name contains "gstatic"', 'ipv6 || tcp.flags.reset == 1', 'tcp.port in {80, 443} && frame.len > 1000', 'tcp.stream eq 1']
  for (const filter of cases) {
    await app.getByTestId('filter-input').fill(filter)
    await app.getByTestId('filter-input').press('Enter')
    await expect(app.getByTestId('status-displayed'), filter).toHaveAttribute('data-count', String(tsharkCount(file, filter)))
  }
  await app.screenshot({ path: shotPath('filter-applied') })
  // A bad filter: red bar, the position of the error, and the list untouched.
  const before = await app.getByTestId('status-displayed').getAttribute('data-count')
  await app.getByTestId('filter-input').fill('tcp.flags.syn == && ip')
  await app.getByTestId('filter-input').press('Enter')
  await expect(app.getByTestId('filter-bar')).toHaveAttribute('data-state', 'invalid')
  await expect(app.getByTestId('filter-error')).toHaveAttribute('data-pos', '17')
  await expect(app.getByTestId('status-displayed')).toHaveAttribute('data-count', before!)
  await app.screenshot({ path: shotPath('filter-error') })
})

test('selecting the SYN highlights tcp.seq_raw at its bytes', async ({ app }) => {
  await openPath(app, sample)
  await row(app, 3).click()
  await app.locator('[data-testid="tree-node"][data-field="tcp"] [data-testid="tree-toggle"]').click()
  const field = app.locator('[data-testid="tree-node"][data-field="tcp.seq_raw"]')
  await expect(field).toBeVisible()
  await expect(field).toContainText('1290032976')
  await expect(field).toContainText('0x4ce45750')
  await field.click()
  // Ethernet 14 + IPv4 20 + 4 bytes of ports: the raw sequence number is bytes 38..41.
  for (let off = 36; off <= 43; off++) {
    const byte = app.locator(`[data-testid="hex-byte"][data-offset="${off}"]`)
    if (off >= 38 && off <= 41) await expect(byte, `byte ${off}`).toHaveAttribute('data-highlighted', 'true')
    else await expect(byte, `byte ${off}`).not.toHaveAttribute('data-highlighted', 'true')
  }
  const bytes = await app.locator('[data-testid="hex-byte"][data-highlighted="true"]').allTextContents()
  expect(bytes.map((b) => b.trim().toLowerCase())).toEqual(['4c', 'e4', '57', '50'])
  // And back: clicking a byte of the acknowledgment number selects the first field covering it,
  // as Wireshark does (tcp.ack, the relative number, comes before tcp.ack_raw in the tree).
  await app.locator('[data-testid="hex-byte"][data-offset="43"]').click()
  await expect(app.locator('[data-testid="tree-node"][aria-selected="true"]')).toHaveAttribute('data-field', 'tcp.ack')
  await expect(app.locator('[data-testid="hex-byte"][data-highlighted="true"]')).toHaveCount(4)
  await app.screenshot({ path: shotPath('syn-seq-raw') })
})

test('a live capture on lo shows a local HTTP request’s handshake', async ({ app }) => {
  test.skip(process.getuid?.() !== 0, 'skipped: live capture needs root (CI runs as root)')
  const server: Server = createServer((_q, r) => r.end('hello\n'))
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  const port = (server.address() as { port: number }).port
  try {
    await app.getByTestId('capture-iface').selectOption('lo')
    await app.getByTestId('capture-filter').fill(`tcp port ${port}`)
    await app.getByTestId('capture-start').click()
    await expect(app.getByTestId('capture-controls')).toHaveAttribute('data-running', 'true')
    await new Promise<void>((ok, fail) => get(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', () => ok())).on('error', fail))
    await expect(app.locator('[data-testid="packet-row"]').filter({ hasText: '[SYN]' }).first()).toBeVisible()
    await expect(app.locator('[data-testid="packet-row"]').filter({ hasText: '[SYN, ACK]' }).first()).toBeVisible()
    await expect(app.getByTestId('capture-status')).not.toHaveAttribute('data-packets', '0')
    await app.screenshot({ path: shotPath('live-capture') })
    await app.getByTestId('capture-stop').click()
    await expect(app.getByTestId('capture-controls')).not.toHaveAttribute('data-running', 'true')
    const handshake = app.locator('[data-testid="packet-row"][data-color="handshake"]')
    await expect(handshake).toHaveCount(3)
  } finally {
    server.close()
  }
})

test('switches language to Simplified Chinese and back', async ({ app }) => {
  await openPath(app, sample)
  await app.getByTestId('language-switch').selectOption('zh-CN')
  await expect(app.getByTestId('open-button')).toHaveText(/打开/)
  await app.screenshot({ path: shotPath('zh-CN') })
  await app.getByTestId('language-switch').selectOption('en')
  await expect(app.getByTestId('open-button')).toHaveText(/Open/)
})
