import type { ShellCloseReason } from '@jaillab/protocol';
import type { Redis } from 'ioredis';
import { type OpenedShell, ShellCompileError, type ShellExecutor, type ShellSink } from '../shell-executor.js';
import type { ShellJob } from '../shell-job.js';
import { type Backpressure, BackpressuredStream } from './backpressured-stream.js';
import { FINISHED_TTL_S, RUN_TTL_S, keys } from './keys.js';
import { connect, type RedisTarget } from './redis-connection.js';
import { decodeShellInput, encodeShellOutput, type ShellOutputEntry } from './shell-stream-codec.js';
import type { RunnerHello } from './stream-codec.js';

export interface RunnerShellDeps {
  /** The runner's connection: commands wait for a dropped connection to come back. */
  redis: Redis;
  /** Where Redis is: the shell's input is read on a connection of its own (a blocking XREAD). */
  target: RedisTarget;
  /** This machine's VMs. */
  executor: ShellExecutor;
  hello: RunnerHello;
  backpressure: Backpressure;
  log: (line: string) => void;
}

/** Entries of input per read: keystrokes are small, a paste is a few. */
const INPUT_COUNT = 64;
/** How long one read of the input waits: also how often the runner looks whether a server still holds the shell. */
const INPUT_BLOCK_MS = 1000;

/**
 * One shell a runner holds, between its VM and the shell's two Redis streams:
 * the pty's output goes out with the same backpressure as a run's (the VM is
 * not read while the server is behind), keystrokes, sizes and the close come
 * in. It ends when the shell ends by itself, when the server closes it (or
 * cancels it before it opened: the close is in the input stream already), when
 * no server holds it any more (its `watched` key expired), or when the runner
 * stops it (a drain, a Redis that restarted).
 */
export class RunnerShell {
  private readonly abort = new AbortController();
  private readonly out: BackpressuredStream;
  private opened: OpenedShell | null = null;
  /** Whether the server has been told how the shell ended (then nothing more is written). */
  private told = false;

  constructor(
    readonly job: ShellJob,
    private readonly d: RunnerShellDeps,
  ) {
    this.out = new BackpressuredStream(d.redis, keys.shellOutput(job.shellId), keys.shellCursor(job.shellId), d.backpressure, this.abort.signal, () => {
      d.log(`runner: shell ${job.shellId}: the server has read nothing of it for a minute; closing it`);
      this.abort.abort();
    });
  }

  get shellId(): string {
    return this.job.shellId;
  }

  /** Holds the shell until it is over, then lets go of its keys. */
  async hold(): Promise<void> {
    const id = this.job.shellId;
    this.notice({ kind: 'taken', by: this.d.hello });
    this.out.then(() => this.d.redis.expire(this.out.stream, RUN_TTL_S));
    const input = this.readInput();
    const sink: ShellSink = {
      status: (message) => this.notice({ kind: 'status', message }),
      output: (data) => {
        if (this.told) return;
        this.out.append(encodeShellOutput({ kind: 'output', data }), data.byteLength);
        return this.out.slowDown();
      },
      ended: (reason, message) => this.end(reason, message),
    };
    try {
      this.opened = await this.d.executor.open(this.job, sink, this.abort.signal);
      if (this.abort.signal.aborted) this.opened.close();
      else this.notice({ kind: 'opened', accelerator: this.opened.accelerator });
    } catch (e) {
      if (!this.abort.signal.aborted) {
        this.notice({ kind: 'refused', why: e instanceof ShellCompileError ? 'compile' : 'failed', message: (e as Error).message });
        this.told = true;
      }
      this.abort.abort();
    }
    await new Promise<void>((r) => (this.abort.signal.aborted ? r() : this.abort.signal.addEventListener('abort', () => r(), { once: true })));
    this.opened?.close();
    await input;
    await this.out.flush().catch((e: Error) => this.d.log(`runner: shell ${id}: ${e.message}`));
    await this.d.redis
      .multi()
      .del(keys.shellAlive(id))
      .expire(keys.shellOutput(id), FINISHED_TTL_S)
      .expire(keys.shellInput(id), FINISHED_TTL_S)
      .exec()
      .catch(() => undefined);
    this.d.log(`runner: shell ${id}: done`);
  }

  /** Ends the shell, telling the server why (a drain: `server-stopping`). */
  stop(reason: ShellCloseReason & ('server-stopping' | 'vm-fault'), message: string): void {
    this.end(reason, message);
  }

  private end(reason: 'exited' | 'vm-fault' | 'server-stopping', message: string): void {
    if (!this.told && !this.abort.signal.aborted) this.notice({ kind: 'ended', reason, message });
    this.told = true;
    this.abort.abort();
  }

  private notice(entry: Exclude<ShellOutputEntry, { kind: 'output' }>): void {
    if (!this.told) this.out.append(encodeShellOutput(entry), 0);
  }

  /** Keystrokes, sizes and the close, from the start of the input stream (a cancel may be there before the shell was taken). */
  private async readInput(): Promise<void> {
    const id = this.job.shellId;
    const reader = connect(this.d.target, `runner-shell-${id}`, true);
    reader.on('error', () => undefined);
    const stop = (): void => reader.disconnect();
    this.abort.signal.addEventListener('abort', stop, { once: true });
    let lastId = '0-0';
    try {
      while (!this.abort.signal.aborted) {
        const reply = (await reader.xreadBuffer('COUNT', INPUT_COUNT, 'BLOCK', INPUT_BLOCK_MS, 'STREAMS', keys.shellInput(id), lastId)) as Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
        for (const [, entries] of reply ?? []) {
          for (const [entryId, fields] of entries) {
            lastId = entryId.toString();
            const entry = decodeShellInput(fields);
            if (entry.kind === 'close') this.abort.abort();
            else if (entry.kind === 'input') this.opened?.input(entry.data);
            else this.opened?.resize(entry.size);
          }
        }
        // What is handled is not needed again.
        if (reply) await this.d.redis.xtrim(keys.shellInput(id), 'MINID', lastId).catch(() => undefined);
        if (!this.abort.signal.aborted && !(await this.d.redis.exists(keys.shellWatched(id)))) {
          this.d.log(`runner: shell ${id}: no server holds it any more; closing it`);
          this.told = true;
          this.abort.abort();
        }
      }
    } catch (e) {
      if (!this.abort.signal.aborted) {
        this.d.log(`runner: shell ${id}: its input: ${(e as Error).message}`);
        this.end('vm-fault', `The shell stopped: the runner could not read what you type (${(e as Error).message}).`);
      }
    } finally {
      this.abort.signal.removeEventListener('abort', stop);
      reader.disconnect();
    }
  }
}
