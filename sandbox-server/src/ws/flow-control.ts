import { OUTPUT_HIGH_WATER_BYTES, OUTPUT_LOW_WATER_BYTES } from '@jaillab/protocol';

/** Output frames (runs' and shells') are coalesced up to this size: fewer, larger frames for a chatty program. */
export const MAX_FRAME_DATA = 64 << 10;
/** Socket-level backstop: if the TCP buffer itself grows past this, output waits for it to drain. */
export const MAX_BUFFERED = 1 << 20;

/**
 * Output flow control for one socket (after wetty's): count output bytes sent
 * and not yet acknowledged by the browser's terminal; stop sending above the
 * high-water mark, resume below the low-water mark. A tab that cannot keep up
 * slows only itself; the run's log holds what it has not read yet.
 */
export class FlowControl {
  private unacked = 0;
  private paused = false;

  constructor(
    private readonly high = OUTPUT_HIGH_WATER_BYTES,
    private readonly low = OUTPUT_LOW_WATER_BYTES,
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  get pending(): number {
    return this.unacked;
  }

  sent(bytes: number): void {
    this.unacked += bytes;
    if (this.unacked >= this.high) this.paused = true;
  }

  /** Returns true when this ack un-paused the stream. */
  acked(bytes: number): boolean {
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.paused && this.unacked <= this.low) {
      this.paused = false;
      return true;
    }
    return false;
  }
}
