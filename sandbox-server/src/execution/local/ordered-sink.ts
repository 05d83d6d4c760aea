import type { RunEvent } from '@jaillab/protocol';
import type { RunSink } from '../run-executor.js';

/**
 * A run's stream in check order, whatever order its VMs finish in: what a
 * check sends (its start, output, replay, verdict, findings) waits until every
 * check before it has its verdict, then goes out as it came. A run that spreads
 * its checks over two VMs looks, to every watcher (the terminal, the CLI, a
 * dashboard), like one that ran them one after the other.
 */
type Held = { kind: 'event'; event: RunEvent } | { kind: 'output'; data: Buffer };

const checkOf = (e: RunEvent): number | null =>
  e.type === 'check-started' || e.type === 'check-finished' || e.type === 'check-trace' || e.type === 'check-findings' ? e.index : null;

export class OrderedSink implements RunSink {
  /** The check whose turn it is: everything of earlier checks has gone out. */
  private turn = 0;
  private readonly held = new Map<number, Held[]>();

  constructor(private readonly sink: RunSink) {}

  event(e: RunEvent): void {
    const index = checkOf(e);
    if (index === null || index <= this.turn) this.sink.event(e);
    else this.hold(index, { kind: 'event', event: e });
    if (e.type === 'check-finished' && index === this.turn) this.advance();
  }

  output(checkIndex: number, data: Buffer): Promise<void> | void {
    if (checkIndex <= this.turn) return this.sink.output(checkIndex, data);
    this.hold(checkIndex, { kind: 'output', data });
  }

  private hold(index: number, item: Held): void {
    const list = this.held.get(index);
    if (list) list.push(item);
    else this.held.set(index, [item]);
  }

  /** The turn passes to the next check, which sends what it held; if that includes its verdict, on again. */
  private advance(): void {
    for (;;) {
      this.turn++;
      const items = this.held.get(this.turn) ?? [];
      this.held.delete(this.turn);
      let finished = false;
      for (const item of items) {
        if (item.kind === 'output') void this.sink.output(this.turn, item.data);
        else {
          this.sink.event(item.event);
          finished ||= item.event.type === 'check-finished';
        }
      }
      if (!finished) return;
    }
  }
}
