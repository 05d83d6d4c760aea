import WebSocket from 'ws';
import { JailLabClient, ServerError } from '../src/client/jaillab-client.js';

/**
 * The student of issue 25, beside the soak's room: from the room's address it
 * holds 64 sockets that say hello and then nothing (reopening any the server
 * closes), guesses join codes, makes new learners in a loop, joins under
 * made-up names and look-alikes of real ones, and saves 128 KiB of code ten
 * times a second. What it was refused is counted, by kind: every refusal is
 * the server holding.
 */
export interface AbuseTally {
  refused: Map<string, number>;
  idleSocketsClosed: number;
  fakeMembers: number;
}

export const newAbuseTally = (): AbuseTally => ({ refused: new Map(), idleSocketsClosed: 0, fakeMembers: 0 });
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function abuse(url: string, code: string, realNames: string[], deadline: number, tally: AbuseTally): Promise<void> {
  const me = await JailLabClient.connect(url);
  const token = me.welcome.learnerToken!;
  const wsUrl = url.replace(/^http/, 'ws') + '/ws';
  const idle = new Set<WebSocket>();
  const openIdle = (): void => {
    const ws = new WebSocket(wsUrl, ['jaillab'], { origin: url });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', learnerToken: token })));
    ws.on('unexpected-response', (_req, res) => {
      bump(tally.refused, `idle socket refused at the door (${res.statusCode})`);
      idle.delete(ws);
    });
    ws.on('close', (c) => {
      if (idle.delete(ws) && c === 1008) tally.idleSocketsClosed++;
    });
    ws.on('error', () => idle.delete(ws));
    idle.add(ws);
  };
  const fakeNames = [...realNames.slice(0, 5).flatMap((n) => [n.replace('o', '\u043E'), `${n}\u200B`, n.toUpperCase()]), ...Array.from({ length: 40 }, (_, i) => `Made Up ${i}`)];
  let round = 0;
  while (Date.now() < deadline) {
    round++;
    // Keep 64 sockets open doing nothing.
    while (idle.size < 64) openIdle();
    // Guess codes.
    for (let i = 0; i < 20; i++) {
      const guess = Array.from({ length: 6 }, () => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 31)]).join('');
      await me.request({ type: 'workshop-join', code: guess, name: 'Eve' }, 'workshop-joined').catch((e: Error) => bump(tally.refused, `join guess: ${e instanceof ServerError ? e.code : e.message}`));
    }
    // New learners in a loop.
    for (let i = 0; i < 5; i++) {
      await JailLabClient.connect(url).then(
        (c) => c.close(),
        (e: Error) => bump(tally.refused, `new learner: ${e instanceof ServerError ? e.code : e.message.slice(0, 40)}`),
      );
    }
    // Made-up members, one a round, each from a fresh learner (the real thing would need as many browsers).
    const name = fakeNames[round % fakeNames.length]!;
    await JailLabClient.connect(url)
      .then(async (c) => {
        try {
          await c.request({ type: 'workshop-join', code, name }, 'workshop-joined');
          tally.fakeMembers++;
        } finally {
          c.close();
        }
      })
      .catch((e: Error) => bump(tally.refused, `made-up member: ${e instanceof ServerError ? e.code : e.message.slice(0, 40)}`));
    // A flood of big saves.
    for (let i = 0; i < 10; i++) me.sendRaw(JSON.stringify({ type: 'code-save', lessonId: 'first-jail/a-jail-that-leaks', code: { source: `/* ${round}.${i} */` + 'x'.repeat(128 << 10), editedAt: Date.now() } }));
    await sleep(1000);
  }
  for (const ws of idle) ws.terminate();
  me.close();
}
