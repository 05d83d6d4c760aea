import type { Verdict } from '@jaillab/protocol';
import type { JobCheck } from '../run-job.js';

/**
 * What a run's VMs are to do, in order, and what they have done: each check
 * once, plus a second run of an escaped check to record its replay.
 *
 * Which checks record the escape replay (tracing every listed call costs a
 * ptrace stop per call, and most checks need none): with the replay on, the
 * first check always (it gives the POS05-C findings, which are about the jail
 * program and so the same for every check) and the path race's (it is traced
 * for the race anyway); every other check runs with the agent watching only
 * execs, forks and exits. One that escapes runs a second time, recording, so
 * its replay shows how it got out; the verdict stays the first run's, and the
 * replay says which run it shows and how that run ended.
 *
 * A program that hangs: once two checks in a row hit the time limit before the
 * probe ever started, the rest are not run (every one would wait out its limit
 * the same way, holding a VM slot the room needs).
 */
export interface CheckTask {
  check: JobCheck;
  /** Record the escape replay in this run of the check. */
  record: boolean;
  /** Set for the second run of an escaped check: the verdict the learner was shown. */
  rerunOf: { verdict: Verdict } | null;
}

/** Consecutive checks that timed out before their probe started after which the rest are not run. */
export const HANG_CHECKS = 2;

export class CheckTasks {
  private readonly waiting: CheckTask[];
  private timedOutInARow = 0;
  private skipped = false;

  constructor(
    checks: readonly JobCheck[],
    private readonly replay: boolean,
  ) {
    this.waiting = checks.map((check, i) => ({ check, record: replay && (i === 0 || check.probe.race !== null), rerunOf: null }));
  }

  /** True once the program was seen to hang: the first runs left are not to be run. */
  get stopped(): boolean {
    return this.skipped;
  }

  /** The next task, or null when none is left (or the rest are not to be run). */
  next(): CheckTask | null {
    if (this.skipped && this.waiting[0]?.rerunOf === null) return null;
    return this.waiting.shift() ?? null;
  }

  /** Puts a task back at the front (its VM failed before it finished). */
  retry(task: CheckTask): void {
    this.waiting.unshift(task);
  }

  /** A first run's result: may queue its recording run, and counts hangs. */
  finished(task: CheckTask, verdict: Verdict, hung: boolean): void {
    if (task.rerunOf) return;
    if (this.replay && !task.record && verdict === 'escaped') this.waiting.unshift({ check: task.check, record: true, rerunOf: { verdict } });
    this.timedOutInARow = hung ? this.timedOutInARow + 1 : 0;
    if (this.timedOutInARow >= HANG_CHECKS) this.skipped = true;
  }

  /** The first runs that were never started because the program hangs; they are taken out of the queue. */
  notRun(): JobCheck[] {
    if (!this.skipped) return [];
    const rest = this.waiting.filter((t) => !t.rerunOf).map((t) => t.check);
    this.waiting.length = 0;
    return rest;
  }
}
