/** One request for a VM slot: who asks (for fairness), how to tell them their place, and how they give up. */
export interface SlotRequest {
  /** The learner the run or shell belongs to. */
  owner: string;
  /** Aborted when the run is cancelled (or the shell's page goes away) while it waits. */
  signal: AbortSignal;
  /** Called with the request's place in line (0 = next) whenever it changes; not called for a request let in at once. */
  onPosition?(position: number): void;
}

/**
 * At most `slots` runs (and shells) use VMs at once; the rest wait in arrival
 * order and are told their place in line whenever it changes.
 */
export class RunQueue {
  private active = 0;
  private readonly waiting: Array<{ request: SlotRequest; go: () => void }> = [];

  constructor(private readonly slots: number) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once the request may start; rejects if it is aborted while waiting. */
  async enter(request: SlotRequest): Promise<() => void> {
    if (request.signal.aborted) throw new Error('cancelled');
    if (this.active < this.slots && this.waiting.length === 0) return this.take();
    await new Promise<void>((resolve, reject) => {
      const entry = { request, go: resolve };
      this.waiting.push(entry);
      request.onPosition?.(this.waiting.length - 1);
      request.signal.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(entry);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          this.announce(i);
          reject(new Error('cancelled'));
        },
        { once: true },
      );
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

  /** Tells every request from position `from` on where it now stands. */
  private announce(from: number): void {
    for (let i = from; i < this.waiting.length; i++) this.waiting[i]!.request.onPosition?.(i);
  }
}
