import type { Accelerator, RunEvent, RunnerInfo } from '@jaillab/protocol';
import type { RunJob } from './run-job.js';

/**
 * The one seam between runs and where they execute. A run goes in (a job);
 * a stream of typed events and output comes out, until `finished`; the signal
 * cancels it. Today's pool of QEMU VMs in this process is one implementation
 * (execution/local), runners on other machines behind a BullMQ queue the other
 * (execution/remote). The WebSocket session, the run log, workshops and the
 * CLI see only this.
 */
export interface RunSink {
  event(e: RunEvent): void;
  /**
   * Output of check `checkIndex`. A promise back means "slow down": the
   * executor stops reading the guest until it settles (the run's watchers, or a
   * server reading a runner's stream, fell behind).
   */
  output(checkIndex: number, data: Buffer): Promise<void> | void;
}

export interface ExecutorCapacity {
  accelerator: Accelerator | null;
  /** Runs that may execute at once (VM slots, or free slots on live runners). */
  slots: number;
  ready: number;
  starting: number;
  inUse: number;
  /** Runs waiting for a runner to take them (remote); 0 for the local executor, whose waiting is the run queue's. */
  queued: number;
  /** Runners serving this server (1 for the local executor: this process). */
  runners: RunnerInfo[];
}

export type { RunnerInfo };

/** A slot of the run queue lent to a run that has one already, while nobody else waits for it. */
export interface BorrowedSlot {
  /** True once someone waits for a slot: the borrower gives it back after what it has under way. */
  wanted(): boolean;
  release(): void;
}

/** Where a run may borrow idle slots (a lone learner's checks spread over more VMs; never while anyone waits). */
export interface SpareSlots {
  borrow(): BorrowedSlot | null;
}

export interface RunExecutor {
  /**
   * Resolves after the job's `finished` event was given to the sink (whatever happened: a fault, a cancel). `spare`
   * lends idle slots of the server's queue to the run, for an executor that can use them.
   */
  execute(job: RunJob, sink: RunSink, signal: AbortSignal, spare?: SpareSlots): Promise<void>;
  capacity(): ExecutorCapacity;
  /** Keep this many more VMs ready (a workshop's room), where that makes sense. */
  warm(extra: number): void;
  close(): Promise<void>;
}
