// Annotate two packets in the UI, save them into a pcapng (tshark reads the notes back) and
// export the blog note folder.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, openPath, repoRoot, row, shotPath, test } from './fixtures'

const sample = join(repoRoot, 'resources/sample/web-visit.pcapng')

test('annotate two packets, save, and export a note folder', async ({ app }) => {
  await openPath(app, sample)
  await app.getByTestId('tab-notes').click()
  await app.getByTestId('note-title').fill('What happens when I open example.com')
  await app.getByTestId('note-intro').fill('A capture of one page load, explained.')

  // Step 1: the SYN, with its raw sequence number highlighted.
  await row(app, 3).click()
  // Wireshark remembers which subtrees are open: opening TCP once keeps it open for the next packet.
  await app.locator('[data-testid="tree-node"][data-field="tcp"] [data-testid="tree-toggle"]').click()
  await app.getByTestId('note-step').fill('Step 1: SYN')
  await app.getByTestId('note-text').fill('The client picks its ISN: **Seq = x**.')
  const seqRaw = app.locator('[data-testid="tree-node"][data-field="tcp.seq_raw"]')
  await seqRaw.locator('[data-testid="tree-highlight"]').check()
  await expect(app.locator('[data-testid="note-highlight"][data-field="tcp.seq_raw"]')).toBeVisible()

  // Step 2: the SYN-ACK, acknowledging x + 1.
  await row(app, 4).click()
  await app.getByTestId('note-step').fill('Step 2: SYN-ACK')
  await app.getByTestId('note-text').fill('The server answers with Ack = x + 1 and its own ISN y.')
  await app.locator('[data-testid="tree-node"][data-field="tcp.ack_raw"] [data-testid="tree-highlight"]').check()

  await expect(app.locator('[data-testid="annotated-packet"]')).toHaveCount(2)
  await expect(row(app, 3)).toHaveAttribute('data-annotated', 'true')
  await expect(app.getByTestId('note-save-state')).toHaveAttribute('data-state', 'saved')
  await app.screenshot({ path: shotPath('notes') })

  // Save as pcapng: Wireshark's tools see the notes as packet comments.
  const dir = mkdtempSync(join(tmpdir(), 'wirenote-e2e-notes-'))
  const saved = join(dir, 'annotated.pcapng')
  await app.getByTestId('open-button').click()
  await app.getByTestId('save-path').fill(saved)
  await app.getByTestId('save-submit').click()
  await expect.poll(() => existsSync(saved)).toBe(true)
  const comments = execFileSync('tshark', ['-r', saved, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment', '-Y', 'frame.comment'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  expect(comments).toMatch(/^3\tStep 1: SYN/m)
  expect(comments).toMatch(/^4\tStep 2: SYN-ACK/m)
  await app.keyboard.press('Escape')

  // Export the note of stream 0 (the HTTP connection).
  const out = join(dir, 'note')
  await app.getByTestId('tab-streams').click()
  await app.locator('[data-testid="stream-row"][data-stream="0"] [data-testid="stream-export"]').click()
  await app.getByTestId('export-outdir').fill(out)
  await app.getByTestId('export-run').click()
  await expect(app.getByTestId('export-result')).toBeVisible({ timeout: 60_000 })
  await app.screenshot({ path: shotPath('export-done') })

  const md = readFileSync(join(out, 'note.md'), 'utf8')
  expect(md).toContain('What happens when I open example.com')
  expect(md).toContain('Step 1: SYN')
  expect(md).toContain('Step 2: SYN-ACK')
  expect(md).toContain('0x4ce45750')
  expect(md).toMatch(/Ack 0x4ce45751 = Seq 0x4ce45750 \+ 1 ✓/)
  const assets = readdirSync(join(out, 'assets'))
  expect(assets).toEqual(expect.arrayContaining(['diagram.png', 'diagram.svg', 'packet-3.png', 'packet-4.png']))
  for (const png of assets.filter((a) => a.endsWith('.png'))) expect(statSync(join(out, 'assets', png)).size).toBeGreaterThan(5000)
  // Every image the note links to exists.
  for (const m of md.matchAll(/\]\((assets\/[^)]+)\)/g)) expect(existsSync(join(out, m[1]!)), m[1]).toBe(true)
})
