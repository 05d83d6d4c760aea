import { OutputFrameKind, type RunOutcome } from '@jaillab/protocol';
import type { RunLog } from '../runs/run-log.js';
import { joinChunks, type OutputStream, type PumpOutput } from './output-pump.js';

/** What watching needs of a run: its log, and whether it is over. */
export interface WatchedRun {
  readonly log: RunLog;
  readonly outcome: RunOutcome | null;
}

/**
 * A run watched on one channel: its log from the first entry on, events as
 * `run-event` messages and output as binary frames (consecutive chunks of one
 * check merged). A slow socket only moves this cursor slower; the run goes on.
 */
export class RunStream implements OutputStream {
  private cursor = 0;

  constructor(
    private readonly run: WatchedRun,
    private readonly channel: number,
    private readonly finished: () => void,
  ) {}

  drain(out: PumpOutput): boolean {
    const entries = this.run.log.entries;
    while (this.cursor < entries.length) {
      if (!out.ready()) return false;
      const entry = entries[this.cursor]!;
      if (entry.kind === 'event') {
        out.message({ type: 'run-event', channel: this.channel, seq: entry.seq, event: entry.event });
        this.cursor++;
        continue;
      }
      const data = joinChunks(
        () => {
          const next = entries[this.cursor];
          return next?.kind === 'output' && next.checkIndex === entry.checkIndex ? next.data : undefined;
        },
        () => this.cursor++,
      );
      out.frame(OutputFrameKind.runOutput, this.channel, entry.checkIndex, data);
    }
    if (!this.run.outcome) return false;
    this.finished();
    return true;
  }
}
