import { z } from 'zod';
import type { Lesson } from '../lessons/lesson.js';
import { jobFor, RunJob } from './run-job.js';

/** Terminal sizes a shell may have (the browser's protocol allows the same). */
const Cols = z.number().int().min(1).max(1000);
const Rows = z.number().int().min(1).max(1000);

/**
 * One interactive shell, as an executor needs it: the lesson as it stands
 * (jail tree, the probes to put in the jail's /bin, limits, supplementary
 * groups), the learner's source and the terminal's size. Like a RunJob it
 * carries everything, so it runs in this process or on a runner elsewhere,
 * and the runner validates it on arrival.
 */
export const ShellJob = RunJob.pick({ learnerId: true, lesson: true, probeHeader: true, source: true }).extend({
  /** Names the shell in logs and in Redis: `shell-<random>`. */
  shellId: z.string().regex(/^shell-[0-9a-f]{8,64}$/),
  cols: Cols,
  rows: Rows,
});
export type ShellJob = z.infer<typeof ShellJob>;

export const TerminalSize = z.object({ cols: Cols, rows: Rows });
export type TerminalSize = z.infer<typeof TerminalSize>;

/** The job for a shell in `lesson` as it stands now: the same lesson part a run of it would carry. */
export function shellJobFor(shell: { shellId: string; learnerId: string; source: string; size: TerminalSize }, lesson: Lesson, probeHeader: string): ShellJob {
  const run = jobFor({ id: shell.shellId, learnerId: shell.learnerId, source: shell.source, solutionShown: false }, lesson, lesson.checks, probeHeader, { trace: false });
  return { shellId: shell.shellId, learnerId: run.learnerId, lesson: run.lesson, probeHeader: run.probeHeader, source: run.source, ...shell.size };
}
