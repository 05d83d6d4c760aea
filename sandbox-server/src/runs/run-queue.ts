import type { Run } from './run.js';

/** What the queue needs of a run: somewhere to announce its place, and a way to notice it was cancelled. */
export type Queued = Pick<Run, 'log' | 'abort'>;

/**
 * At most `slots` runs use VMs at once; the rest wait in arrival order and are
 * told their place in line whenever it changes. (Workshops will swap this for a
 * queue that is fair between learners; the run only sees enter().)
 */
export class RunQueue {
  private active = 0;
  private readonly waiting: Array<{ run: Queued; go: () => void }> = [];

  constructor(private readonly slots: number) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once the run may start; rejects if the run is cancelled while waiting. */
  async enter(run: Queued): Promise<() => void> {
    if (this.active < this.slots && this.waiting.length === 0) return this.take();
    await new Promise<void>((resolve, reject) => {
      const entry = { run, go: resolve };
      this.waiting.push(entry);
      run.log.append({ type: 'queued', position: this.waiting.length - 1 });
      run.abort.signal.addEventListener('abort', () => {
        const i = this.waiting.indexOf(entry);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        this.announce(i);
        reject(new Error('cancelled'));
      });
    });
    return this.take();
  }

  private take(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const next = this.waiting.shift();
      if (next) {
        this.announce(0);
        next.go();
      }
    };
  }

  /** Tells every run from position `from` on where it now stands. */
  private announce(from: number): void {
    for (let i = from; i < this.waiting.length; i++) this.waiting[i]!.run.log.append({ type: 'queued', position: i });
  }
}
