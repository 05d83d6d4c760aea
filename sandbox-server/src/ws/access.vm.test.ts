import type { ServerMessage } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { JailLabClient, ServerError } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution } from '../../test/lesson-sources.js';
import { RawSocket } from '../../test/raw-socket.js';

/**
 * Who may see and do what, on the shared test server. A learner's token is
 * its only credential: it must reach that learner's browser once (in its
 * welcome) and no one else's, ever. Per-learner code and progress storage
 * checks belong with that feature; the run-rate limits are in
 * hostile-protocol.vm.test.ts.
 */
const url = (): string => inject('serverUrl');
const isWelcome = (m: ServerMessage): m is Extract<ServerMessage, { type: 'welcome' }> => m.type === 'welcome';

/** A raw socket that also keeps every text frame it receives, verbatim. */
async function recordingSocket(): Promise<{ s: RawSocket; heard: string[] }> {
  const s = await RawSocket.open(url());
  const heard: string[] = [];
  s.ws.on('message', (d: Buffer, isBinary) => heard.push(isBinary ? d.toString('latin1') : d.toString()));
  return { s, heard };
}

describe('access', () => {
  it('instructor powers need the instructor token; a wrong one is refused and a learner never sees the real one', async () => {
    await expect(JailLabClient.connect(url(), { instructorToken: 'x'.repeat(31) })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(JailLabClient.connect(url(), { instructorToken: inject('instructorToken').slice(0, -1) + 'X' })).rejects.toBeInstanceOf(ServerError);
    const learner = await JailLabClient.connect(url());
    expect(learner.welcome.instructor).toBe(false);
    await expect(learner.run(FIRST_LESSON, firstSolution(), { extraProbes: [{ name: 'mine', source: 'int main(){}' }] })).rejects.toMatchObject({ code: 'forbidden' });
    expect(JSON.stringify(learner.welcome)).not.toContain(inject('instructorToken'));
    learner.close();
    const instructor = await JailLabClient.connect(url(), { instructorToken: inject('instructorToken') });
    expect(instructor.welcome.instructor).toBe(true);
    instructor.close();
  });

  it("one learner's token, runs and output never reach another learner's socket, who can neither watch nor cancel them", async () => {
    const a = await recordingSocket();
    a.s.send({ type: 'hello' });
    const aWelcome = await a.s.next(isWelcome);
    const aToken = aWelcome.learnerToken!;
    const b = await recordingSocket();
    b.s.send({ type: 'hello' });
    const bWelcome = await b.s.next(isWelcome);

    a.s.send({ type: 'run', requestId: 'a1', lessonId: FIRST_LESSON, source: firstSolution() });
    const accepted = await a.s.next((m): m is Extract<ServerMessage, { type: 'run-accepted' }> => m.type === 'run-accepted');
    b.s.send({ type: 'watch', requestId: 'peek', runId: accepted.runId });
    expect(await b.s.error()).toMatchObject({ code: 'unknown-run', requestId: 'peek' });
    b.s.send({ type: 'cancel', runId: accepted.runId });
    // Guessing another learner's token gets you a new learner of your own, not theirs.
    const guess = await RawSocket.open(url());
    guess.send({ type: 'hello', learnerToken: aToken.slice(0, -2) + (aToken.endsWith('AA') ? 'BB' : 'AA') });
    expect((await guess.next(isWelcome)).learnerId).not.toBe(aWelcome.learnerId);
    guess.close();

    // Acknowledge output as it comes, and wait for A's run to finish: B's cancel did nothing.
    a.s.ws.on('message', (d: Buffer, isBinary) => isBinary && a.s.send({ type: 'ack', bytes: d.byteLength - 8 }));
    const finished = await a.s.next((m): m is Extract<ServerMessage, { type: 'run-event' }> => m.type === 'run-event' && m.event.type === 'finished');
    expect(finished.event).toMatchObject({ outcome: 'passed' });

    const toB = b.heard.join('\n');
    expect(toB).not.toContain(aToken);
    expect(toB).not.toContain(accepted.runId.slice(2)); // not even an echo of the run id B asked about
    expect(toB).not.toContain('SECRET-');
    expect(toB).not.toContain(inject('instructorToken'));
    // A's own token reached A exactly once: in its welcome, nowhere in the run.
    expect(a.heard.filter((m) => m.includes(aToken))).toHaveLength(1);
    expect(bWelcome.learnerToken).not.toBe(aToken);
    a.s.close();
    b.s.close();
  });

  it('the HTTP API hands out no token and accepts no writes', async () => {
    for (const path of ['/api/health', '/api/lessons', `/api/lessons/${FIRST_LESSON}`]) {
      const res = await fetch(url() + path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).not.toContain(inject('instructorToken'));
    }
    expect((await fetch(url() + '/api/lessons', { method: 'POST', body: '{}' })).status).toBe(405);
  });
});
