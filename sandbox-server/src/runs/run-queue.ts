/** One request for a VM slot: who asks (for fairness), how to tell them their place, and how they give up. */
export interface SlotRequest {
  /** The learner the run or shell belongs to. */
  owner: string;
  /** Aborted when the run is cancelled (or the shell's page goes away) while it waits. */
  signal: AbortSignal;
  /** Called with the request's place in line (0 = next) whenever it changes; not called for a request let in at once. */
  onPosition?(position: number): void;
  /**
   * Work nobody is waiting at a screen for (an instructor's probe fired at a room): let in only when no other
   * request waits, in arrival order. A student's own Run is never behind one: at most it waits for the slot
   * one is already in.
   */
  background?: boolean | undefined;
}

/**
 * fair: round-robin between owners — each learner with something waiting gets the next free slot in turn,
 * so one learner pressing Run (and opening shells) in a loop cannot hold up a room. fifo: arrival order
 * (for comparison in the classroom benchmark).
 */
export type QueuePolicy = 'fair' | 'fifo';

interface Waiting {
  request: SlotRequest;
  go: () => void;
  /** Arrival number: fifo order, and the order owners take turns in. */
  seq: number;
  lastPosition: number;
}

/**
 * At most `slots` runs (and shells) use VMs at once; the rest wait and are
 * told their place in line whenever it changes.
 */
export class RunQueue {
  private active = 0;
  private waiting: Waiting[] = [];
  private seq = 0;
  /** When each owner last got a slot (fair policy): who waited longest since their last turn goes first. */
  private readonly lastServed = new Map<string, number>();
  private served = 0;

  constructor(
    private readonly slots: number,
    private readonly policy: QueuePolicy = 'fair',
  ) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once the request may start; rejects if it is aborted while waiting. */
  async enter(request: SlotRequest): Promise<() => void> {
    if (request.signal.aborted) throw new Error('cancelled');
    if (this.active < this.slots && this.waiting.length === 0) {
      if (!request.background) this.servedTurn(request.owner);
      return this.take();
    }
    await new Promise<void>((resolve, reject) => {
      const entry: Waiting = { request, go: resolve, seq: this.seq++, lastPosition: -1 };
      this.waiting.push(entry);
      this.announce();
      request.signal.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(entry);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          this.announce();
          reject(new Error('cancelled'));
        },
        { once: true },
      );
    });
    return this.take();
  }

  /**
   * A slot for someone who holds one already (a run spreading its checks), only if one is free and nobody waits;
   * `wanted` turns true as soon as anyone does, and the borrower gives it back. Borrowing is not a turn.
   */
  borrow(): { wanted: () => boolean; release: () => void } | null {
    if (this.active >= this.slots || this.waiting.length > 0) return null;
    return { wanted: () => this.waiting.length > 0, release: this.take() };
  }

  private take(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const next = this.order()[0];
      if (!next) return;
      this.waiting.splice(this.waiting.indexOf(next), 1);
      if (!next.request.background) this.servedTurn(next.request.owner);
      this.announce();
      next.go();
    };
  }

  /** The waiting requests in the order they will be let in: everyone's own first, background work after. */
  private order(): Waiting[] {
    const byArrival = [...this.waiting].sort((a, b) => a.seq - b.seq);
    const background = byArrival.filter((w) => w.request.background);
    return background.length ? [...this.ownOrder(byArrival.filter((w) => !w.request.background)), ...background] : this.ownOrder(byArrival);
  }

  /** Requests of people waiting at a screen, in the queue's policy. */
  private ownOrder(byArrival: Waiting[]): Waiting[] {
    if (this.policy === 'fifo') return byArrival;
    // Round-robin: take each owner's oldest in turn order, then everyone's second, and so on.
    const queues = new Map<string, Waiting[]>();
    for (const w of byArrival) {
      const q = queues.get(w.request.owner);
      if (q) q.push(w);
      else queues.set(w.request.owner, [w]);
    }
    // Owners never served (or served longest ago) first; among equals, whoever has waited longest.
    const turn = (o: string): number => this.lastServed.get(o) ?? -1;
    const owners = [...queues.keys()].sort((a, b) => turn(a) - turn(b) || queues.get(a)![0]!.seq - queues.get(b)![0]!.seq);
    const out: Waiting[] = [];
    for (let round = 0; out.length < byArrival.length; round++)
      for (const o of owners) {
        const w = queues.get(o)![round];
        if (w) out.push(w);
      }
    return out;
  }

  /** The owner just got a slot: their next turn comes after everyone else's. */
  private servedTurn(owner: string): void {
    this.lastServed.delete(owner);
    this.lastServed.set(owner, this.served++);
    // Remember only recent turns: an owner served long ago ranks with the never-served anyway.
    if (this.lastServed.size > 1000) this.lastServed.delete(this.lastServed.keys().next().value!);
  }

  /** Tells every waiting request whose place changed where it now stands. */
  private announce(): void {
    for (const [i, w] of this.order().entries()) {
      if (w.lastPosition === i) continue;
      w.lastPosition = i;
      w.request.onPosition?.(i);
    }
  }
}
