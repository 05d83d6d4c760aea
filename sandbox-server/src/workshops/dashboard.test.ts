import { describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardInput, STUCK_AFTER } from './dashboard.js';
import type { RunRow } from './workshop-store.js';

/** A room of three in a two-lesson workshop; runs are made up, the dashboard is real. */
const lessons = [
  { id: 'a/one', title: 'One', escapes: [{ id: 'cwd-outside', title: 'cwd left outside' }] },
  { id: 'a/two', title: 'Two', escapes: [{ id: 'leaked-fd', title: 'Leaked fd' }, { id: 'chroot-again', title: 'Chroot again' }] },
];
const member = (learnerId: string, name: string) => ({ workshopId: 'w_test01', learnerId, name, joinedAt: '2026-12-01T10:00:00Z' });
let clock = 0;
const run = (learnerId: string, lessonId: string, outcome: string, verdicts: Record<string, string>, solutionShown = false): RunRow => ({
  learnerId,
  lessonId,
  createdAt: new Date(Date.UTC(2026, 11, 1, 10, 0, clock++)).toISOString(),
  outcome,
  verdicts: Object.entries(verdicts).map(([id, verdict]) => ({ id, verdict })),
  solutionShown,
});

function input(runs: RunRow[]): DashboardInput {
  return {
    workshop: { id: 'w_test01', code: 'ABCDEF', title: 'Jails 101', lessons: [{ id: 'a/one', open: true }, { id: 'a/two', open: false }], endsAt: null, createdAt: '2026-12-01T09:00:00Z', endedAt: null, roomSize: 40 },
    members: [member('l_ada', 'Ada'), member('l_bob', 'Bob'), member('l_cy', 'Cy')],
    lessons,
    runs,
    online: new Set(['l_ada']),
    lastLessons: new Map([['l_cy', 'a/one']]),
    attacks: [],
    round: null,
    capacity: { accelerator: 'tcg', ready: 2, starting: 0, inUse: 1, queued: 3, slots: 2, runners: [] },
  };
}

describe('the workshop dashboard', () => {
  it('shows per student and lesson: passed, contained of total in the latest run, stuck, in progress', () => {
    const runs = [
      run('l_ada', 'a/one', 'failed', { 'cwd-outside': 'escaped', 'read-data': 'passed' }),
      run('l_ada', 'a/one', 'passed', { 'cwd-outside': 'contained', 'read-data': 'passed' }),
      ...Array.from({ length: STUCK_AFTER }, () => run('l_bob', 'a/one', 'failed', { 'cwd-outside': 'escaped', 'read-data': 'passed' })),
      run('l_bob', 'a/two', 'failed', { 'leaked-fd': 'contained', 'chroot-again': 'escaped' }),
    ];
    const d = buildDashboard(input(runs));
    const cell = (l: string, lesson: string) => d.cells.find((c) => c.learnerId === l && c.lessonId === lesson)!;
    expect(cell('l_ada', 'a/one')).toMatchObject({ status: 'passed', contained: 1, total: 1, runs: 2, withSolution: false });
    expect(cell('l_bob', 'a/one')).toMatchObject({ status: 'stuck', contained: 0, runs: STUCK_AFTER });
    expect(cell('l_bob', 'a/two')).toMatchObject({ status: 'in-progress', contained: 1, total: 2, runs: 1 });
    // Cy has saved code in lesson one but not run it; nobody has touched lesson two but Bob.
    expect(cell('l_cy', 'a/one')).toMatchObject({ status: 'in-progress', contained: null, runs: 0 });
    expect(cell('l_cy', 'a/two')).toMatchObject({ status: 'not-started', contained: null });
    expect(d.members.map((m) => [m.name, m.online])).toEqual([['Ada', true], ['Bob', false], ['Cy', false]]);
    expect(d.workshop.lessons).toEqual([{ id: 'a/one', title: 'One', open: true }, { id: 'a/two', title: 'Two', open: false }]);
  });

  it('names the probe that escapes most students\' latest runs, and counts who passed', () => {
    const runs = [
      run('l_ada', 'a/two', 'failed', { 'leaked-fd': 'escaped', 'chroot-again': 'escaped' }),
      run('l_bob', 'a/two', 'failed', { 'leaked-fd': 'contained', 'chroot-again': 'escaped' }),
      run('l_cy', 'a/two', 'failed', { 'leaked-fd': 'escaped', 'chroot-again': 'escaped' }),
      // A later passing run of Cy's replaces the failing one: only the latest run counts.
      run('l_cy', 'a/two', 'passed', { 'leaked-fd': 'contained', 'chroot-again': 'contained' }, true),
    ];
    const d = buildDashboard(input(runs));
    expect(d.lessons.find((l) => l.lessonId === 'a/two')).toEqual({ lessonId: 'a/two', passed: 1, mostEscaping: { probeId: 'chroot-again', title: 'Chroot again', students: 2 } });
    expect(d.lessons.find((l) => l.lessonId === 'a/one')).toEqual({ lessonId: 'a/one', passed: 0, mostEscaping: null });
    expect(d.cells.find((c) => c.learnerId === 'l_cy' && c.lessonId === 'a/two')).toMatchObject({ status: 'passed', withSolution: true });
  });

  it('stays small for a room of 40 × 15', () => {
    const many = { ...input([]), members: Array.from({ length: 40 }, (_, i) => member(`l_${i}`, `Student ${i}`)), lessons: Array.from({ length: 15 }, (_, i) => ({ id: `c/l${i}`, title: `L${i}`, escapes: [] })) };
    const d = buildDashboard(many);
    expect(d.cells).toHaveLength(600);
    expect(JSON.stringify(d).length).toBeLessThan(120_000);
  });
});
