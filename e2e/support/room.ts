import { type Browser, expect } from '@playwright/test';
import { socketProtocols } from '@jaillab/protocol';

/**
 * Students who join a workshop over the real socket, as the app does (hello, then workshop-join), from one
 * browser page: a room of 40 on the dashboard at the cost of 40 sockets, not 40 Chromium pages. Each socket says
 * hello without a learner token, so each is a learner of its own. They stay connected (online on the dashboard,
 * with heartbeats) until the context is closed.
 */
export async function joinOverSockets(browser: Browser, baseURL: string, code: string, names: readonly string[]): Promise<{ close(): Promise<void> }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/api/health');
  const joined = await page.evaluate(
    async ({ code, names, protocols }) => {
      const url = `${location.origin.replace(/^http/, 'ws')}/ws`;
      const one = (name: string, i: number) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url, protocols);
          ws.onopen = () => ws.send(JSON.stringify({ type: 'hello' }));
          ws.onerror = () => resolve(`${name}: socket error`);
          ws.onmessage = (e) => {
            if (typeof e.data !== 'string') return;
            const msg = JSON.parse(e.data) as { type: string; requestId?: string; message?: string };
            if (msg.type === 'welcome') ws.send(JSON.stringify({ type: 'workshop-join', requestId: `join-${i}`, code, name }));
            else if (msg.requestId === `join-${i}`) {
              resolve(msg.type === 'workshop-joined' ? 'ok' : `${name}: ${msg.message ?? msg.type}`);
              // The server closes a socket that is silent for 90 s.
              setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'heartbeat' })), 20_000);
            }
          };
        });
      return Promise.all(names.map(one));
    },
    { code, names: [...names], protocols: socketProtocols(null) },
  );
  expect(joined.filter((r) => r !== 'ok')).toEqual([]);
  return { close: () => context.close() };
}
