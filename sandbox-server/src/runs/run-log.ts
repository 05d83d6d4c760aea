import type { RunEvent } from '@jaillab/protocol';

/**
 * Everything a run produced, in order: typed events and output chunks. Any
 * number of watchers read it with their own cursor (a reconnecting tab
 * replays it from the start), and none of them can slow the run down: the run
 * appends, watchers catch up at their own pace. Its size is bounded because
 * each check's output is.
 */
export type RunLogEntry =
  | { kind: 'event'; seq: number; event: RunEvent }
  | { kind: 'output'; seq: number; checkIndex: number; data: Buffer };

export class RunLog {
  private readonly items: RunLogEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private outputBytes = 0;

  get entries(): readonly RunLogEntry[] {
    return this.items;
  }

  get bytes(): number {
    return this.outputBytes;
  }

  append(event: RunEvent): void {
    this.items.push({ kind: 'event', seq: this.items.length, event });
    this.notify();
  }

  appendOutput(checkIndex: number, data: Buffer): void {
    if (data.byteLength === 0) return;
    this.outputBytes += data.byteLength;
    this.items.push({ kind: 'output', seq: this.items.length, checkIndex, data });
    this.notify();
  }

  /** Calls listener whenever something is appended; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  events(): RunEvent[] {
    return this.items.flatMap((e) => (e.kind === 'event' ? [e.event] : []));
  }

  outputOf(checkIndex: number): Buffer {
    return Buffer.concat(this.items.flatMap((e) => (e.kind === 'output' && e.checkIndex === checkIndex ? [e.data] : [])));
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
