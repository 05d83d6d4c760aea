import type { RunEvent, RunOutcome } from '@jaillab/protocol';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ExecutorCapacity, RunExecutor, RunSink } from '../run-executor.js';
import type { RunJob } from '../run-job.js';
import type { ShellExecutor } from '../shell-executor.js';
import { FINISHED_TTL_S, HEARTBEAT_TTL_MS, PREFIX, QUEUE_NAME, RUN_TTL_S, keys } from './keys.js';
import { connect, type RedisTarget } from './redis-connection.js';
import { RemoteShellExecutor } from './remote-shell-executor.js';
import { RunnerRegistry } from './runner-registry.js';
import { decodeEntry, type RunnerHello } from './stream-codec.js';

export class RedisUnreachableError extends Error {}

/** How long one XREAD waits for news: also how often the server looks at queue positions and heartbeats. */
const READ_BLOCK_MS = 500;
/** Entries per read: a burst of output arrives in a few round trips, and no read holds much. */
const READ_COUNT = 256;

type StreamReply = Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;

/**
 * Runs on runner machines, through BullMQ on Redis. A run becomes a job
 * (job id = run id) on the `runs` queue; whichever runner takes it writes the
 * run's events and output to the run's own Redis stream, which this reads
 * from the last id it handled and hands to the sink, recording how far it got
 * (the runner's backpressure). While the job waits, its place in BullMQ's
 * wait list (the registry's snapshot, read once a second through BullMQ's
 * own API) is the learner's place in line; once taken, the runner's
 * heartbeat must stay: a missing one ends the run within seconds with "the
 * runner was lost". Cancel removes a waiting job, or tells the runner holding
 * it (pub/sub, and a key for a runner that takes it a moment later).
 *
 * One learner has at most one run going (the run service supersedes), so the
 * wait list holds at most one job per learner and its arrival order is fair.
 */
export class RemoteExecutor implements RunExecutor {
  private reconnects = 0;

  private constructor(
    private readonly target: RedisTarget,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly registry: RunnerRegistry,
    private readonly log: (line: string) => void,
  ) {
    redis.on('reconnecting', () => this.reconnects++);
  }

  static async connect(target: RedisTarget, log: (line: string) => void): Promise<RemoteExecutor> {
    const redis = connect(target, 'server', false);
    redis.on('error', () => undefined); // reported where a command fails, with the run it failed
    try {
      await redis.ping();
    } catch (e) {
      redis.disconnect();
      throw new RedisUnreachableError(`cannot reach Redis at ${target.label}: ${(e as Error).message}`);
    }
    const queue = new Queue(QUEUE_NAME, {
      connection: { ...target.options },
      prefix: PREFIX,
      // Never retried: a job that failed or whose runner died is reported, not run a second time.
      defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
    });
    queue.on('error', (e) => log(`queue: ${e.message}`));
    const registry = new RunnerRegistry(redis, queue);
    await registry.start();
    log(`runs go to runners through ${target.label} (${registry.live.length} runner(s) up now)`);
    return new RemoteExecutor(target, redis, queue, registry, log);
  }

  capacity(): ExecutorCapacity {
    const live = this.registry.live;
    const sum = (f: (r: (typeof live)[number]) => number): number => live.reduce((n, r) => n + f(r), 0);
    return {
      accelerator: this.registry.accelerator,
      slots: sum((r) => r.slots),
      ready: sum((r) => r.ready),
      starting: sum((r) => r.starting),
      inUse: sum((r) => r.busy),
      queued: this.registry.queued,
      runners: live.map(({ id, host, accelerator, slots, busy }) => ({ id, host, accelerator, slots, busy })),
    };
  }

  /** Shells on the same runners, through the same queue (remote-shell-executor.ts). */
  shellExecutor(): ShellExecutor {
    return new RemoteShellExecutor({ target: this.target, redis: this.redis, queue: this.queue, position: (id) => this.registry.position(id), log: this.log });
  }

  /** Runners keep their own pools ready (their JAILLAB_POOL_SIZE): a room cannot warm them from here. */
  warm(): void {}

  async close(): Promise<void> {
    this.registry.stop();
    await this.queue.close();
    this.redis.disconnect();
  }

  async execute(job: RunJob, sink: RunSink, signal: AbortSignal): Promise<void> {
    const runId = job.runId;
    const started = Date.now();
    const reconnectsAtStart = this.reconnects;
    const reader = connect(this.target, `server-read-${runId}`, false);
    reader.on('error', () => undefined);
    // A dropped connection may have lost entries (a Redis restart forgets the stream): the run cannot be trusted
    // to be whole any more, so it ends, with that reason, rather than going on with gaps nobody would see.
    let connectionLost = false;
    reader.on('reconnecting', () => (connectionLost = true));
    let lastId = '0-0';
    let taken: RunnerHello | null = null;
    let finished = false;
    let cancelling = false;
    let lastPosition = -1;
    let notWaitingSince: number | null = null;
    let nextLook = 0;
    let missedBeat = false;

    const end = (outcome: RunOutcome, message: string): void => {
      if (finished) return;
      finished = true;
      sink.event({ type: 'finished', outcome, message, accelerator: null, durationMs: Date.now() - started });
    };
    const lost = (): void => {
      const why =
        connectionLost || this.reconnects !== reconnectsAtStart
          ? 'the connection to the run queue (Redis) was lost during the run'
          : `the runner running it${taken ? ` (${taken.host})` : ''} was lost: it stopped answering`;
      this.log(`run ${runId}: ${why}`);
      end('error', `The run could not complete: ${why}. Your code is kept; press Run to try again.`);
    };

    // A runner writes a run's end to the stream before it drops the run's heartbeat, so a missing heartbeat may
    // only mean the end arrived after the last read. The runner is gone when one more read, made after the beat
    // was missed, still brings no end (that read returns at once if the end is there).
    const runnerGone = async (): Promise<boolean> => {
      if (await this.redis.exists(keys.heartbeat(runId))) return (missedBeat = false);
      if (missedBeat) return true;
      missedBeat = true;
      nextLook = 0;
      return false;
    };

    const cancel = async (): Promise<void> => {
      cancelling = true;
      // Still waiting: off the queue, and nobody ever runs it. (remove() refuses a job a runner has locked.)
      const removed = await this.queue.remove(runId).catch(() => 0);
      if (removed === 1 && !taken) return end('cancelled', 'The run was cancelled.');
      await this.redis.multi().set(keys.cancelled(runId), '1', 'EX', RUN_TTL_S).publish(keys.cancelChannel, runId).exec();
    };

    try {
      await this.queue.add('run', job, { jobId: runId });
      while (!finished) {
        if (signal.aborted && !cancelling) await cancel();
        if (finished) break;
        if (connectionLost || this.reconnects !== reconnectsAtStart) {
          lost();
          // The runner stops it too when its own connection drops; this reaches it if it did not notice.
          await this.redis.multi().set(keys.cancelled(runId), '1', 'EX', RUN_TTL_S).publish(keys.cancelChannel, runId).exec().catch(() => undefined);
          break;
        }
        const reply = (await reader.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', READ_BLOCK_MS, 'STREAMS', keys.stream(runId), lastId)) as StreamReply;
        if (connectionLost) continue; // what came after the drop is not the whole story: the check above ends the run
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            lastId = id.toString();
            const entry = decodeEntry(fields);
            if (entry.kind === 'taken') taken = entry.by;
            else if (entry.kind === 'handed-back') {
              // The runner is shutting down and gave the run back before its first check: it waits again, from
              // its place at the front, and the next runner starts it from the beginning.
              taken = null;
              missedBeat = false;
              notWaitingSince = null;
              lastPosition = -1;
              sink.event({ type: 'vm-fault', message: `runner ${entry.by.host} is shutting down and handed this run back before its checks began; it runs on another runner`, retrying: true });
            } else if (entry.kind === 'output') await sink.output(entry.checkIndex, entry.data);
            else {
              const e: RunEvent = entry.event.type === 'vm-ready' && taken ? { ...entry.event, runner: taken.host } : entry.event;
              if (e.type === 'finished') finished = true;
              sink.event(e);
            }
          }
        }
        // How far this server got: the runner reads on while it is close behind, and trims what is handled.
        if (reply) await this.redis.set(keys.cursor(runId), lastId, 'EX', RUN_TTL_S);
        if (finished || Date.now() < nextLook) continue;
        nextLook = Date.now() + 1000;
        if (taken) {
          if (await runnerGone()) lost();
          continue;
        }
        const position = this.registry.position(runId);
        if (position >= 0) {
          notWaitingSince = null;
          if (position !== lastPosition) sink.event({ type: 'queued', position });
          lastPosition = position;
        } else {
          // Taken but not yet announced: a runner that died in between has no heartbeat either.
          notWaitingSince ??= Date.now();
          if (Date.now() - notWaitingSince > HEARTBEAT_TTL_MS + 1000 && (await runnerGone())) lost();
        }
      }
    } catch (e) {
      if (!finished) {
        this.log(`run ${runId}: ${(e as Error).message}`);
        if (signal.aborted) end('cancelled', 'The run was cancelled.');
        else end('error', `The run could not complete: the run queue (Redis at ${this.target.label}) failed: ${(e as Error).message}. Your code is kept; press Run to try again.`);
      }
      if (!signal.aborted) await this.queue.remove(runId).catch(() => 0);
    } finally {
      reader.disconnect();
      await this.redis
        .multi()
        .expire(keys.stream(runId), FINISHED_TTL_S)
        .expire(keys.cursor(runId), FINISHED_TTL_S)
        .exec()
        .catch(() => undefined);
    }
  }
}
