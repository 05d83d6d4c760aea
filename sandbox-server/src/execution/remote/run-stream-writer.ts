import type { RunEvent } from '@jaillab/protocol';
import type { Redis } from 'ioredis';
import type { RunSink } from '../run-executor.js';
import { RUN_TTL_S, keys } from './keys.js';
import { OutputBacklog } from './output-backlog.js';
import { encodeEntry, type RunnerHello, type StreamEntry } from './stream-codec.js';

export interface Backpressure {
  /** Stop reading the VM when this many bytes are written but not yet handled by the server… */
  highBytes: number;
  /** …and read on once the server is back under this. */
  lowBytes: number;
  /** How often to look at the server's cursor while waiting. */
  pollMs: number;
  /** A server that handles nothing for this long is gone: the run is given up (its VM freed). */
  maxStallMs: number;
}

/**
 * Well under one check's output limit (256 KiB by default), so a program that floods its output while the
 * server is slow really is stopped, as it is in a local run when the host stops reading the VM.
 */
export const DEFAULT_BACKPRESSURE: Backpressure = { highBytes: 128 << 10, lowBytes: 32 << 10, pollMs: 25, maxStallMs: 60_000 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A runner's end of a run's Redis stream: the run's events and output, in
 * order, as a RunSink. Writes go out one after another (order is the
 * contract); when the server falls more than `highBytes` behind, output()
 * returns a promise that settles once it has caught up, and the executor stops
 * reading the VM meanwhile — the guest program's writes block, exactly as
 * when a local server stops reading. Entries the server has handled are
 * trimmed, so the stream never holds much more than the backlog.
 *
 * Every entry after the first gets its id from the writer (the first one's id,
 * then the next sequence number), so a write is idempotent: when the
 * connection drops with an XADD on the wire, ioredis sends it again once
 * back, and if Redis had stored it already the second one is refused as "not
 * above the top" instead of doubling a chunk of the learner's output.
 */
export class RunStreamWriter implements RunSink {
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private readonly backlog = new OutputBacklog();
  private readonly stream: string;
  private readonly cursor: string;
  /** The id the next entry gets, once the first entry has told us where this writer's ids start. */
  private next: { ms: string; seq: bigint } | null = null;

  constructor(
    private readonly redis: Redis,
    runId: string,
    private readonly limits: Backpressure,
    private readonly signal: AbortSignal,
    private readonly onStalled: () => void,
  ) {
    this.stream = keys.stream(runId);
    this.cursor = keys.cursor(runId);
  }

  taken(by: RunnerHello): void {
    this.append({ kind: 'taken', by }, 0);
    // Keys of a run expire by themselves if both ends vanish; the writer renews nothing, the server sets the end.
    this.chain = this.chain.then(() => this.redis.expire(this.stream, RUN_TTL_S).then(() => undefined));
  }

  /** This runner gives the run back (it shuts down before the run's first check started): the job is on the queue again. */
  handedBack(by: RunnerHello): void {
    this.append({ kind: 'handed-back', by }, 0);
  }

  event(e: RunEvent): void {
    this.append({ kind: 'event', event: e }, 0);
  }

  output(checkIndex: number, data: Buffer): Promise<void> | void {
    this.append({ kind: 'output', checkIndex, data }, data.byteLength);
    if (this.backlog.pending > this.limits.highBytes) return this.caughtUp();
  }

  /** Resolves when everything written is in Redis; rejects if a write failed. */
  async flush(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** Bytes written that the server has not handled: what this run costs in Redis and on the way. */
  get pending(): number {
    return this.backlog.pending;
  }

  private append(entry: StreamEntry, bytes: number): void {
    this.backlog.queued(bytes);
    const total = this.backlog.total;
    const fields = encodeEntry(entry);
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
