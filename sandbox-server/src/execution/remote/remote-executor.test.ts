import type { RunEvent } from '@jaillab/protocol';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisProcess, startRedis } from '../../../test/redis-process.js';
import { RunJob } from '../run-job.js';
import { HEARTBEAT_TTL_MS, keys } from './keys.js';
import { RemoteExecutor } from './remote-executor.js';
import { redisTarget } from './redis-connection.js';
import { DEFAULT_BACKPRESSURE } from './backpressured-stream.js';
import { RunStreamWriter } from './run-stream-writer.js';

/**
 * The server's side of a remote run against a real Redis, with the runner's
 * side written by hand (a RunStreamWriter and the heartbeat key, as runner.ts
 * does), so the order of what each side sees is chosen by the test, not by
 * the scheduler. No VM: what is under test is how the stream is read.
 */
let redis: RedisProcess;
let executor: RemoteExecutor;
let runnerSide: Redis;

const job = (runId: string): RunJob =>
  RunJob.parse({
    runId,
    learnerId: 'learner-1',
    lesson: { id: 'l', starterFileName: 'jail.c', limits: { wallTimeMs: 1000, memoryBytes: 1 << 26, processes: 16, outputBytes: 1 << 16 }, supplementaryGroups: [], tree: [], checks: [] },
    probeHeader: '',
    source: 'int main(void) { return 0; }',
    solutionShown: false,
  });

beforeAll(async () => {
  redis = await startRedis();
  executor = await RemoteExecutor.connect(redisTarget(redis.url, { JAILLAB_REDIS_PASSWORD: redis.password }), () => undefined);
  runnerSide = redis.client();
});
afterAll(async () => {
  await executor?.close();
  await redis?.stop();
});

describe('RemoteExecutor reading a run', () => {
  it('takes an end that came in just before the heartbeat went as the end, not as a lost runner', async () => {
    const runId = 'race-end-then-beat';
    const writer = new RunStreamWriter(runnerSide, runId, DEFAULT_BACKPRESSURE, new AbortController().signal, () => undefined);
    await runnerSide.set(keys.heartbeat(runId), 'runner-1', 'PX', HEARTBEAT_TTL_MS);
    writer.taken({ runnerId: 'runner-1', host: 'host-a' });
    writer.output(0, Buffer.from('escape: nothing\n'));
    await writer.flush();

    // The server is held inside its handling of that output while the runner finishes: it writes the end, then
    // drops the heartbeat (runner.ts's order). When the server looks next, the beat is gone and the end unread.
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const events: RunEvent[] = [];
    const run = executor.execute(
      job(runId),
      {
        event: (e) => void events.push(e),
        output: () => {
          holding();
          return new Promise<void>((r) => (release = r));
        },
      },
      new AbortController().signal,
    );
    await held;
    writer.event({ type: 'finished', outcome: 'passed', message: 'All checks held.', accelerator: 'tcg', durationMs: 5 });
    await writer.flush();
    await runnerSide.del(keys.heartbeat(runId));
    release();
    await run;

    const ends = events.filter((e) => e.type === 'finished');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ outcome: 'passed', message: 'All checks held.' });
  });

  it('still says the runner was lost when its heartbeat is gone and no end follows', async () => {
    const runId = 'race-beat-gone';
    const writer = new RunStreamWriter(runnerSide, runId, DEFAULT_BACKPRESSURE, new AbortController().signal, () => undefined);
    writer.taken({ runnerId: 'runner-1', host: 'host-a' });
    await writer.flush();
    const events: RunEvent[] = [];
    await executor.execute(job(runId), { event: (e) => void events.push(e), output: () => undefined }, new AbortController().signal);
    const ends = events.filter((e) => e.type === 'finished');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ outcome: 'error' });
    expect(ends[0]?.type === 'finished' && ends[0].message).toMatch(/runner running it \(host-a\) was lost/);
  });
});
