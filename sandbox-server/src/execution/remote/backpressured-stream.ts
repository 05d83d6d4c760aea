import type { Redis } from 'ioredis';
import { OutputBacklog } from './output-backlog.js';

export interface Backpressure {
  /** Stop reading the VM when this many bytes are written but not yet handled by the server… */
  highBytes: number;
  /** …and read on once the server is back under this. */
  lowBytes: number;
  /** How often to look at the server's cursor while waiting. */
  pollMs: number;
  /** A server that handles nothing for this long is gone: the run (or shell) is given up, its VM freed. */
  maxStallMs: number;
}

/**
 * Well under one check's output limit (256 KiB by default), so a program that floods its output while the
 * server is slow really is stopped, as it is in a local run when the host stops reading the VM.
 */
export const DEFAULT_BACKPRESSURE: Backpressure = { highBytes: 128 << 10, lowBytes: 32 << 10, pollMs: 25, maxStallMs: 60_000 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A runner's end of one Redis stream the server reads (a run's, a shell's
 * output): entries in order, and backpressure from the cursor the server
 * writes after each read. Writes go out one after another (order is the
 * contract); when the server falls more than `highBytes` behind, slowDown()
 * returns a promise that settles once it has caught up, and whoever writes
 * stops reading the VM meanwhile — the guest program's writes block, exactly
 * as when a local server stops reading. Entries the server has handled are
 * trimmed, so the stream never holds much more than the backlog.
 *
 * Every entry after the first gets its id from the writer (the first one's id,
 * then the next sequence number), so a write is idempotent: when the
 * connection drops with an XADD on the wire, ioredis sends it again once
 * back, and if Redis had stored it already the second one is refused as "not
 * above the top" instead of doubling a chunk of the learner's output.
 */
export class BackpressuredStream {
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private readonly backlog = new OutputBacklog();
  /** The id the next entry gets, once the first entry has told us where this writer's ids start. */
  private next: { ms: string; seq: bigint } | null = null;

  constructor(
    private readonly redis: Redis,
    readonly stream: string,
    private readonly cursor: string,
    private readonly limits: Backpressure,
    private readonly signal: AbortSignal,
    private readonly onStalled: () => void,
  ) {}

  /** Queues one entry of `bytes` output bytes (0 for anything that is not output). */
  append(fields: Array<string | Buffer>, bytes: number): void {
    this.backlog.queued(bytes);
    const total = this.backlog.total;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        const id = await this.add(fields);
        this.backlog.stored(id, total);
      } catch (e) {
        this.failure = e as Error;
      }
    });
  }

  /** Runs `step` after every write queued so far (a key's expiry set after the first entry made the stream). */
  then(step: () => Promise<unknown>): void {
    this.chain = this.chain.then(() => step().then(() => undefined));
  }

  /** A promise while the server is too far behind: stop reading the VM until it settles. */
  slowDown(): Promise<void> | undefined {
    if (this.backlog.pending > this.limits.highBytes) return this.caughtUp();
    return undefined;
  }

  /** Resolves when everything written is in Redis; rejects if a write failed. */
  async flush(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** Bytes written that the server has not handled: what this stream costs in Redis and on the way. */
  get pending(): number {
    return this.backlog.pending;
  }

  private async add(fields: Array<string | Buffer>): Promise<string> {
    if (!this.next) {
      // The first entry's id comes from Redis: above anything in the stream, also what an earlier runner wrote
      // before it handed the run back.
      const id = (await this.redis.xadd(this.stream, '*', ...fields))!;
      const [ms, seq] = id.split('-') as [string, string];
      this.next = { ms, seq: BigInt(seq) + 1n };
      return id;
    }
    const id = `${this.next.ms}-${this.next.seq}`;
    this.next.seq += 1n;
    try {
      await this.redis.xadd(this.stream, id, ...fields);
    } catch (e) {
      // Sent again after a reconnect, and already stored the first time: the stream has it once, as it should.
      if (!/equal or smaller than the target stream top item/.test((e as Error).message)) throw e;
    }
    return id;
  }

  private async caughtUp(): Promise<void> {
    const since = Date.now();
    while (this.backlog.pending > this.limits.lowBytes && !this.signal.aborted && !this.failure) {
      if (Date.now() - since > this.limits.maxStallMs) {
        this.onStalled();
        return;
      }
      await sleep(this.limits.pollMs);
      const handled = await this.redis.get(this.cursor).catch(() => null);
      if (!handled) continue;
      this.backlog.handledUpTo(handled);
      // What the server has handled is not needed again: the stream holds the backlog and no more.
      await this.redis.xtrim(this.stream, 'MINID', handled).catch(() => undefined);
    }
  }
}
