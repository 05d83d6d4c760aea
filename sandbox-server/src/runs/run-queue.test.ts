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

  it('is fair between learners: one with ten waiting does not hold up another learner\'s first by more than one slot', async () => {
    const q = new RunQueue(1);
    const releaseFirst = await q.enter(request('a'));
    const aIn = Array.from({ length: 10 }, () => q.enter(request('a')));
    const b = request('b');
    const bIn = q.enter(b);
    // b has never had a slot, a just did: b is next in line, ahead of all ten of a's.
    expect(b.positions.at(-1)).toBe(0);
    const started = await drain(q, releaseFirst, [bIn, ...aIn], ['b', ...aIn.map((_, i) => `a${i}`)]);
    expect(started).toEqual(['b', ...aIn.map((_, i) => `a${i}`)]);
  });

  it('takes turns between two busy learners; fifo keeps arrival order', async () => {
    for (const policy of ['fair', 'fifo'] as const) {
      const q = new RunQueue(1, policy);
      const releaseFirst = await q.enter(request('x'));
      const names = ['a0', 'a1', 'a2', 'b0', 'b1'];
      const ins = names.map((n) => q.enter(request(n[0])));
      const started = await drain(q, releaseFirst, ins, names);
      expect(started).toEqual(policy === 'fair' ? ['a0', 'b0', 'a1', 'b1', 'a2'] : names);
    }
  });

  it('lends an idle slot to a run that has one, never while anyone waits, and says when someone does', async () => {
    const q = new RunQueue(2);
    const mine = await q.enter(request('a'));
    const lent = q.borrow();
    expect(lent).not.toBeNull();
    expect(q.borrow()).toBeNull(); // both slots taken now
    expect(lent!.wanted()).toBe(false);
    let inB = false;
    const waiting = q.enter(request('b')).then((release) => {
      inB = true;
      return release;
    });
    expect(lent!.wanted()).toBe(true);
    expect(inB).toBe(false);
    lent!.release(); // the borrower gives it back: the one waiting gets it
    const releaseB = await waiting;
    expect(inB).toBe(true);
    expect(q.borrow()).toBeNull();
    mine();
    releaseB();
    expect(q.borrow()).not.toBeNull();
  });

  it('keeps a room of 30 fired probes below a student: their own Run waits for one slot at most', async () => {
    const q = new RunQueue(2);
    const fired = Array.from({ length: 30 }, (_, i) => ({ ...request(`student-${i}`), background: true }));
    const order: string[] = [];
    const entries = fired.map((r) => q.enter(r).then((release) => (order.push(r.owner), release)));
    // Two fired runs hold the slots, 28 wait.
    const holding = await Promise.all(entries.slice(0, 2));
    expect(q.length).toBe(28);
    const own = request('student-7');
    const ownIn = q.enter(own).then((release) => (order.push('own'), release));
    // The student is next in line at once, ahead of all 28 fired runs.
    expect(own.positions).toEqual([0]);
    expect(fired[2]!.positions.at(-1)).toBe(1);
    // The first slot that frees is theirs.
    holding[0]!();
    const releaseOwn = await ownIn;
    expect(order).toEqual(['student-0', 'student-1', 'own']);
    releaseOwn();
    holding[1]!();
    for (const e of entries.slice(2)) (await e)();
    // The fired runs went in arrival order.
    expect(order.slice(3)).toEqual(fired.slice(2).map((r) => r.owner));
    expect(q.length).toBe(0);
  });

  it('lets background work straight in when slots are free and nobody waits', async () => {
    const q = new RunQueue(2);
    const b = { ...request('a'), background: true };
    const release = await q.enter(b);
    expect(b.positions).toEqual([]);
    release();
  });
});

/** Releases slots one at a time and returns the names of the waiting requests in the order they got in. */
async function drain(_q: RunQueue, release: () => void, ins: Array<Promise<() => void>>, names: string[]): Promise<string[]> {
  const started: string[] = [];
  ins.forEach((p, i) => void p.then(() => started.push(names[i]!)));
  let current = release;
  for (let n = 0; n < ins.length; n++) {
    current();
    await new Promise((r) => setImmediate(r));
    const next = ins[names.indexOf(started[n]!)]!;
    current = await next;
  }
  current();
  return started;
}
