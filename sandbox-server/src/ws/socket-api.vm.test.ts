import { MAX_SOURCE_BYTES, MAX_TEXT_MESSAGE_BYTES, type ServerMessage } from '@jaillab/protocol';
import WebSocket from 'ws';
import { describe, expect, inject, it } from 'vitest';
import { JailLabClient, ServerError } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution, programThat } from '../../test/lesson-sources.js';
import { RawSocket } from '../../test/raw-socket.js';

const url = (): string => inject('serverUrl');
type Welcome = Extract<ServerMessage, { type: 'welcome' }>;
const isWelcome = (m: ServerMessage): m is Welcome => m.type === 'welcome';

describe('the socket API with bad input', () => {
  it('answers malformed, unknown, binary and out-of-order messages with errors and keeps the socket', async () => {
    const s = await RawSocket.open(url());
    s.send({ type: 'run', requestId: 'early', lessonId: FIRST_LESSON, source: '' });
    expect(await s.error()).toMatchObject({ code: 'not-hello' });
    s.send('{"type": "hello"'); // cut short
    expect(await s.error()).toMatchObject({ code: 'bad-message', message: 'not valid JSON' });
    s.send({ type: 'format-disk' });
    expect((await s.error()).code).toBe('bad-message');
    s.send(Buffer.from([0, 1, 2, 3]));
    expect(await s.error()).toMatchObject({ code: 'bad-message', message: expect.stringContaining('binary') });
    s.send({ type: 'hello' });
    const welcome = await s.next(isWelcome);
    expect(welcome.learnerToken).toMatch(/^[A-Za-z0-9_-]{32,64}$/);
    s.send({ type: 'hello' });
    expect((await s.error()).message).toContain('already');
    s.send({ type: 'run', requestId: 'r1', lessonId: 'no-such/lesson', source: 'int main(){}' });
    expect(await s.error()).toMatchObject({ code: 'unknown-lesson', requestId: 'r1' });
    s.send({ type: 'run', requestId: 'r2', lessonId: FIRST_LESSON, source: 'x'.repeat(MAX_SOURCE_BYTES + 1) });
    expect(await s.error()).toMatchObject({ code: 'source-too-large', requestId: 'r2' });
    s.send({ type: 'watch', requestId: 'w1', runId: 'r_doesnotexist' });
    expect(await s.error()).toMatchObject({ code: 'unknown-run' });
    s.close();
  });

  it('closes a socket that sends a frame larger than any valid message', async () => {
    const s = await RawSocket.open(url());
    s.send('x'.repeat(MAX_TEXT_MESSAGE_BYTES + 10));
    expect((await s.closed).code).toBe(1009);
  });

  it('refuses a socket from a foreign origin', async () => {
    const ws = new WebSocket(url().replace(/^http/, 'ws') + '/ws', { origin: 'https://evil.example' });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });

  it('rate-limits a client that floods messages, without falling over', async () => {
    const s = await RawSocket.open(url());
    s.send({ type: 'hello' });
    await s.next(isWelcome);
    for (let i = 0; i < 500; i++) s.send({ type: 'watch', requestId: `w${i}`, runId: 'r_nothing_here' });
    const limited = await s.next((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error' && m.code === 'rate-limited');
    expect(limited.message).toMatch(/slow down/);
    s.close();
    // Another client is served normally meanwhile.
    const client = await JailLabClient.connect(url());
    expect(client.welcome.learnerId).toMatch(/^l_/);
    client.close();
  });

  it('refuses extra probes from anyone but an instructor', async () => {
    const client = await JailLabClient.connect(url());
    await expect(client.run(FIRST_LESSON, firstSolution(), { extraProbes: [{ name: 'mine', source: 'int main(){}' }] })).rejects.toMatchObject({ code: 'forbidden' });
    client.close();
    await expect(JailLabClient.connect(url(), { instructorToken: 'wrong-token-but-long-enough' })).rejects.toBeInstanceOf(ServerError);
  });
});

describe('watching runs', () => {
  it('lets a second tab of the same learner replay a run, events and output alike', async () => {
    const first = await JailLabClient.connect(url());
    const token = first.welcome.learnerToken!;
    const result = await first.run(FIRST_LESSON, firstSolution());
    const second = await RawSocket.open(url());
    second.send({ type: 'hello', learnerToken: token });
    const welcome = await second.next(isWelcome);
    expect(welcome.learnerId).toBe(first.welcome.learnerId);
    expect(welcome.learnerToken).toBeUndefined();
    const outputBytes: number[] = [];
    second.ws.on('message', (d: Buffer, isBinary) => {
      if (isBinary) outputBytes.push(d.byteLength - 8);
    });
    second.send({ type: 'watch', requestId: 'w', runId: result.runId });
    const finished = await second.next((m): m is Extract<ServerMessage, { type: 'run-event' }> => m.type === 'run-event' && m.event.type === 'finished');
    expect(finished.event).toEqual(result.finished);
    const total = [...result.output.values()].reduce((n, b) => n + b.byteLength, 0);
    expect(outputBytes.reduce((a, b) => a + b, 0)).toBe(total);
    second.close();

    // Another learner cannot see it.
    const stranger = await RawSocket.open(url());
    stranger.send({ type: 'hello' });
    await stranger.next(isWelcome);
    stranger.send({ type: 'watch', requestId: 'w', runId: result.runId });
    expect((await stranger.error()).code).toBe('unknown-run');
    stranger.close();
    first.close();
  });

  it('cancels a run on request, freeing its VM', async () => {
    const client = await JailLabClient.connect(url());
    let runId = '';
    const pending = client.run(FIRST_LESSON, programThat('for (;;) {}'), {
      onEvent: (e) => {
        if (e.type === 'created') runId = e.runId;
        if (e.type === 'check-started') client.cancel(runId);
      },
    });
    const r = await pending;
    expect(r.finished.outcome).toBe('cancelled');
    // Cancelled, not ended by the loop's time limit: no check finished at all.
    expect(r.events.filter((e) => e.type === 'check-finished')).toEqual([]);
    client.close();
  });
});
