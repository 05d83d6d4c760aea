import { writeFile } from 'node:fs/promises';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunExecutor } from '../run-executor.js';
import { RunJob } from '../run-job.js';
import { FINISHED_TTL_S, HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, PREFIX, QUEUE_NAME, keys } from './keys.js';
import { connect, type RedisTarget } from './redis-connection.js';
import { type Backpressure, DEFAULT_BACKPRESSURE, RunStreamWriter } from './run-stream-writer.js';
import type { RunnerRecord } from './runner-registry.js';

export interface RunnerDeps {
  target: RedisTarget;
  /** This machine's VMs (a LocalExecutor): the runner only carries jobs to it and its events back. */
  executor: RunExecutor;
  id: string;
  host: string;
  /** Jobs at once: the VM slots of this machine. */
  slots: number;
  backpressure?: Backpressure;
  /** Touched after every heartbeat Redis took: a liveness probe reads its age (the runner has no port to probe). */
  aliveFile?: string;
  log: (line: string) => void;
}

/**
 * A runner: takes run jobs from the BullMQ queue (as many at once as it has
 * VM slots), executes each in its own VMs and writes the run's events and
 * output to the run's Redis stream. It needs no inbound port: everything goes
 * through Redis. While it holds a run it beats a heartbeat for it, so the
 * server notices within seconds when it is gone; and it listens for cancels.
 */
export class Runner {
  private redis: Redis | null = null;
  private subscriber: Redis | null = null;
  private worker: Worker | null = null;
  private beat: NodeJS.Timeout | null = null;
  private readonly active = new Map<string, AbortController>();
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly deps: RunnerDeps) {}

  async start(): Promise<void> {
    const { target, log } = this.deps;
    this.redis = connect(target, `runner-${this.deps.id}`, false);
    // Its connection dropped: what it wrote meanwhile may be gone (a Redis restart forgets the streams), so the
    // runs it holds are given up and their VMs freed; the server tells the learners why.
    this.redis.on('reconnecting', () => {
      for (const [runId, abort] of this.active) {
        log(`runner: run ${runId}: the connection to Redis dropped; giving the run up`);
        abort.abort();
      }
    });
    this.redis.on('error', () => undefined);
    this.subscriber = connect(target, `runner-${this.deps.id}-cancels`, true);
    await this.redis.ping();
    this.subscriber.on('message', (_channel: string, runId: string) => this.active.get(runId)?.abort());
    await this.subscriber.subscribe(keys.cancelChannel);
    await this.announce();
    this.beat = setInterval(() => void this.announce().catch((e: Error) => log(`runner: could not reach Redis: ${e.message}`)), HEARTBEAT_EVERY_MS);
    this.worker = new Worker(QUEUE_NAME, (job) => this.process(job), {
      connection: { ...target.options, maxRetriesPerRequest: null },
      prefix: PREFIX,
      concurrency: this.deps.slots,
      // A job whose runner died is failed by the next stalled check, never handed to another runner: a run
      // is never executed twice. (The server has told the learner already, from the missing heartbeat.)
      maxStalledCount: 0,
      lockDuration: 10_000,
      stalledInterval: 5_000,
    });
    this.worker.on('error', (e) => log(`runner: ${e.message}`));
    await this.worker.waitUntilReady();
    log(`runner ${this.deps.id}: taking runs from ${target.label} (${this.deps.slots} at once)`);
  }

  /** Runs it holds now. */
  get busy(): number {
    return this.active.size;
  }

  /** Stops taking jobs, lets the runs it holds finish, and leaves the registry. */
  async close(): Promise<void> {
    if (this.beat) clearInterval(this.beat);
    await this.worker?.close();
    await this.redis?.del(keys.runner(this.deps.id)).catch(() => undefined);
    this.subscriber?.disconnect();
    this.redis?.disconnect();
  }

  private async announce(): Promise<void> {
    const c = this.deps.executor.capacity();
    const record: RunnerRecord = { id: this.deps.id, host: this.deps.host, accelerator: c.accelerator, slots: this.deps.slots, busy: this.active.size, ready: c.ready, starting: c.starting, startedAt: this.startedAt };
    const m = this.redis!.multi().set(keys.runner(this.deps.id), JSON.stringify(record), 'PX', HEARTBEAT_TTL_MS);
    for (const runId of this.active.keys()) m.set(keys.heartbeat(runId), this.deps.id, 'PX', HEARTBEAT_TTL_MS);
    await m.exec();
    if (this.deps.aliveFile) await writeFile(this.deps.aliveFile, `${new Date().toISOString()}\n`);
  }

  private async process(bull: Job): Promise<void> {
    const redis = this.redis!;
    const parsed = RunJob.safeParse(bull.data);
    if (!parsed.success) {
      // Most likely a server and a runner of different versions: say so to the learner, not only in a log.
      const why = parsed.error.issues[0];
      this.deps.log(`runner: job ${bull.id} is not a run job this runner understands: ${why?.path.join('.')}: ${why?.message}`);
      if (typeof bull.id === 'string') {
        const writer = new RunStreamWriter(redis, bull.id, DEFAULT_BACKPRESSURE, new AbortController().signal, () => {});
        writer.taken({ runnerId: this.deps.id, host: this.deps.host });
        writer.event({ type: 'finished', outcome: 'error', message: `The run could not start: runner ${this.deps.host} could not read its job (is it running another version of JailLab than the server?).`, accelerator: null, durationMs: 0 });
        await writer.flush().catch(() => undefined);
      }
      return;
    }
    const job = parsed.data;
    const abort = new AbortController();
    this.active.set(job.runId, abort);
    const writer = new RunStreamWriter(redis, job.runId, this.deps.backpressure ?? DEFAULT_BACKPRESSURE, abort.signal, () => {
      this.deps.log(`runner: run ${job.runId}: the server has read nothing for a minute; giving the run up`);
      abort.abort();
    });
    try {
      await redis.set(keys.heartbeat(job.runId), this.deps.id, 'PX', HEARTBEAT_TTL_MS);
      // Cancelled between the server's cancel and this runner taking the job: the pub/sub message came too early.
      if (await redis.exists(keys.cancelled(job.runId))) abort.abort();
      writer.taken({ runnerId: this.deps.id, host: this.deps.host });
      await this.deps.executor.execute(job, writer, abort.signal);
      await writer.flush();
    } catch (e) {
      this.deps.log(`runner: run ${job.runId}: ${(e as Error).message}`);
    } finally {
      this.active.delete(job.runId);
      await redis
        .multi()
        .del(keys.heartbeat(job.runId))
        .expire(keys.stream(job.runId), FINISHED_TTL_S)
        .exec()
        .catch(() => undefined);
    }
  }
}
