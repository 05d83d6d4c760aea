import { describe, expect, it } from 'vitest';
import type { JobCheck } from '../run-job.js';
import { CheckTasks, HANG_CHECKS, RECORDING_RUNS } from './check-tasks.js';

const check = (index: number, race: 'jail-path' | null = null): JobCheck => ({
  index,
  kind: 'escape',
  probe: { id: `p${index}`, title: `p${index}`, plant: [], race, linkage: 'static', source: '', accompliceSource: null, accompliceStarts: 'before-program' },
  closedIn: null,
});
const drain = (t: CheckTasks) => {
  const out: string[] = [];
  for (let task = t.next(); task; task = t.next()) out.push(`${task.check.index}${task.record ? ' recording' : ''}${task.rerunOf ? ' again' : ''}`);
  return out;
};

describe("a run's check tasks", () => {
  it('records the replay on the first check and the race, runs an escaped one again to record it, keeps the first verdict', () => {
    const t = new CheckTasks([check(0), check(1), check(2, 'jail-path'), check(3)], true);
    const first = t.next()!;
    expect(first).toMatchObject({ record: true, rerunOf: null });
    t.finished(first, 'escaped', false); // recorded already: no second run
    const second = t.next()!;
    expect(second.record).toBe(false);
    t.finished(second, 'escaped', false);
    const again = t.next()!;
    expect(again).toMatchObject({ check: { index: 1 }, record: true, rerunOf: { verdict: 'escaped' } });
    t.finished(again, 'contained', false); // a second run's result changes nothing
    expect(drain(t)).toEqual(['2 recording', '3']);
  });

  it(`tries the recording run again, up to ${RECORDING_RUNS} times, while it does not escape as the first run did`, () => {
    const t = new CheckTasks([check(0), check(1)], true);
    t.finished(t.next()!, 'contained', false);
    t.finished(t.next()!, 'escaped', false);
    const tries: number[] = [];
    for (let task = t.next(); task?.rerunOf; task = t.next()) {
      tries.push(task.rerunOf.attempt);
      // The squatter lost the race every time: the last try's replay is the one shown.
      expect(t.recorded(task, 'contained')).toBe(task.rerunOf.attempt === RECORDING_RUNS);
    }
    expect(tries).toEqual(Array.from({ length: RECORDING_RUNS }, (_, i) => i + 1));

    const u = new CheckTasks([check(0), check(1)], true);
    u.finished(u.next()!, 'contained', false);
    u.finished(u.next()!, 'escaped', false);
    const again = u.next()!;
    expect(u.recorded(again, 'escaped')).toBe(true); // ended as the first did: shown, nothing more
    expect(u.next()).toBeNull();
  });

  it('records nothing with the replay off, and never runs a check twice', () => {
    const t = new CheckTasks([check(0), check(1)], false);
    const a = t.next()!;
    t.finished(a, 'escaped', false);
    expect(a.record).toBe(false);
    expect(drain(t)).toEqual(['1']);
  });

  it(`stops after ${HANG_CHECKS} checks in a row timed out before their probe started, and says which were not run`, () => {
    const t = new CheckTasks([check(0), check(1), check(2), check(3), check(4)], false);
    t.finished(t.next()!, 'error', true);
    t.finished(t.next()!, 'contained', false); // not in a row
    t.finished(t.next()!, 'error', true);
    expect(t.stopped).toBe(false);
    const fourth = t.next()!;
    t.finished(fourth, 'error', true);
    expect(t.stopped).toBe(true);
    expect(t.next()).toBeNull();
    expect(t.notRun().map((c) => c.index)).toEqual([4]);
  });
});
