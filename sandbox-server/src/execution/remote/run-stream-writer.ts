import type { RunEvent } from '@jaillab/protocol';
import type { Redis } from 'ioredis';
import type { RunSink } from '../run-executor.js';
import { type Backpressure, BackpressuredStream } from './backpressured-stream.js';
import { RUN_TTL_S, keys } from './keys.js';
import { encodeEntry, type RunnerHello, type StreamEntry } from './stream-codec.js';


/**
 * A runner's end of a run's Redis stream: the run's events and output, in
 * order, as a RunSink. When the server falls behind, output() returns a
 * promise that settles once it has caught up, and the executor stops reading
 * the VM meanwhile (backpressured-stream.ts).
 */
export class RunStreamWriter implements RunSink {
  private readonly out: BackpressuredStream;

  constructor(
    private readonly redis: Redis,
    runId: string,
    limits: Backpressure,
    signal: AbortSignal,
    onStalled: () => void,
  ) {
    this.out = new BackpressuredStream(redis, keys.stream(runId), keys.cursor(runId), limits, signal, onStalled);
  }

  taken(by: RunnerHello): void {
    this.append({ kind: 'taken', by }, 0);
    // Keys of a run expire by themselves if both ends vanish; the writer renews nothing, the server sets the end.
    this.out.then(() => this.redis.expire(this.out.stream, RUN_TTL_S));
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
    return this.out.slowDown();
  }

  /** Resolves when everything written is in Redis; rejects if a write failed. */
  flush(): Promise<void> {
    return this.out.flush();
  }

  /** Bytes written that the server has not handled: what this run costs in Redis and on the way. */
  get pending(): number {
    return this.out.pending;
  }

  private append(entry: StreamEntry, bytes: number): void {
    this.out.append(encodeEntry(entry), bytes);
  }
}
