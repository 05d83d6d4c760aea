import type { RunOutcome } from '@jaillab/protocol';
import type { Lesson } from '../lessons/lesson.js';
import { RunLog } from './run-log.js';

/**
 * One press of Run, as the server keeps it: everything that happens is an
 * event in its log (any number of watchers follow it), whichever executor
 * runs it (this machine's VMs, or a runner elsewhere).
 */
export class Run {
  readonly log = new RunLog();
  readonly abort = new AbortController();
  readonly createdAt = new Date();
  outcome: RunOutcome | null = null;
  finishedAt: number | null = null;
  /** The learner had looked at the lesson's solution before pressing Run: a pass is a pass with the solution. */
  solutionShown = false;

  constructor(
    readonly id: string,
    readonly learnerId: string,
    readonly lesson: Lesson,
    readonly source: string,
    /**
     * Not the learner's own Run (an instructor's probe fired at their jail, a shot in a break-it round): a new
     * Run of theirs does not supersede it, and they cannot cancel it.
     */
    readonly detached = false,
  ) {}
}
