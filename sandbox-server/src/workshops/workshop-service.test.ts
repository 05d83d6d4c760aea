import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_LESSON } from '../../test/lesson-sources.js';
import { RoomHarness } from '../../test/room-harness.js';
import { DROP_IN_MIN_INTERVAL_MS } from './workshop-service.js';

/** Issue 25, finding 8: what the instructor's end of the room must not be flooded or fooled with. */
let room: RoomHarness;
beforeEach(async () => {
  vi.useFakeTimers();
  room = await RoomHarness.start();
});
afterEach(() => {
  room.close();
  vi.useRealTimers();
});

describe('issue 25 #8: the instructor\'s end of the room', () => {
  it('100 saves of 128 KiB while the instructor drops in reach the instructor folded, ending on the latest', () => {
    const w = room.workshops.create('Jails', [FIRST_LESSON], null);
    const bob = room.store.createLearner().learner.id;
    room.workshops.join(bob, w.code, 'Bob', undefined);
    const seen: string[] = [];
    const stop = room.workshops.dropIn(bob, FIRST_LESSON, (code) => seen.push(code));
    const big = (i: number): string => `/* ${i} */` + 'x'.repeat(128 * 1024);
    // 4 s of saves, 25 a second.
    for (let i = 0; i < 100; i++) {
      room.workshops.codeSaved(bob, FIRST_LESSON, big(i));
      vi.advanceTimersByTime(40);
    }
    vi.advanceTimersByTime(DROP_IN_MIN_INTERVAL_MS);
    expect(seen.length).toBeLessThanOrEqual(4000 / DROP_IN_MIN_INTERVAL_MS + 2);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(big(99));
    stop();
  });

  it('a broadcast to an ended workshop is refused and not stored', () => {
    const w = room.workshops.create('Jails', [FIRST_LESSON], null);
    room.workshops.end(w.id);
    expect(() => room.workshops.broadcast(w.id, 'anyone there?')).toThrow(expect.objectContaining({ code: 'workshop-ended' }));
    expect(room.workshops.store.broadcasts(w.id)).toEqual([]);
  });
});
