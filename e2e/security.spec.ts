// A web page the user visits must not be able to drive Wirenote's headless server, even if it
// guesses the port: no token, no connection; a foreign Origin, no connection even with it.
import { createServer, type Server } from 'node:http'
import { expect, test } from './fixtures'

test('a foreign page cannot open the WebSocket, with or without the token', async ({ page, wirenote }) => {
  const evil: Server = createServer((_q, r) => r.setHeader('content-type', 'text/html').end('<!doctype html><title>evil</title>'))
  await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', () => ok()))
  const evilPort = (evil.address() as { port: number }).port
  try {
    await page.goto(`http://127.0.0.1:${evilPort}/`)
    const attempt = (url: string) =>
      page.evaluate(
        (u) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(u)
            ws.onopen = () => resolve('open')
            ws.onerror = () => resolve('refused')
          }),
        url
      )
    expect(await attempt(`ws://127.0.0.1:${wirenote.port}/ws`)).toBe('refused')
    expect(await attempt(`ws://127.0.0.1:${wirenote.port}/ws?token=${wirenote.token}`)).toBe('refused')
  } finally {
    evil.close()
  }
})

test('the app page itself connects with its token', async ({ app }) => {
  // The status bar shows a connection badge only while not connected.
  await expect(app.getByTestId('open-button')).toBeVisible()
  await expect(app.getByTestId('connection-state')).toHaveCount(0)
  await expect(app.getByTestId('no-token')).toHaveCount(0)
})
