import type { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisProcess, startRedis } from '../../../test/redis-process.js';
import type { ExecutorCapacity, RunExecutor } from '../run-executor.js';
import { type OpenedShell, ShellCompileError, type ShellExecutor, type ShellSink } from '../shell-executor.js';
import { ShellJob } from '../shell-job.js';
import { keys, SHELL_JOB_NAME } from './keys.js';
import { redisTarget } from './redis-connection.js';
import { RemoteExecutor } from './remote-executor.js';
import { Runner } from './runner.js';

/**
 * A shell on a runner, through a real Redis: the server side (RemoteExecutor's
 * shell executor) and a real Runner, whose VM is a scripted shell — it echoes
 * what it is sent and floods on request, awaiting every "slow down" as the VM
 * path does. The same with real VMs, a browser and runner processes is the e2e
 * remote project's remote-shell.spec.ts.
 */
const HIGH = 64 << 10;
const CHUNK = 4 << 10;

/** The runner's VM, scripted: a prompt, an echo of every keystroke, `size` on resize, and `flood` for what `flood N` asks. */
class EchoShells implements ShellExecutor {
  closed = 0;
  /** Bytes the flood wrote before it was first told to slow down. */
  floodBeforeSlowDown: number | null = null;
  floodDone: Promise<number> | null = null;
  async open(job: ShellJob, sink: ShellSink, signal: AbortSignal): Promise<OpenedShell> {
    if (job.source.includes('syntax error')) throw new ShellCompileError('jail.c:1:1: error: expected declaration');
    sink.status('Starting a fresh VM…');
    if (signal.aborted) throw new Error('cancelled');
    let open = true;
    void sink.output(Buffer.from(`jaillab:~# `));
    return {
      accelerator: 'tcg',
      where: 'scripted',
      input: (data) => {
        const line = data.toString();
        const flood = /^flood (\d+)/.exec(line);
        if (flood) this.floodDone = this.flood(sink, Number(flood[1]), () => open);
        else if (line === 'exit\n') {
          open = false;
          sink.ended('exited', 'The shell exited (status 0).');
        } else void sink.output(Buffer.from(`got:${line}`));
      },
      resize: ({ cols, rows }) => void sink.output(Buffer.from(`size:${cols}x${rows}\n`)),
      close: () => {
        open = false;
        this.closed++;
      },
    };
  }

  private async flood(sink: ShellSink, chunks: number, open: () => boolean): Promise<number> {
    let written = 0;
    for (let i = 0; i < chunks && open(); i++) {
      const slowDown = sink.output(Buffer.alloc(CHUNK, 0x61 + (i % 26)));
      written += CHUNK;
      if (slowDown) {
        this.floodBeforeSlowDown ??= written;
        await slowDown;
      }
    }
    return written;
  }
}

const noRuns: RunExecutor = {
  execute: () => Promise.reject(new Error('no runs in this test')),
  capacity: (): ExecutorCapacity => ({ accelerator: 'tcg', slots: 1, ready: 1, starting: 0, inUse: 0, queued: 0, runners: [] }),
  warm: () => undefined,
  close: async () => undefined,
};

let n = 0;
const job = (source = 'int main(void) { return 0; }'): ShellJob =>
  ShellJob.parse({
    shellId: `shell-${(++n).toString(16).padStart(8, '0')}`,
    learnerId: 'learner-1',
    lesson: { id: 'l', starterFileName: 'jail.c', limits: { wallTimeMs: 1000, memoryBytes: 1 << 26, processes: 16, outputBytes: 1 << 16 }, supplementaryGroups: [0], tree: [], checks: [] },
    probeHeader: '',
    source,
    cols: 80,
    rows: 24,
  });

/** What the page would see of a shell: progress, output (held back while `hold` is set), how it ended. */
class Page implements ShellSink {
  statuses: string[] = [];
  text = '';
  end: { reason: string; message: string } | null = null;
  private holding: { promise: Promise<void>; release: () => void } | null = null;
  status(m: string): void {
    this.statuses.push(m);
  }
  output(data: Buffer): Promise<void> | void {
    this.text += data.toString();
    return this.holding?.promise;
  }
  ended(reason: string, message: string): void {
    this.end = { reason, message };
  }
  hold(): void {
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    this.holding = { promise, release };
  }
  release(): void {
    this.holding?.release();
    this.holding = null;
  }
}

async function until(holds: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await holds())) await new Promise((r) => setTimeout(r, 20));
}

let redis: RedisProcess;
let server: RemoteExecutor;
let shells: ShellExecutor;
let vm: EchoShells;
let runner: Runner | null = null;
const target = (): ReturnType<typeof redisTarget> => redisTarget(redis.url, { JAILLAB_REDIS_PASSWORD: redis.password });

async function startRunner(): Promise<Runner> {
  vm = new EchoShells();
  runner = new Runner({ target: target(), executor: noRuns, shells: vm, id: 'host-a-id', host: 'host-a', slots: 1, backpressure: { highBytes: HIGH, lowBytes: HIGH / 4, pollMs: 10, maxStallMs: 60_000 }, log: () => undefined });
  await runner.start();
  return runner;
}

beforeAll(async () => {
  redis = await startRedis();
  server = await RemoteExecutor.connect(target(), () => undefined);
  shells = server.shellExecutor();
});
afterEach(async () => {
  await runner?.close();
  runner = null;
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('a shell on a runner', () => {
  it('opens, echoes what is typed, gets the new size, and is closed on the runner when the page closes it', async () => {
    await startRunner();
    const page = new Page();
    const j = job();
    const shell = await shells.open(j, page, new AbortController().signal);
    expect(shell.accelerator).toBe('tcg');
    expect(shell.where).toBe('host-a');
    expect(page.statuses).toContain('Starting a fresh VM…');
    shell.input(Buffer.from('ls /\n'));
    shell.resize({ cols: 132, rows: 43 });
    await until(() => page.text.includes('size:132x43'));
    expect(page.text).toBe('jaillab:~# got:ls /\nsize:132x43\n');
    shell.close();
    await until(() => vm.closed === 1);
    await until(() => runner!.busy === 0);
    expect(page.end).toBeNull();
    const look = redis.client();
    expect(await look.exists(keys.shellWatched(j.shellId), keys.shellAlive(j.shellId))).toBe(0);
  });

  it('holds a flood at the runner while the page does not take it, and loses nothing once it does', async () => {
    await startRunner();
    const page = new Page();
    const j = job();
    const shell = await shells.open(j, page, new AbortController().signal);
    await until(() => page.text.startsWith('jaillab:~# '));
    page.hold();
    shell.input(Buffer.from('flood 200\n')); // 800 KiB
    await until(() => vm.floodBeforeSlowDown !== null);
    // The page took one chunk and holds it: the runner stopped reading its VM at the high-water mark (the prompt counts too).
    expect(vm.floodBeforeSlowDown!).toBeGreaterThan(HIGH - CHUNK);
    expect(vm.floodBeforeSlowDown!).toBeLessThanOrEqual(HIGH + CHUNK);
    const held = page.text.length;
    expect(held).toBeLessThanOrEqual('jaillab:~# '.length + CHUNK);
    // What waits, waits in Redis as far as the high-water mark lets it, not in the server.
    expect(await redis.client().xlen(keys.shellOutput(j.shellId))).toBeGreaterThan(HIGH / CHUNK - 1);
    page.release();
    expect(await vm.floodDone).toBe(200 * CHUNK);
    await until(() => page.text.length === 'jaillab:~# '.length + 200 * CHUNK);
    const flood = page.text.slice('jaillab:~# '.length);
    for (let i = 0; i < 200; i++) expect(flood[i * CHUNK], `chunk ${i}`).toBe(String.fromCharCode(0x61 + (i % 26)));
    shell.close();
  });

  it('tells the page when the shell exits by itself', async () => {
    await startRunner();
    const page = new Page();
    const shell = await shells.open(job(), page, new AbortController().signal);
    shell.input(Buffer.from('exit\n'));
    await until(() => page.end !== null);
    expect(page.end).toEqual({ reason: 'exited', message: 'The shell exited (status 0).' });
  });

  it('refuses a program that does not compile with the compiler\'s message', async () => {
    await startRunner();
    await expect(shells.open(job('syntax error'), new Page(), new AbortController().signal)).rejects.toThrow(ShellCompileError);
  });

  it('takes a shell nobody runs yet off the queue when the page goes away, after telling its place in line', async () => {
    const pages = [new Page(), new Page()];
    const cancel = new AbortController();
    const jobs = [job(), job()];
    const opening = jobs.map((j, i) => shells.open(j, pages[i]!, cancel.signal));
    for (const o of opening) o.catch(() => undefined);
    // Places in line, next first, as BullMQ's wait list has them.
    await until(() => pages[0]!.statuses.some((s) => /number 1 in the queue/.test(s)) && pages[1]!.statuses.some((s) => /number 2 in the queue/.test(s)));
    cancel.abort();
    for (const o of opening) await expect(o).rejects.toThrow(/cancelled/);
    const queue = (server as unknown as { queue: Queue }).queue;
    for (const j of jobs) expect(await queue.getJobState(j.shellId)).toBe('unknown');
  });

  it('is closed by its runner once no server watches it (a server that died holds no shell open)', async () => {
    await startRunner();
    const queue = (server as unknown as { queue: Queue }).queue;
    const j = job();
    // A shell job as a server adds it, but nobody keeps its `watched` key alive.
    await queue.add(SHELL_JOB_NAME, j, { jobId: j.shellId });
    await until(() => vm.closed === 1);
    await until(() => runner!.busy === 0);
  });

  it('is closed, saying why, when its runner drains', async () => {
    const r = await startRunner();
    const page = new Page();
    await shells.open(job(), page, new AbortController().signal);
    const report = await r.drain(60_000);
    runner = null;
    expect(report).toEqual({ finished: 0, handedBack: 0, stopped: 0, shellsClosed: 1 });
    await until(() => page.end !== null);
    expect(page.end!.reason).toBe('server-stopping');
    expect(page.end!.message).toMatch(/host-a\) is shutting down/);
    expect(vm.closed).toBe(1);
  });
});
