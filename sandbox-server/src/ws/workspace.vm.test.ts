import type { ServerMessage } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { JailLabClient } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution } from '../../test/lesson-sources.js';
import { RawSocket } from '../../test/raw-socket.js';

type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
const is =
  <T extends ServerMessage['type']>(type: T) =>
  (m: ServerMessage): m is Msg<T> =>
    m.type === type;

async function learner(token?: string): Promise<{ s: RawSocket; welcome: Msg<'welcome'> }> {
  const s = await RawSocket.open(inject('serverUrl'));
  s.send({ type: 'hello', ...(token ? { learnerToken: token } : {}) });
  return { s, welcome: await s.next(is('welcome')) };
}

describe('the workspace over the socket', () => {
  it('keeps code, hints and progress per learner, and marks a lesson passed after a passing run', async () => {
    const { s, welcome } = await learner();
    s.send({ type: 'lesson-state-get', requestId: 'a', lessonId: FIRST_LESSON });
    expect(await s.next(is('lesson-state'))).toMatchObject({ code: null, status: 'not-started', hintsRevealed: [], lastRun: null });

    s.send({ type: 'code-save', lessonId: FIRST_LESSON, code: { source: '/* v2 */', editedAt: 2000 } });
    expect(await s.next(is('code-saved'))).toMatchObject({ editedAt: 2000 });
    // An older save (another tab, late) does not overwrite a newer one.
    s.send({ type: 'code-save', lessonId: FIRST_LESSON, code: { source: '/* v1 */', editedAt: 1000 } });
    expect(await s.next(is('code-saved'))).toMatchObject({ editedAt: 2000 });
    s.send({ type: 'hint-reveal', lessonId: FIRST_LESSON, index: 0 });
    s.send({ type: 'hint-reveal', lessonId: FIRST_LESSON, index: 99 }); // no such hint: ignored
    s.send({ type: 'lesson-state-get', requestId: 'b', lessonId: FIRST_LESSON });
    expect(await s.next(is('lesson-state'))).toMatchObject({ code: { source: '/* v2 */', editedAt: 2000 }, status: 'in-progress', hintsRevealed: [0] });

    // The same learner from another tab (by token) sees it; a stranger does not.
    const client = await JailLabClient.connect(inject('serverUrl'), { learnerToken: welcome.learnerToken! });
    const result = await client.run(FIRST_LESSON, firstSolution());
    expect(result.finished.outcome).toBe('passed');
    client.close();
    s.send({ type: 'progress-get', requestId: 'p' });
    expect((await s.next(is('progress'))).lessons[FIRST_LESSON]).toBe('passed');
    s.send({ type: 'lesson-state-get', requestId: 'c', lessonId: FIRST_LESSON });
    const state = await s.next(is('lesson-state'));
    expect(state.lastRun).toMatchObject({ runId: result.runId, outcome: 'passed' });
    expect(state.code?.source).toBe(firstSolution()); // a run saves what was run
    s.close();

    const stranger = await learner();
    stranger.s.send({ type: 'lesson-state-get', requestId: 'x', lessonId: FIRST_LESSON });
    expect(await stranger.s.next(is('lesson-state'))).toMatchObject({ code: null, status: 'not-started', lastRun: null });
    stranger.s.close();
  });
});
