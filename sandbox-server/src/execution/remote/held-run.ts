import type { RunEvent } from '@jaillab/protocol';
import type { RunSink } from '../run-executor.js';

/** How a run a runner had to give up ends: back on the queue, or ended with the reason. */
export type GiveUp = 'handed-back' | 'stopped';

/**
 * One run a runner holds, between the executor and the run's stream: it
 * knows whether a check has started, which decides what a runner that must
 * go before the run is done may do with it. Before the first check nothing
 * of the learner's program has run or been shown, so the run may go back to
 * the queue and run elsewhere from the start (what this runner did with it is
 * not passed on: only compile events would repeat). Once a check has started,
 * running it again would show its output twice: the run is ended, saying
 * why, instead of going silent until the server calls the runner lost.
 */
export class HeldRun implements RunSink {
  private checkStarted = false;
  private ending: GiveUp | null = null;

  constructor(
    readonly runId: string,
    /** Cancels, a stalled server, a restarted Redis and giveUp() all stop the run through this. */
    readonly abort: AbortController,
    private readonly stream: RunSink,
    private readonly host: string,
  ) {}

  event(e: RunEvent): void {
    if (this.ending === 'handed-back') return;
    if (e.type === 'finished' && this.ending === 'stopped') {
      this.stream.event({ ...e, outcome: 'error', message: `The run could not complete: the runner running it (${this.host}) was shut down before the run was done. Your code is kept; press Run to try again.` });
      return;
    }
    if (e.type === 'check-started') this.checkStarted = true;
    this.stream.event(e);
  }

  output(checkIndex: number, data: Buffer): Promise<void> | void {
    if (this.ending === 'handed-back') return;
    return this.stream.output(checkIndex, data);
  }

  /** The runner has to go now: aborts the run and says how it will end. Decided once; later calls change nothing. */
  giveUp(): GiveUp {
    this.ending ??= this.checkStarted ? 'stopped' : 'handed-back';
    this.abort.abort();
    return this.ending;
  }

  get handedBack(): boolean {
    return this.ending === 'handed-back';
  }
}
