import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { JailLabClient } from '../../client/jaillab-client.js';
import { LESSONS_DIR, programThat } from '../../../test/lesson-sources.js';
import type { CheckFinished } from '../../../test/run-result.js';
import { HANG_CHECKS } from './check-tasks.js';

/**
 * How a run spends its VM time (check-tasks.ts), in real VMs on the capstone:
 * the replay is recorded where it is needed (the first check, and a second run
 * of each escaped one), and a program that hangs stops costing time after two
 * checks.
 */
const CAPSTONE = 'capstone/a-jail-that-holds';
const finishedOf = (events: RunEvent[]): CheckFinished[] => events.filter((e): e is CheckFinished => e.type === 'check-finished').sort((a, b) => a.index - b.index);

describe('what a run spends its VMs on', () => {
  it("records an escaped check's replay on a second run, says so, and keeps the first run's verdict", async () => {
    const starter = readFileSync(join(LESSONS_DIR, '05-capstone', '02-a-jail-that-holds', '_files', 'jail.c'), 'utf8');
    const client = await JailLabClient.connect(inject('serverUrl'));
    try {
      const r = await client.run(CAPSTONE, starter);
      const verdicts = finishedOf(r.events);
      const traces = new Map(r.events.flatMap((e) => (e.type === 'check-trace' ? [[e.index, e.trace] as const] : [])));
      const escaped = verdicts.filter((v) => v.verdict === 'escaped').map((v) => v.index);
      expect(escaped.length).toBeGreaterThan(0);
      // The first check records on the run that is judged; every escaped one has a replay, the others none.
      expect(traces.get(0)?.secondRun).toBeNull();
      for (const index of escaped.filter((i) => i !== 0)) expect(traces.get(index)?.secondRun, `check ${index}`).toEqual({ verdict: 'escaped' });
      const race = r.events.find((e) => e.type === 'created')!;
      const raceIndex = race.type === 'created' ? race.checks.find((c) => c.id === 'path-race')!.index : -1;
      expect([...traces.keys()].sort((a, b) => a - b)).toEqual([...new Set([0, raceIndex, ...escaped])].sort((a, b) => a - b));
      // The replay of an escaped check shows the escape: a step outside, or the secret's open, is highlighted.
      for (const index of escaped) {
        const h = traces.get(index)!.highlights;
        expect(h.outside ?? h.secret, `check ${index}`).not.toBeNull();
      }
      // Findings are the program's: from the checks whose first run recorded.
      expect(r.events.filter((e) => e.type === 'check-findings').map((e) => (e.type === 'check-findings' ? e.index : -1)).sort((a, b) => a - b)).toEqual([0, raceIndex].sort((a, b) => a - b));
    } finally {
      client.close();
    }
  });

  it(`stops a program that hangs after ${HANG_CHECKS} checks, and says why the others were not run`, async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    try {
      const r = await client.run(CAPSTONE, programThat('for (;;) pause();', '#include <signal.h>'), { trace: false });
      const verdicts = finishedOf(r.events);
      expect(verdicts).toHaveLength(19);
      // Two in a row, and at most one more that a second VM (a lone learner's checks spread) had under way.
      const timedOut = verdicts.filter((v) => v.limit === 'time').length;
      expect(timedOut).toBeGreaterThanOrEqual(HANG_CHECKS);
      expect(timedOut).toBeLessThanOrEqual(HANG_CHECKS + 1);
      const notRun = verdicts.filter((v) => v.limit !== 'time');
      expect(notRun.length).toBe(19 - timedOut);
      for (const v of notRun) expect(v).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/^not run: your program never started the probe in 2 checks in a row/) });
      expect(r.finished).toMatchObject({ outcome: 'error', message: expect.stringMatching(/^Your program never started the probe: 2 checks in a row each waited out the time limit/) });
    } finally {
      client.close();
    }
  });
});
