import { OUTPUT_ACK_EVERY_BYTES } from '@jaillab/protocol';

/**
 * Flow control, browser side. The server stops sending a socket output once
 * OUTPUT_HIGH_WATER_BYTES are unacknowledged and resumes below the low-water
 * mark; we acknowledge bytes only after xterm.js has actually processed them
 * (its write callback), so a program doing `while (1) printf("x")` can never
 * queue more than a bounded amount in this tab.
 *
 * Acks are batched: one per OUTPUT_ACK_EVERY_BYTES written, and whatever is
 * left once writing goes quiet. The quiet flush matters — without it the tail
 * of every run would stay unacknowledged and add up until the server stopped
 * sending altogether. Acks are also spaced at least `minIntervalMs` apart: the
 * server rate-limits each socket (30 messages/s), and a dropped ack would
 * stall the stream for good.
 */
export class AckBatcher {
  private pending = 0;
  private generation = -1;
  private lastSent = 0;
  private timer: number | undefined;
  /** When the armed timer fires (ms since epoch); lets a due batch keep its slot. */
  private dueAt = 0;

  constructor(
    private readonly send: (bytes: number, generation: number) => void,
    private readonly every = OUTPUT_ACK_EVERY_BYTES,
    private readonly idleMs = 40,
    private readonly minIntervalMs = 100,
  ) {}

  /** `bytes` that arrived on socket `generation` are now on screen. */
  written(bytes: number, generation: number): void {
    // Counts never mix sockets: the old socket's remainder goes out (and is dropped there) first.
    if (generation !== this.generation) {
      this.flush();
      this.generation = generation;
    }
    this.pending += bytes;
    const now = Date.now();
    const earliest = this.lastSent + this.minIntervalMs;
    if (this.pending >= this.every) {
      // A full batch: send now if allowed, else at the earliest allowed moment (never later).
      if (now >= earliest) this.flush();
      else if (this.timer === undefined || this.dueAt > earliest) this.arm(earliest - now);
    } else {
      // Not a batch yet: send once writing has been quiet for a moment (each write pushes it back).
      this.arm(Math.max(this.idleMs, earliest - now));
    }
  }

  flush(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending > 0) {
      this.send(this.pending, this.generation);
      this.lastSent = Date.now();
    }
    this.pending = 0;
  }

  private arm(delayMs: number): void {
    window.clearTimeout(this.timer);
    this.dueAt = Date.now() + delayMs;
    this.timer = window.setTimeout(() => this.flush(), delayMs);
  }
}
