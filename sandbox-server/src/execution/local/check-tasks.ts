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
 * replay says which run it shows and how that run ended. An escape can depend
 * on timing (another user squatting the jail's directory first): a recording
 * run that does not end as the first did is run again, up to
 * RECORDING_RUNS times, so the replay shows the escape whenever it can.
 *
 * A program that hangs: once two checks in a row hit the time limit before the
 * probe ever started, the rest are not run (every one would wait out its limit
 * the same way, holding a VM slot the room needs).
 */
export interface CheckTask {
  check: JobCheck;
  /** Record the escape replay in this run of the check. */
  record: boolean;
  /** Set for the recording run of an escaped check: the verdict the learner was shown, and which try this is (1…). */
  rerunOf: { verdict: Verdict; attempt: number } | null;
}

/** How many recording runs an escaped check gets, at most, to end as its first run did. */
export const RECORDING_RUNS = 3;

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
    if (this.replay && !task.record && verdict === 'escaped') this.waiting.unshift({ check: task.check, record: true, rerunOf: { verdict, attempt: 1 } });
    this.timedOutInARow = hung ? this.timedOutInARow + 1 : 0;
    if (this.timedOutInARow >= HANG_CHECKS) this.skipped = true;
  }

  /**
   * A recording run's result. True when its replay is the one to show: it ended as the first run did, or it was
   * the last try. False when another try is queued instead.
   */
  recorded(task: CheckTask, verdict: Verdict): boolean {
    const rerun = task.rerunOf;
    if (!rerun || verdict === rerun.verdict || rerun.attempt >= RECORDING_RUNS) return true;
    this.waiting.unshift({ ...task, rerunOf: { ...rerun, attempt: rerun.attempt + 1 } });
    return false;
  }

  /** The first runs that were never started because the program hangs; they are taken out of the queue. */
  notRun(): JobCheck[] {
    if (!this.skipped) return [];
    const rest = this.waiting.filter((t) => !t.rerunOf).map((t) => t.check);
    this.waiting.length = 0;
    return rest;
  }
}
