import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type OpenedShell, ShellCompileError, type ShellExecutor, type ShellSink } from '../shell-executor.js';
import type { ShellJob, TerminalSize } from '../shell-job.js';
import { FINISHED_TTL_S, HEARTBEAT_TTL_MS, RUN_TTL_S, SHELL_JOB_NAME, keys } from './keys.js';
import { connect, type RedisTarget } from './redis-connection.js';
import { decodeShellOutput, encodeShellInput, MAX_INPUT_BYTES, type ShellInputEntry } from './shell-stream-codec.js';
import type { RunnerHello } from './stream-codec.js';

/** Where a waiting job stands in BullMQ's wait list (0 = next), or -1: the runner registry's snapshot. */
export type QueuePosition = (jobId: string) => number;

export interface RemoteShellDeps {
  target: RedisTarget;
  /** The server's connection for commands (input, keys). */
  redis: Redis;
  queue: Queue;
  position: QueuePosition;
  log: (line: string) => void;
}

/** How long one XREAD of a shell's output waits: also how often the server looks at the runner's heartbeat. */
const READ_BLOCK_MS = 500;
const READ_COUNT = 256;
const WATCH_EVERY_MS = 1000;

/**
 * Shells on runners. A shell becomes a job on the runs' queue (name `shell`,
 * id = shell id) and waits its turn like a run; the runner that takes it
 * writes the shell's output to the shell's Redis stream, which this reads
 * from the last id it handled, recording how far it got (the runner's
 * backpressure, as for a run: while the browser is behind, sink.output's
 * promise holds the reading, the cursor stays, and the runner stops reading
 * the VM). What the learner types goes the other way on the shell's input
 * stream. While a page holds the shell this keeps its `watched` key alive,
 * and watches the runner's heartbeat in turn.
 */
export class RemoteShellExecutor implements ShellExecutor {
  constructor(private readonly d: RemoteShellDeps) {}

  async open(job: ShellJob, sink: ShellSink, signal: AbortSignal): Promise<OpenedShell> {
    const id = job.shellId;
    // Watched before it can be taken: a runner that finds no watcher closes the shell.
    await this.d.redis.set(keys.shellWatched(id), '1', 'PX', HEARTBEAT_TTL_MS);
    await this.d.queue.add(SHELL_JOB_NAME, job, { jobId: id });
    return new RemoteShell(id, sink, signal, this.d).opened;
  }
}

type StreamReply = Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;

/** The server's end of one shell on a runner: reads its output until it is over. */
class RemoteShell implements OpenedShell {
  accelerator: OpenedShell['accelerator'] = 'tcg';
  where = 'a runner';
  readonly opened: Promise<OpenedShell>;
  private resolveOpened!: (s: OpenedShell) => void;
  private rejectOpened!: (e: Error) => void;
  private isOpen = false;
  private over = false;
  private readonly reader: Redis;
  /** Keeps the shell's `watched` key alive on a timer of its own: a read held up by a slow browser must not let it lapse. */
  private readonly watching: NodeJS.Timeout;

  constructor(
    private readonly id: string,
    private readonly sink: ShellSink,
    private readonly signal: AbortSignal,
    private readonly d: RemoteShellDeps,
  ) {
    this.opened = new Promise((resolve, reject) => {
      this.resolveOpened = resolve;
      this.rejectOpened = reject;
    });
    this.reader = connect(d.target, `server-shell-${id}`, false);
    this.reader.on('error', () => undefined);
    this.watching = setInterval(() => void d.redis.set(keys.shellWatched(id), '1', 'PX', HEARTBEAT_TTL_MS).catch(() => undefined), WATCH_EVERY_MS);
    this.watching.unref();
    void this.read().finally(() => this.reader.disconnect());
  }

  input(data: Buffer): void {
    for (let at = 0; at < data.byteLength; at += MAX_INPUT_BYTES) this.send({ kind: 'input', data: data.subarray(at, at + MAX_INPUT_BYTES) });
  }

  resize(size: TerminalSize): void {
    this.send({ kind: 'resize', size });
  }

  close(): void {
    if (this.over) return;
    this.finish();
    this.send({ kind: 'close' });
  }

  private send(entry: ShellInputEntry): void {
    if (this.over && entry.kind !== 'close') return;
    const key = keys.shellInput(this.id);
    void this.d.redis
      .multi()
      .xadd(key, '*', ...encodeShellInput(entry))
      .expire(key, RUN_TTL_S)
      .exec()
      .catch((e: Error) => this.d.log(`shell ${this.id}: could not reach Redis: ${e.message}`));
  }

  /** Nothing more from this shell reaches the sink; its keys go soon. */
  private finish(): void {
    this.over = true;
    clearInterval(this.watching);
    this.reader.disconnect();
    void this.d.redis
      .multi()
      .del(keys.shellWatched(this.id))
      .expire(keys.shellOutput(this.id), FINISHED_TTL_S)
      .expire(keys.shellCursor(this.id), FINISHED_TTL_S)
      .exec()
      .catch(() => undefined);
  }

  /** Ends it from this side: before it opened, open() rejects; after, the sink hears why. */
  private fail(message: string, compile = false): void {
    if (this.over) return;
    if (!this.isOpen) this.rejectOpened(compile ? new ShellCompileError(message) : new Error(message));
    else this.sink.ended('vm-fault', message);
    this.finish();
    if (!compile) this.send({ kind: 'close' });
  }

  private async read(): Promise<void> {
    let lastId = '0-0';
    let taken: RunnerHello | null = null;
    let lastPosition = -1;
    let nextLook = 0;
    let missedBeat = false;
    let connectionLost = false;
    this.reader.on('reconnecting', () => (connectionLost = true));
    try {
      while (!this.over) {
        if (this.signal.aborted && !this.isOpen) {
          // Still waiting: off the queue. Taken meanwhile: the close in its input stream ends it on the runner.
          await this.d.queue.remove(this.id).catch(() => 0);
          return this.fail('cancelled');
        }
        if (connectionLost) return this.fail('The shell stopped: the connection to the run queue (Redis) was lost.');
        const reply = (await this.reader.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', READ_BLOCK_MS, 'STREAMS', keys.shellOutput(this.id), lastId)) as StreamReply;
        for (const [, entries] of reply ?? []) {
          for (const [entryId, fields] of entries) {
            if (this.over) return;
            lastId = entryId.toString();
            const e = decodeShellOutput(fields);
            if (e.kind === 'output') await this.sink.output(e.data);
            else if (e.kind === 'taken') {
              taken = e.by;
              this.where = e.by.host;
            } else if (e.kind === 'status') this.sink.status(e.message);
            else if (e.kind === 'opened') {
              this.accelerator = e.accelerator;
              this.isOpen = true;
              this.resolveOpened(this);
            } else if (e.kind === 'refused') return this.fail(e.message, e.why === 'compile');
            else if (this.isOpen) {
              this.sink.ended(e.reason, e.message);
              return this.finish();
            } else return this.fail(e.message);
          }
        }
        // How far this server got: the runner reads the VM on while it is close behind.
        if (reply) await this.d.redis.set(keys.shellCursor(this.id), lastId, 'EX', RUN_TTL_S);
        if (Date.now() < nextLook) continue;
        nextLook = Date.now() + 1000;
        if (taken) {
          // A runner writes the shell's end before it drops the heartbeat: one more read after a missed beat decides.
          if (await this.d.redis.exists(keys.shellAlive(this.id))) missedBeat = false;
          else if (missedBeat) return this.fail(`The shell stopped: the runner it ran on (${taken.host}) was lost.`);
          else missedBeat = true;
        } else {
          const position = this.d.position(this.id);
          if (position >= 0 && position !== lastPosition) this.sink.status(`Every VM is busy: you are number ${position + 1} in the queue.`);
          lastPosition = position;
        }
      }
    } catch (e) {
      if (!this.over) {
        this.d.log(`shell ${this.id}: ${(e as Error).message}`);
        this.fail(`The shell stopped: ${(e as Error).message}.`);
      }
    }
  }
}
