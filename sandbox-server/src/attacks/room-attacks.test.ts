import type { RunEvent } from '@jaillab/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIRST_LESSON, LESSONS_DIR } from '../../test/lesson-sources.js';
import { RoomHarness } from '../../test/room-harness.js';
import { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';
import { Run } from '../runs/run.js';
import { RoomAttacks } from './room-attacks.js';

/** A run service that only records the background runs asked of it; the test finishes them. */
class BackgroundRuns {
  readonly started: Array<{ run: Run; checks: CheckSpec[]; done: (run: Run) => void }> = [];
  startDetached(learnerId: string, lesson: Lesson, source: string, checks: CheckSpec[], onFinished: (run: Run) => void): Run {
    const run = new Run(`r_fake${this.started.length.toString().padStart(6, '0')}`, learnerId, lesson, source, true);
    this.started.push({ run, checks, done: onFinished });
    return run;
  }
  extraProbeCheck(): never {
    throw new Error('not in this test');
  }
  /** Ends the run of `learnerId` with the probe's verdict (or a compile error). */
  finish(learnerId: string, verdict: 'escaped' | 'contained' | 'compile-error'): void {
    const s = this.started.find((x) => x.run.learnerId === learnerId)!;
    const events: RunEvent[] =
      verdict === 'compile-error'
        ? [{ type: 'finished', outcome: 'compile-error', message: 'Your program did not compile.', accelerator: 'tcg', durationMs: 1 }]
        : [
            { type: 'check-finished', index: 0, verdict, evidence: null, reason: verdict === 'escaped' ? 'read the secret' : 'no way out', exit: { code: 0, signal: null }, limit: null, durationMs: 1 },
            { type: 'finished', outcome: verdict === 'escaped' ? 'failed' : 'passed', message: '', accelerator: 'tcg', durationMs: 1 },
          ];
    for (const e of events) s.run.log.append(e);
    s.run.outcome = events.at(-1)!.type === 'finished' ? (events.at(-1) as Extract<RunEvent, { type: 'finished' }>).outcome : null;
    s.done(s.run);
  }
}

let room: RoomHarness;
let catalog: LessonCatalog;
let runs: BackgroundRuns;
let attacks: RoomAttacks;
beforeEach(async () => {
  room = await RoomHarness.start();
  catalog = await LessonCatalog.load(LESSONS_DIR);
  runs = new BackgroundRuns();
  attacks = new RoomAttacks({ attacks: room.workshops.attacks, workshops: room.workshops, runs, catalog, store: room.store, log: () => {} });
});
afterEach(() => room.close());

function roomOf(...names: string[]): { workshopId: string; learners: string[] } {
  const w = room.workshops.create('Jails', [FIRST_LESSON], null);
  const learners = names.map((name) => {
    const id = room.store.createLearner().learner.id;
    room.workshops.join(id, w.code, name, undefined);
    return id;
  });
  return { workshopId: w.id, learners };
}

describe('a probe fired at the room', () => {
  it('runs against every student\'s latest code, and the column and each student\'s view follow the results', async () => {
    const { workshopId, learners } = roomOf('Ada', 'Bob', 'Cy');
    const [ada, bob, cy] = learners as [string, string, string];
    room.store.saveCode(ada, FIRST_LESSON, '/* ada */');
    room.store.saveCode(bob, FIRST_LESSON, '/* bob */');
    const fired = await attacks.fire(workshopId, FIRST_LESSON, { probeId: 'cwd-outside' }, 'latest', false);
    expect(fired.students).toBe(3);
    // One run each for the two with code, with the probe as its only check; Cy has nothing to fire at.
    expect(runs.started.map((s) => [s.run.learnerId, s.run.source, s.checks.map((c) => c.probe.id)])).toEqual([
      [ada, '/* ada */', ['cwd-outside']],
      [bob, '/* bob */', ['cwd-outside']],
    ]);
    const column = () => room.workshops.dashboard(workshopId).attacks[0]!;
    expect(column().results.map((r) => r.verdict)).toEqual(['pending', 'pending', 'no-code']);

    runs.finish(ada, 'escaped');
    runs.finish(bob, 'compile-error');
    expect(Object.fromEntries(column().results.map((r) => [r.learnerId, r.verdict]))).toEqual({ [ada]: 'escaped', [bob]: 'error', [cy]: 'no-code' });
    expect(column()).toMatchObject({ probeId: 'cwd-outside', probeTitle: 'The working directory left outside', code: 'latest', showSource: false });

    // Each student sees their own result, the probe's source only once it is shown.
    const adaView = room.workshops.viewFor(ada)!.attacks;
    expect(adaView).toMatchObject([{ verdict: 'escaped', reason: 'read the secret', probeTitle: 'The working directory left outside', source: null }]);
    expect(room.workshops.viewFor(bob)!.attacks[0]).toMatchObject({ verdict: 'error', reason: 'their jail program does not compile' });
    attacks.showSource(workshopId, fired.attackId, true);
    expect(room.workshops.viewFor(ada)!.attacks[0]!.source).toContain('probe_start');

    // The run is kept whole for the replay, and the CSV gains the probe's column.
    expect(room.workshops.attacks.record(fired.attackId, ada)?.events.map((e) => e.type)).toEqual(['check-finished', 'finished']);
    const csv = room.workshops.exportCsv(workshopId).csv.split('\r\n');
    expect(csv[0]).toMatch(/"probe: The working directory left outside \(.+\)"$/);
    expect(csv.find((l) => l.startsWith('"Ada"'))).toMatch(/"escaped"$/);
    expect(csv.find((l) => l.startsWith('"Cy"'))).toMatch(/"no-code"$/);
  });

  it('fires at the code of each student\'s last passing run when asked', async () => {
    const { workshopId, learners } = roomOf('Ada', 'Bob');
    const [ada, bob] = learners as [string, string];
    room.store.saveCode(ada, FIRST_LESSON, '/* ada, broken since */');
    room.store.keepPassingCode(ada, FIRST_LESSON, '/* ada, passing */');
    room.store.saveCode(bob, FIRST_LESSON, '/* bob never passed */');
    await attacks.fire(workshopId, FIRST_LESSON, { probeId: 'cwd-outside' }, 'last-passing', false);
    expect(runs.started.map((s) => s.run.source)).toEqual(['/* ada, passing */']);
    expect(room.workshops.dashboard(workshopId).attacks[0]!.results.find((r) => r.learnerId === bob)).toMatchObject({ verdict: 'no-code', reason: 'no passing run of this lesson yet' });
  });

  it('refuses a lesson outside the workshop, an unknown probe, a service check and an ended workshop', async () => {
    const { workshopId } = roomOf('Ada');
    await expect(attacks.fire(workshopId, 'first-jail/leaked-descriptors', { probeId: 'cwd-outside' }, 'latest', false)).rejects.toMatchObject({ code: 'unknown-lesson' });
    await expect(attacks.fire(workshopId, FIRST_LESSON, { probeId: 'no-such-probe' }, 'latest', false)).rejects.toMatchObject({ code: 'unknown-lesson' });
    const service = [...catalog.library.probes.values()].find((p) => p.meta.kind === 'service')!;
    await expect(attacks.fire(workshopId, FIRST_LESSON, { probeId: service.id }, 'latest', false)).rejects.toThrow(/service check/);
    room.workshops.end(workshopId);
    await expect(attacks.fire(workshopId, FIRST_LESSON, { probeId: 'cwd-outside' }, 'latest', false)).rejects.toMatchObject({ code: 'workshop-ended' });
    expect(runs.started).toEqual([]);
  });

  it('says which results a restart cut off', async () => {
    const { workshopId, learners } = roomOf('Ada');
    room.store.saveCode(learners[0]!, FIRST_LESSON, '/* ada */');
    await attacks.fire(workshopId, FIRST_LESSON, { probeId: 'cwd-outside' }, 'latest', false);
    expect(room.workshops.attacks.markPendingInterrupted()).toBe(1);
    expect(room.workshops.dashboard(workshopId).attacks[0]!.results[0]).toMatchObject({ verdict: 'error', reason: 'the server restarted before this run finished' });
  });
});
