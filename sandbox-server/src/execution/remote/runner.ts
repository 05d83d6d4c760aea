import { writeFile } from 'node:fs/promises';
import { type Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunExecutor } from '../run-executor.js';
import { RunJob } from '../run-job.js';
import type { ShellExecutor } from '../shell-executor.js';
import { ShellJob } from '../shell-job.js';
import { type GiveUp, HeldRun } from './held-run.js';
import { FINISHED_TTL_S, HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, JOB_LOCK_MS, PREFIX, QUEUE_NAME, RUNNER_RECORD_TTL_MS, SHELL_JOB_NAME, keys } from './keys.js';
import { connect, type RedisTarget } from './redis-connection.js';
import { type Backpressure, DEFAULT_BACKPRESSURE } from './backpressured-stream.js';
import { RunStreamWriter } from './run-stream-writer.js';
import type { RunnerRecord } from './runner-registry.js';
import { RunnerShell } from './runner-shell.js';
import { encodeShellOutput } from './shell-stream-codec.js';

export interface RunnerDeps {
  target: RedisTarget;
  /** This machine's VMs (a LocalExecutor): the runner only carries jobs to it and its events back. */
  executor: RunExecutor;
  /** The same VMs for shells (a LocalShellExecutor). */
  shells: ShellExecutor;
  id: string;
  host: string;
  /** Jobs (runs and shells) at once: the VM slots of this machine. */
  slots: number;
  backpressure?: Backpressure;
  /**
   * Touched each second while the runner's event loop turns, whatever Redis does: a liveness probe reads its
   * age, and a startup probe waits for it (the runner has no port to probe). A Redis outage is not a reason to
   * restart a runner: it would only lose the runs it holds.
   */
  aliveFile?: string;
  log: (line: string) => void;
}

/** What a drain did with the runs the runner held when it began. */
export interface DrainReport {
  finished: number;
  handedBack: number;
  stopped: number;
  /** Shells it held: closed at once, saying why (a shell has no end to wait for). */
  shellsClosed: number;
}

/**
 * A runner: takes run jobs from the BullMQ queue (as many at once as it has
 * VM slots), executes each in its own VMs and writes the run's events and
 * output to the run's Redis stream. It needs no inbound port: everything goes
 * through Redis. While it holds a run it beats a heartbeat for it, so the
 * server notices when it is gone; and it listens for cancels.
 *
 * Its connection to Redis may drop for a while (HEARTBEAT_TTL_MS): it runs on,
 * what it writes waits and goes out in order once back (the stream writer's
 * ids make a resent write harmless). Only a Redis that restarted — its data
 * gone — makes it give the runs up.
 */
export class Runner {
  private redis: Redis | null = null;
  private subscriber: Redis | null = null;
  private worker: Worker | null = null;
  private beat: NodeJS.Timeout | null = null;
  private touch: NodeJS.Timeout | null = null;
  private beating = false;
  private draining = false;
  /** Redis's own run_id when the runner started: another one after a reconnect means Redis restarted, empty. */
  private redisRunId = '';
  private readonly held = new Map<string, HeldRun>();
  private readonly done = new Map<string, Promise<void>>();
  private readonly shellsHeld = new Map<string, { shell: RunnerShell; done: Promise<void> }>();
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly deps: RunnerDeps) {}

  async start(): Promise<void> {
    const { target, log } = this.deps;
    // Commands wait for a dropped connection to come back rather than fail: a run's output is not lost to a blip.
    this.redis = connect(target, `runner-${this.deps.id}`, true);
    this.redis.on('error', () => undefined);
    this.subscriber = connect(target, `runner-${this.deps.id}-cancels`, true);
    this.subscriber.on('error', () => undefined);
    await this.redis.ping();
    this.redisRunId = await serverRunId(this.redis);
    this.redis.on('ready', () => void this.reconnected().catch((e: Error) => log(`runner: after reconnecting: ${e.message}`)));
    this.subscriber.on('message', (_channel: string, runId: string) => this.held.get(runId)?.abort.abort());
    await this.subscriber.subscribe(keys.cancelChannel);
    await this.announce();
    this.beat = setInterval(() => void this.announce().catch((e: Error) => log(`runner: could not reach Redis: ${e.message}`)), HEARTBEAT_EVERY_MS);
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: { ...target.options, maxRetriesPerRequest: null },
      prefix: PREFIX,
      concurrency: this.deps.slots,
      // A job whose runner died is failed by the next stalled check, never handed to another runner: a run
      // is never executed twice. (The server has told the learner already, from the missing heartbeat.)
      maxStalledCount: 0,
      lockDuration: JOB_LOCK_MS,
      stalledInterval: 5_000,
    });
    this.worker.on('error', (e) => log(`runner: ${e.message}`));
    await this.worker.waitUntilReady();
    await this.touchAlive();
    this.touch = setInterval(() => void this.touchAlive().catch(() => undefined), HEARTBEAT_EVERY_MS);
    log(`runner ${this.deps.id}: taking runs from ${target.label} (${this.deps.slots} at once)`);
  }

  /** Runs and shells it holds now. */
  get busy(): number {
    return this.held.size + this.shellsHeld.size;
  }

  /**
   * What a runner does on SIGTERM (a scale-down, a rollout, a node drain): takes no new job, keeps the
   * heartbeats of the runs it holds going while they finish, then leaves the registry. Runs still going
   * after `graceMs` are given up (HeldRun: back on the queue if no check has started, else ended saying why),
   * so nothing is left for the server to call lost. Shells are closed at once, each told why: a shell has
   * no end of its own to wait for (it lasts until the learner leaves it), and a new one starts elsewhere.
   */
  async drain(graceMs: number): Promise<DrainReport> {
    this.draining = true;
    const report: DrainReport = { finished: 0, handedBack: 0, stopped: 0, shellsClosed: 0 };
    const shells = [...this.shellsHeld.values()];
    for (const { shell } of shells)
      shell.stop('server-stopping', `The runner this shell ran on (${this.deps.host}) is shutting down. Start a new shell: it opens on another runner.`);
    report.shellsClosed = shells.length;
    const holding = [...this.done.entries()];
    this.deps.log(`runner: draining: finishing the ${holding.length} run(s) it holds, taking no new one`);
    // No new job from here on (a job fetched a moment ago is handed straight back by process()); the worker keeps
    // its jobs' locks until they end.
    const closed = this.worker?.close();
    const given = new Map<string, GiveUp>();
    const deadline = setTimeout(() => {
      for (const run of this.held.values()) {
        const how = run.giveUp();
        given.set(run.runId, how);
        this.deps.log(`runner: run ${run.runId}: not done within the grace period: ${how === 'handed-back' ? 'handing it back to the queue' : 'ending it'}`);
      }
    }, graceMs);
    await Promise.all([...holding.map(([, p]) => p), ...shells.map((s) => s.done)]);
    clearTimeout(deadline);
    for (const [runId] of holding) {
      const how = given.get(runId);
      if (how === 'handed-back') report.handedBack++;
      else if (how === 'stopped') report.stopped++;
      else report.finished++;
    }
    await closed;
    await this.close();
    this.deps.log(`runner: drained: ${report.finished} finished, ${report.handedBack} handed back, ${report.stopped} ended early, ${report.shellsClosed} shell(s) closed`);
    return report;
  }

  /** Leaves the registry and lets go of Redis, now (drain() first, to let the runs it holds end). */
  async close(): Promise<void> {
    // Shells would outlive the connection they read their input on: they end now, saying why.
    for (const { shell } of this.shellsHeld.values()) shell.stop('server-stopping', `The runner this shell ran on (${this.deps.host}) stopped.`);
    if (this.beat) clearInterval(this.beat);
    if (this.touch) clearInterval(this.touch);
    await this.worker?.close(true);
    // Commands wait for Redis to come back; leaving must not: the record expires by itself if this one is lost.
    const leaving = this.redis?.del(keys.runner(this.deps.id)).catch(() => undefined);
    await Promise.race([leaving, new Promise((r) => setTimeout(r, RUNNER_RECORD_TTL_MS).unref())]);
    this.subscriber?.disconnect();
    this.redis?.disconnect();
  }

  private async touchAlive(): Promise<void> {
    if (this.deps.aliveFile) await writeFile(this.deps.aliveFile, `${new Date().toISOString()}\n`);
  }

  private async announce(): Promise<void> {
    // One beat at a time: while Redis is away, beats would only pile up in the offline queue.
    if (this.beating) return;
    this.beating = true;
    try {
      const c = this.deps.executor.capacity();
      const record: RunnerRecord = { id: this.deps.id, host: this.deps.host, accelerator: c.accelerator, slots: this.deps.slots, busy: this.busy, ready: c.ready, starting: c.starting, startedAt: this.startedAt };
      const m = this.redis!.multi().set(keys.runner(this.deps.id), JSON.stringify(record), 'PX', RUNNER_RECORD_TTL_MS);
      for (const runId of this.held.keys()) m.set(keys.heartbeat(runId), this.deps.id, 'PX', HEARTBEAT_TTL_MS);
      for (const shellId of this.shellsHeld.keys()) m.set(keys.shellAlive(shellId), this.deps.id, 'PX', HEARTBEAT_TTL_MS);
      await m.exec();
    } finally {
      this.beating = false;
    }
  }

  /**
   * Back on Redis after the connection dropped. The same Redis: the runs go on (what was written meanwhile is
   * on its way), except one the server cancelled meanwhile (the pub/sub message was missed). A Redis that
   * restarted has forgotten the runs' streams: they cannot be finished whole, so they are given up and the VMs
   * freed; the server tells the learners why.
   */
  private async reconnected(): Promise<void> {
    if (this.busy === 0) return;
    const restarted = (await serverRunId(this.redis!)) !== this.redisRunId;
    if (restarted)
      for (const { shell } of this.shellsHeld.values()) {
        this.deps.log(`runner: shell ${shell.shellId}: Redis restarted (the shell's streams are gone); closing it`);
        shell.stop('vm-fault', 'The shell stopped: the run queue (Redis) restarted.');
      }
    for (const run of this.held.values()) {
      if (restarted) {
        this.deps.log(`runner: run ${run.runId}: Redis restarted (the run's stream is gone); giving the run up`);
        run.abort.abort();
      } else if (await this.redis!.exists(keys.cancelled(run.runId))) run.abort.abort();
    }
  }

  private async process(bull: Job, token: string | undefined): Promise<void> {
    if (this.draining) {
      // Fetched as the drain began: never started here, so straight back to the front of the queue.
      await bull.moveToWait(token);
      throw new WaitingError();
    }
    if (bull.name === SHELL_JOB_NAME) return this.processShell(bull);
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
    let settle!: () => void;
    this.done.set(job.runId, new Promise<void>((r) => (settle = r)));
    try {
      await this.hold(job, bull, token);
    } finally {
      this.done.delete(job.runId);
      settle();
    }
  }

  private async processShell(bull: Job): Promise<void> {
    const redis = this.redis!;
    const parsed = ShellJob.safeParse(bull.data);
    if (!parsed.success) {
      const why = parsed.error.issues[0];
      this.deps.log(`runner: job ${bull.id} is not a shell job this runner understands: ${why?.path.join('.')}: ${why?.message}`);
      if (typeof bull.id === 'string' && /^shell-[0-9a-f]+$/.test(bull.id)) {
        const message = `The shell could not start: runner ${this.deps.host} could not read its job (is it running another version of JailLab than the server?).`;
        await redis.xadd(keys.shellOutput(bull.id), '*', ...encodeShellOutput({ kind: 'refused', why: 'failed', message })).catch(() => undefined);
      }
      return;
    }
    const job = parsed.data;
    const shell = new RunnerShell(job, {
      redis,
      target: this.deps.target,
      executor: this.deps.shells,
      hello: { runnerId: this.deps.id, host: this.deps.host },
      backpressure: this.deps.backpressure ?? DEFAULT_BACKPRESSURE,
      log: this.deps.log,
    });
    // The heartbeat first: the server watches it from the moment it sees the shell taken.
    await redis.set(keys.shellAlive(job.shellId), this.deps.id, 'PX', HEARTBEAT_TTL_MS);
    const done = shell.hold();
    this.shellsHeld.set(job.shellId, { shell, done });
    try {
      await done;
    } finally {
      this.shellsHeld.delete(job.shellId);
    }
  }

  private async hold(job: RunJob, bull: Job, token: string | undefined): Promise<void> {
    const redis = this.redis!;
    const hello = { runnerId: this.deps.id, host: this.deps.host };
    const abort = new AbortController();
    const writer = new RunStreamWriter(redis, job.runId, this.deps.backpressure ?? DEFAULT_BACKPRESSURE, abort.signal, () => {
      this.deps.log(`runner: run ${job.runId}: the server has read nothing for a minute; giving the run up`);
      abort.abort();
    });
    const run = new HeldRun(job.runId, abort, writer, this.deps.host);
    this.held.set(job.runId, run);
    let handedBack = false;
    try {
      await redis.set(keys.heartbeat(job.runId), this.deps.id, 'PX', HEARTBEAT_TTL_MS);
      // Cancelled between the server's cancel and this runner taking the job: the pub/sub message came too early.
      if (await redis.exists(keys.cancelled(job.runId))) run.abort.abort();
      writer.taken(hello);
      await this.deps.executor.execute(job, run, run.abort.signal);
      await writer.flush();
      if (run.handedBack) {
        // No more beats for it, and the heartbeat goes before the job does: the next runner's beat is its own.
        this.held.delete(job.runId);
        writer.handedBack(hello);
        await writer.flush();
        await redis.del(keys.heartbeat(job.runId));
        await bull.moveToWait(token);
        handedBack = true;
      }
      this.deps.log(`runner: run ${job.runId}: ${handedBack ? 'handed back' : 'done'}`);
    } catch (e) {
      this.deps.log(`runner: run ${job.runId}: ${(e as Error).message}`);
    } finally {
      this.held.delete(job.runId);
      if (!handedBack)
        await redis
          .multi()
          .del(keys.heartbeat(job.runId))
          .expire(keys.stream(job.runId), FINISHED_TTL_S)
          .exec()
          .catch(() => undefined);
    }
    if (handedBack) throw new WaitingError();
  }
}

/** Redis's run_id: random per start of the Redis server, so a changed one means everything in it is gone. */
async function serverRunId(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /^run_id:(\w+)/m.exec(info)?.[1] ?? '';
}
