import { request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { OUTPUT_HIGH_WATER_BYTES, type ServerMessage } from '@jaillab/protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JailLabClient } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution, programThat } from '../../test/lesson-sources.js';
import { RawSocket } from '../../test/raw-socket.js';
import { generateMessage, prng } from '../../test/fuzz-messages.js';
import { startOwnServer } from '../../test/own-server.js';
import { MAX_SOCKETS_PER_ADDRESS } from './socket-gate.js';
import { RUNS_PER_LEARNER } from './run-rate-limits.js';

/**
 * The socket under attack, on a server in this process (so these tests can
 * fill one address's socket quota without starving the other test files, and
 * can measure the server's memory). socket-api.vm.test.ts covers the simple
 * bad messages; this file covers floods, quotas, backpressure and a fuzzer.
 */
let server: Awaited<ReturnType<typeof startOwnServer>>;
beforeAll(async () => {
  server = await startOwnServer();
});
afterAll(async () => {
  await server?.stop();
});

type ErrorMessage = Extract<ServerMessage, { type: 'error' }>;
type RunEventMessage = Extract<ServerMessage, { type: 'run-event' }>;
const isWelcome = (m: ServerMessage): m is Extract<ServerMessage, { type: 'welcome' }> => m.type === 'welcome';

async function stillServes(): Promise<void> {
  const c = await JailLabClient.connect(server.url);
  expect(c.welcome.learnerId).toMatch(/^l_/);
  c.close();
}

function upgradeStatus(origin: string): Promise<number> {
  const ws = new WebSocket(server.url.replace(/^http/, 'ws') + '/ws', { origin });
  return new Promise<number>((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => {});
  });
}

/** The server learns of a closed socket a moment after the client does: ask the door until it opens (or give up). */
async function doorOpens(): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if ((await upgradeStatus(server.url)) === 101) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('a hostile socket', () => {
  it('thousands of messages a second from one socket: told to slow down, then cut off; everyone else is served', async () => {
    const s = await RawSocket.open(server.url);
    s.send({ type: 'hello' });
    await s.next(isWelcome);
    for (let i = 0; i < 5000; i++) s.send({ type: 'ack', bytes: 1 });
    expect((await s.next((m): m is ErrorMessage => m.type === 'error' && m.code === 'rate-limited')).message).toMatch(/slow down/);
    expect(await s.closed).toMatchObject({ code: 1008, reason: 'too many messages' });
    await stillServes();
  });

  it('many sockets from one address: the quota holds, and frees up as they close', async () => {
    // Sockets count against their address once they say who they are (a workshop's students count per student).
    const sockets = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_ADDRESS }, () => RawSocket.open(server.url)));
    for (const s of sockets) s.send({ type: 'hello' });
    await Promise.all(sockets.map((s) => s.next(isWelcome)));
    expect(await upgradeStatus(server.url)).toBe(403);
    const last = sockets.pop()!;
    last.close();
    await last.closed;
    expect(await doorOpens()).toBe(true);
    for (const s of sockets) s.close();
    await Promise.all(sockets.map((s) => s.closed));
    expect(await doorOpens()).toBe(true);
  });

  it('issue 25 #1 over real sockets: with 64 idle sockets from this address, a member and the instructor get in with their door passes', async () => {
    const teacher = await JailLabClient.connect(server.url, { instructorToken: 'own-server-instructor-token-0123' });
    expect(teacher.welcome.doorPass).toMatch(/^i\./);
    const { workshop } = await teacher.request({ type: 'workshop-create', title: 'Door', lessonIds: [FIRST_LESSON] }, 'workshop-created');
    const ada = await JailLabClient.connect(server.url);
    const joined = await ada.request({ type: 'workshop-join', code: workshop.code, name: 'Ada' }, 'workshop-joined');
    ada.close();
    teacher.close();
    const attacker = await JailLabClient.connect(server.url);
    const idle = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_ADDRESS - 1 }, () => RawSocket.open(server.url)));
    for (const s of idle) s.send({ type: 'hello', learnerToken: attacker.welcome.learnerToken });
    await Promise.all(idle.map((s) => s.next(isWelcome)));
    expect(await upgradeStatus(server.url)).toBe(403);
    // The pass rides as a subprotocol; the server picks "jaillab" and counts the socket against its member.
    const adaAgain = await JailLabClient.connect(server.url, { learnerToken: ada.welcome.learnerToken!, doorPass: joined.doorPass! });
    expect(adaAgain.welcome.learnerId).toBe(ada.welcome.learnerId);
    expect(adaAgain.welcome.doorPass).toBe(joined.doorPass);
    const teacherAgain = await JailLabClient.connect(server.url, { instructorToken: 'own-server-instructor-token-0123', doorPass: teacher.welcome.doorPass! });
    expect(teacherAgain.welcome.instructor).toBe(true);
    for (const c of [attacker, adaAgain, teacherAgain, ...idle]) c.close();
    expect(await doorOpens()).toBe(true);
  });

  it('issue 25 #8 over real HTTP: a rebinding Host is refused at the page and the socket; a bad percent-encoding is a 400', async () => {
    const { port } = new URL(server.url);
    const status = (path: string, host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status('/api/health', `127.0.0.1:${port}`)).toBe(200);
    expect(await status('/api/health', `rebind.attacker.example:${port}`)).toBe(421);
    expect(await status('/%E0%A4%A', `127.0.0.1:${port}`)).toBe(400);
    expect(await status('/api/lessons/%E0%A4%A', `127.0.0.1:${port}`)).toBe(400);
    const rebound = new WebSocket(server.url.replace(/^http/, 'ws') + '/ws', { headers: { host: `rebind.attacker.example:${port}` }, origin: `http://rebind.attacker.example:${port}` });
    expect(await new Promise<number>((resolve) => rebound.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).on('open', () => resolve(101)).on('error', () => {}))).toBe(403);
  });

  it('a text frame that is not UTF-8 closes that socket (1007) and nothing else', async () => {
    const s = await RawSocket.open(server.url);
    s.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await s.closed).code).toBe(1007);
    await stillServes();
  });

  it('a foreign Origin is refused at the door, a same-origin one let in', async () => {
    expect(await upgradeStatus('https://evil.example')).toBe(403);
    expect(await upgradeStatus('null')).toBe(403);
    expect(await upgradeStatus(server.url)).toBe(101);
  });

  it('a reader that never acknowledges output holds the server to the high-water mark; acks release the rest', async () => {
    const slow = await RawSocket.open(server.url);
    slow.send({ type: 'hello' });
    const welcome = await slow.next(isWelcome);
    let received = 0;
    slow.ws.on('message', (d: Buffer, isBinary) => {
      if (isBinary) received += d.byteLength - 8;
    });
    // 300 KB per check: each of the two checks hits the 256 KiB output limit, 512 KiB in all.
    slow.send({ type: 'run', requestId: 'slow', lessonId: FIRST_LESSON, source: programThat('for (int i = 0; i < 3000; i++) printf("%099d\\n", i);') });
    const accepted = await slow.next((m): m is Extract<ServerMessage, { type: 'run-accepted' }> => m.type === 'run-accepted');
    // A second tab of the same learner, which does acknowledge, tells us when the run is over.
    const watcher = await JailLabClient.connect(server.url, { learnerToken: welcome.learnerToken! });
    const watched = await new Promise<number>((resolve) => {
      let total = 0;
      watcher.sendRaw(JSON.stringify({ type: 'watch', requestId: 'w', runId: accepted.runId }));
      watcher['ws'].on('message', (d: Buffer, isBinary: boolean) => {
        if (isBinary) total += d.byteLength - 8;
        else if (/"type":"finished"/.test(d.toString())) resolve(total);
      });
    });
    expect(watched).toBeGreaterThan(2 * OUTPUT_HIGH_WATER_BYTES - 4096);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(OUTPUT_HIGH_WATER_BYTES + (64 << 10));
    expect(slow['inbox'].some((m: ServerMessage) => m.type === 'run-event' && m.event.type === 'finished')).toBe(false);
    // Acknowledge, little by little, and the rest arrives, the finish last.
    const acker = setInterval(() => slow.send({ type: 'ack', bytes: 64 << 10 }), 5);
    const finished = await slow.next((m): m is RunEventMessage => m.type === 'run-event' && m.event.type === 'finished');
    clearInterval(acker);
    expect(finished.event.type).toBe('finished');
    expect(received).toBe(watched);
    watcher.close();
    slow.close();
  });

  it('a client that acknowledges every small frame of a live run is never stalled by the message limit', async () => {
    // Hundreds of 1 KiB writes, spaced so each becomes its own frame and its own ack: far more acks than the
    // socket's message burst. Were acks charged like other messages, the dropped ones would leave the stream
    // paused at the high-water mark and the run would never be seen to finish.
    const c = await JailLabClient.connect(server.url);
    const r = await c.run(FIRST_LESSON, programThat("char line[1024]; memset(line, 'x', sizeof line - 1); line[sizeof line - 1] = '\\n'; for (int i = 0; i < 300; i++) { write(1, line, sizeof line); usleep(2000); }"));
    const total = [...r.output.values()].reduce((n, b) => n + b.byteLength, 0);
    expect(total).toBeGreaterThan(2 * OUTPUT_HIGH_WATER_BYTES - 4096);
    c.close();
  }, 60_000);

  it('starting runs as fast as one can: the learner is rate-limited across sockets, with the wait in words', async () => {
    const a = await JailLabClient.connect(server.url);
    const b = await RawSocket.open(server.url);
    b.send({ type: 'hello', learnerToken: a.welcome.learnerToken });
    await b.next(isWelcome);
    const broken = 'int main(void) { return missing; }'; // fails to compile: cheap, and no VM is kept
    for (let i = 0; i < RUNS_PER_LEARNER.burst; i++) b.send({ type: 'run', requestId: `r${i}`, lessonId: FIRST_LESSON, source: broken });
    b.send({ type: 'run', requestId: 'one-too-many', lessonId: FIRST_LESSON, source: broken });
    const refused = await b.next((m): m is ErrorMessage => m.type === 'error' && m.requestId === 'one-too-many');
    expect(refused).toMatchObject({ code: 'rate-limited', message: expect.stringMatching(/faster than they can finish: try again in \d+ s/) });
    // The same learner on its other socket is limited too; a different learner is not.
    await expect(a.run(FIRST_LESSON, broken)).rejects.toMatchObject({ code: 'rate-limited' });
    const other = await JailLabClient.connect(server.url);
    expect((await other.run(FIRST_LESSON, broken)).finished.outcome).toBe('compile-error');
    for (const c of [a, b, other]) c.close();
  });

  it('a fuzzer sending thousands of generated messages over many sockets neither crashes the server nor makes it leak', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAfterGc = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const round = async (seed: number): Promise<number> => {
      const rand = prng(seed);
      const sockets = await Promise.all(Array.from({ length: 16 }, () => RawSocket.open(server.url)));
      let sent = 0;
      for (let burst = 0; burst < 25; burst++) {
        for (const s of sockets) {
          if (s.ws.readyState !== WebSocket.OPEN) continue;
          for (let i = 0; i < 10; i++, sent++) s.send(generateMessage(rand, FIRST_LESSON));
        }
        await new Promise((r) => setTimeout(r, 40)); // ~4000 messages a second in all
      }
      // Every reply was a valid server message (RawSocket parses each with the schema and would have thrown).
      for (const s of sockets) s.close();
      await Promise.all(sockets.map((s) => s.closed));
      return sent;
    };
    await round(1); // warm-up: code paths compiled, caches filled
    const before = heapAfterGc();
    let sent = 0;
    for (let seed = 2; seed < 6; seed++) sent += await round(seed);
    const grown = heapAfterGc() - before;
    expect(sent).toBeGreaterThan(10_000);
    expect(grown).toBeLessThan(24 << 20);
    await stillServes();
    const good = await JailLabClient.connect(server.url);
    expect((await good.run(FIRST_LESSON, firstSolution())).finished.outcome).toBe('passed');
    good.close();
  });
});
