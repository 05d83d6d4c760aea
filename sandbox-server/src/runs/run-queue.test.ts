import { describe, expect, it } from 'vitest';
import { RunQueue, type SlotRequest } from './run-queue.js';

/** A request that records the places in line it was told. */
const request = (owner = 'learner'): SlotRequest & { positions: number[]; abort: AbortController } => {
  const abort = new AbortController();
  const positions: number[] = [];
  return { owner, signal: abort.signal, onPosition: (p) => positions.push(p), positions, abort };
};

describe('the run queue', () => {
  it('lets `slots` runs in, queues the rest in order and tells each its place as it changes', async () => {
    const q = new RunQueue(1);
    const a = request();
    const b = request();
    const c = request();
    const releaseA = await q.enter(a);
    const bIn = q.enter(b);
    const cIn = q.enter(c);
    expect(a.positions).toEqual([]);
    expect(b.positions).toEqual([0]);
    expect(c.positions).toEqual([1]);
    releaseA();
    const releaseB = await bIn;
    expect(c.positions).toEqual([1, 0]);
    releaseB();
    (await cIn)();
    expect(q.length).toBe(0);
  });

  it('drops a cancelled run from the line and moves the others up', async () => {
    const q = new RunQueue(1);
    const release = await q.enter(request());
    const b = request();
    const c = request();
    const bIn = q.enter(b);
    const cIn = q.enter(c);
    b.abort.abort();
    await expect(bIn).rejects.toThrow('cancelled');
    expect(c.positions).toEqual([1, 0]);
    release();
    (await cIn)();
  });

  it('refuses a request that was aborted before it asked', async () => {
    const q = new RunQueue(1);
    const a = request();
    a.abort.abort();
    await expect(q.enter(a)).rejects.toThrow('cancelled');
    (await q.enter(request()))();
  });

  it('releasing twice frees only one slot', async () => {
    const q = new RunQueue(1);
    const release = await q.enter(request());
    release();
    release();
    await q.enter(request());
    const waiting = q.enter(request());
    expect(q.length).toBe(1);
    waiting.catch(() => {});
  });
});
