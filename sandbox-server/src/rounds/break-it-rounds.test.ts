import type { RunEvent } from '@jaillab/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_LESSON, LESSONS_DIR } from '../../test/lesson-sources.js';
import { RoomHarness } from '../../test/room-harness.js';
import { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';
import { Run } from '../runs/run.js';
import { BreakItRounds } from './break-it-rounds.js';

/** Records the shots' runs; the test ends each with the verdict it wants. */
class ShotRuns {
  readonly started: Array<{ run: Run; done: (run: Run) => void; background: boolean }> = [];
  startDetached(learnerId: string, lesson: Lesson, source: string, _checks: CheckSpec[], onFinished: (run: Run) => void, how: { background: boolean }): Run {
    const run = new Run(`r_shot${this.started.length.toString().padStart(6, '0')}`, learnerId, lesson, source, true);
    this.started.push({ run, done: onFinished, background: how.background });
    return run;
  }
  async extraProbeCheck(extra: { name: string; title?: string; source: string }, index: number): Promise<CheckSpec> {
    if (extra.source.includes('typo')) throw Object.assign(new Error('probe round-probe does not compile'), { name: 'ProbeCompileError' });
    return { index, kind: 'escape', probe: { id: `extra-${extra.name}`, meta: { title: extra.title ?? extra.name, kind: 'escape', summary: 's', source: 'student', plant: [], accompliceStarts: 'before-program' }, html: '', source: extra.source, accompliceSource: null } };
  }
  finish(i: number, verdict: 'escaped' | 'contained'): void {
    const s = this.started[i]!;
    const events: RunEvent[] = [
      { type: 'check-finished', index: 0, verdict, evidence: null, reason: verdict === 'escaped' ? 'escaped: read the secret' : 'contained: no way out', exit: { code: 0, signal: null }, limit: null, durationMs: 1 },
      { type: 'finished', outcome: 'passed', message: '', accelerator: 'tcg', durationMs: 1 },
    ];
    for (const e of events) s.run.log.append(e);
    s.run.outcome = 'passed';
    s.done(s.run);
  }
}

let room: RoomHarness;
let runs: ShotRuns;
let rounds: BreakItRounds;
beforeEach(async () => {
  room = await RoomHarness.start();
  runs = new ShotRuns();
  rounds = new BreakItRounds({ workshops: room.workshops, runs, catalog: await LessonCatalog.load(LESSONS_DIR), store: room.store, log: () => {} });
});
afterEach(() => {
  rounds.close();
  room.close();
  vi.useRealTimers();
});

function roomOf(...names: string[]): { workshopId: string; ids: string[] } {
  const w = room.workshops.create('Jails', [FIRST_LESSON], null);
  const ids = names.map((name) => {
    const id = room.store.createLearner().learner.id;
    room.workshops.join(id, w.code, name, undefined);
    room.store.saveCode(id, FIRST_LESSON, `/* ${name}'s jail */`);
    return id;
  });
  return { workshopId: w.id, ids };
}
const probe = { title: 'Up and out', source: '#include "probe.h"\nint main(void) { return 1; }\n' };

describe('a break-it round', () => {
  it('runs a probe of one student against another\'s submitted jail, within the budget, sources hidden until revealed', async () => {
    const { workshopId, ids } = roomOf('Ada', 'Bob', 'Cy');
    const [ada, bob, cy] = ids as [string, string, string];
    const round = rounds.open(workshopId, FIRST_LESSON, 20, 2);
    rounds.submit(ada, round.id);
    rounds.submit(bob, round.id);
    // A later edit does not change the submitted jail.
    room.store.saveCode(ada, FIRST_LESSON, '/* Ada, edited after */');

    const shot = await rounds.fire(cy, round.id, { learnerId: ada }, probe);
    expect(shot.target).toBe('Ada');
    expect(runs.started[0]).toMatchObject({ background: false });
    expect(runs.started[0]!.run.source).toBe('/* Ada\'s jail */');
    await rounds.fire(cy, round.id, { learnerId: bob }, probe);
    await expect(rounds.fire(cy, round.id, { learnerId: bob }, probe)).rejects.toMatchObject({ code: 'budget-spent' });
    // No aiming at yourself, at a jail not submitted, or with a probe that does not compile (it costs nothing).
    await expect(rounds.fire(ada, round.id, { learnerId: ada }, probe)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rounds.fire(ada, round.id, { learnerId: cy }, probe)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rounds.fire(ada, round.id, { random: true }, { ...probe, source: 'typo' })).rejects.toThrow('does not compile');
    expect(room.workshops.viewFor(ada)!.round!.left).toBe(2);

    runs.finish(0, 'escaped');
    runs.finish(1, 'contained');
    const board = room.workshops.dashboard(workshopId).round!;
    expect(board.standings.map((s) => [s.name, s.submitted, s.standing, s.escapes, s.fired])).toEqual([
      ['Ada', true, false, 0, 0],
      ['Bob', true, true, 0, 0],
      ['Cy', false, false, 1, 2],
    ]);
    expect(board.firstBlood).toMatchObject({ attacker: 'Cy', target: 'Ada' });

    // Ada sees which probe broke her jail and its run; neither side sees the other's source yet.
    const adaRound = room.workshops.viewFor(ada)!.round!;
    expect(adaRound.received).toMatchObject([{ attacker: 'Cy', probeTitle: 'Up and out', verdict: 'escaped', otherSource: null }]);
    expect(rounds.record(ada, adaRound.received[0]!.id)?.events.map((e) => e.type)).toEqual(['check-finished', 'finished']);
    expect(() => rounds.record(bob, adaRound.received[0]!.id)).toThrow('not yours');
    expect(room.workshops.viewFor(cy)!.round!.fired.map((s) => s.otherSource)).toEqual([null, null]);
    rounds.reveal(workshopId, round.id);
    expect(room.workshops.viewFor(ada)!.round!.received[0]!.otherSource).toBe(probe.source);
    expect(room.workshops.viewFor(cy)!.round!.fired.map((s) => s.otherSource)).toEqual(['/* Bob\'s jail */', '/* Ada\'s jail */']);

    const csv = rounds.exportCsv(workshopId, round.id).csv.split('\r\n');
    expect(csv[0]).toBe('"attacker","target","probe","verdict","reason","fired_at"');
    expect(csv[1]).toMatch(/^"Cy","Ada","Up and out","escaped"/);
    expect(csv).toContain('"Bob","yes","yes","0","0"');
  });

  it('takes nothing once it is over: ended by the instructor, or out of time', async () => {
    vi.useFakeTimers();
    const { workshopId, ids } = roomOf('Ada', 'Bob');
    const round = rounds.open(workshopId, FIRST_LESSON, 1, 3);
    rounds.submit(ids[0]!, round.id);
    expect(() => rounds.open(workshopId, FIRST_LESSON, 1, 3)).toThrow('open already');
    vi.advanceTimersByTime(61_000);
    expect(room.workshops.dashboard(workshopId).round!.endedAt).not.toBeNull();
    expect(() => rounds.submit(ids[1]!, round.id)).toThrow(expect.objectContaining({ code: 'round-closed' }));
    await expect(rounds.fire(ids[1]!, round.id, { random: true }, probe)).rejects.toMatchObject({ code: 'round-closed' });
    const next = rounds.open(workshopId, FIRST_LESSON, 5, 3);
    rounds.end(workshopId, next.id);
    expect(() => rounds.submit(ids[1]!, next.id)).toThrow(expect.objectContaining({ code: 'round-closed' }));
  });

  it('is for the workshop\'s students only', async () => {
    const { workshopId, ids } = roomOf('Ada');
    expect(rounds.inOpenRound(ids[0]!)).toBe(false);
    const round = rounds.open(workshopId, FIRST_LESSON, 5, 3);
    const stranger = room.store.createLearner().learner.id;
    // Students of an open round may write probes (the editor compiles them); nobody else may.
    expect(rounds.inOpenRound(ids[0]!)).toBe(true);
    expect(rounds.inOpenRound(stranger)).toBe(false);
    expect(() => rounds.submit(stranger, round.id)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    rounds.submit(ids[0]!, round.id);
    await expect(rounds.fire(stranger, round.id, { learnerId: ids[0]! }, probe)).rejects.toMatchObject({ code: 'forbidden' });
    rounds.end(workshopId, round.id);
    expect(rounds.inOpenRound(ids[0]!)).toBe(false);
  });
});
