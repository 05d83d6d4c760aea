import type { RawData } from 'ws';
import { TokenBucket } from './rate-limit.js';

/** Messages a socket may send: 30 a second on average, bursts of 120. */
const MESSAGES_PER_SECOND = 30;
const MESSAGE_BURST = 120;
/** A client that keeps flooding after being told it is rate limited is cut off. */
const MAX_DROPPED = 2000;
/** An ack is a tiny JSON text; anything larger is not one. */
const MAX_ACK_BYTES = 96;

/** What to do with one incoming message. */
export type Admission = { kind: 'pass' } | { kind: 'drop'; notify: boolean } | { kind: 'close' };

/**
 * The per-socket message rate limit, with one exception: an ack for an
 * output frame we sent is never limited. Dropping it would leave the stream
 * paused for good (a client that acks every small frame of a live run can
 * send more than the bucket's burst). Only acks we are owed pass free; any
 * beyond that are charged like every other message.
 */
export class MessageGuard {
  private readonly bucket: TokenBucket;
  private acksOwed = 0;
  private dropped = 0;
  private lastNotice = -Infinity;

  constructor(private readonly now: () => number = Date.now) {
    this.bucket = new TokenBucket(MESSAGES_PER_SECOND, MESSAGE_BURST, now);
  }

  /** An output frame went out: the browser owes us one ack for it. */
  frameSent(): void {
    this.acksOwed++;
  }

  admit(data: RawData, isBinary: boolean): Admission {
    if (this.isOwedAck(data, isBinary)) {
      this.acksOwed--;
      return { kind: 'pass' };
    }
    if (this.bucket.take()) return { kind: 'pass' };
    this.dropped++;
    if (this.dropped > MAX_DROPPED) return { kind: 'close' };
    // Say so at most once a second: the notice itself must not become a flood.
    const notify = this.now() - this.lastNotice > 1000;
    if (notify) this.lastNotice = this.now();
    return { kind: 'drop', notify };
  }

  private isOwedAck(data: RawData, isBinary: boolean): boolean {
    if (isBinary || this.acksOwed === 0 || !Buffer.isBuffer(data) || data.byteLength > MAX_ACK_BYTES) return false;
    try {
      return (JSON.parse(data.toString()) as { type?: unknown } | null)?.type === 'ack';
    } catch {
      return false;
    }
  }
}
