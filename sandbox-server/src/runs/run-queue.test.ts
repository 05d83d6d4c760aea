import { describe, expect, it } from 'vitest';
import { RunLog } from './run-log.js';
import { RunQueue } from './run-queue.js';

const fakeRun = () => ({ log: new RunLog(), abort: new AbortController() });
const positions = (r: ReturnType<typeof fakeRun>): number[] => r.log.events().flatMap((e) => (e.type === 'queued' ? [e.position] : []));

describe('the run queue', () => {
  it('lets `slots` runs in, queues the rest in order and tells each its place as it changes', async () => {
    const q = new RunQueue(1);
    const a = fakeRun();
    const b = fakeRun();
    const c = fakeRun();
    const releaseA = await q.enter(a);
    const bIn = q.enter(b);
    const cIn = q.enter(c);
    expect(positions(b)).toEqual([0]);
    expect(positions(c)).toEqual([1]);
    releaseA();
    const releaseB = await bIn;
    expect(positions(c)).toEqual([1, 0]);
    releaseB();
    (await cIn)();
    expect(q.length).toBe(0);
  });

  it('drops a cancelled run from the line and moves the others up', async () => {
    const q = new RunQueue(1);
    const release = await q.enter(fakeRun());
    const b = fakeRun();
    const c = fakeRun();
    const bIn = q.enter(b);
    const cIn = q.enter(c);
    b.abort.abort();
    await expect(bIn).rejects.toThrow('cancelled');
    expect(positions(c)).toEqual([1, 0]);
    release();
    (await cIn)();
  });

  it('releasing twice frees only one slot', async () => {
    const q = new RunQueue(1);
    const release = await q.enter(fakeRun());
    release();
    release();
    await q.enter(fakeRun());
    const waiting = q.enter(fakeRun());
    expect(q.length).toBe(1);
    waiting.catch(() => {});
  });
});
