import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import type { RunEvent } from '@jaillab/protocol';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisProcess, startRedis } from '../../../test/redis-process.js';
import { type RedisProxy, startRedisProxy } from '../../../test/remote-redis-proxy.js';
import type { ExecutorCapacity, RunExecutor, RunSink } from '../run-executor.js';
import { RunJob } from '../run-job.js';
import type { ShellExecutor } from '../shell-executor.js';
import { PREFIX, QUEUE_NAME, keys } from './keys.js';
import { redisTarget } from './redis-connection.js';
import { RemoteExecutor } from './remote-executor.js';
import { Runner } from './runner.js';

/**
 * A runner that has to go (SIGTERM: a scale-down, a rollout, a node drain)
 * and a runner cut off from Redis, against a real Redis and the real server
 * side (RemoteExecutor). The runners' VMs are scripted executors, so the test
 * decides where each run stands when the runner is told to go; the same with
 * real VMs and runner processes is in remote.vm.test.ts.
 */
type Script = (sink: RunSink, signal: AbortSignal) => Promise<void>;

const tcg = { accelerator: 'tcg' as const };
const finished = (outcome: 'passed' | 'cancelled', message: string): RunEvent => ({ type: 'finished', outcome, message, ...tcg, durationMs: 0 });
const aborted = (signal: AbortSignal): Promise<void> => new Promise((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
/** As a local run goes: compiled, a VM, the check, its output, passed. */
const passes: Script = async (sink) => {
  sink.event({ type: 'compile-started' });
  sink.event({ type: 'vm-ready', ...tcg, waitedMs: 0 });
  sink.event({ type: 'check-started', index: 0 });
  await sink.output(0, Buffer.from('held\n'));
  sink.event(finished('passed', 'All checks held.'));
};

/** A runner's VMs, played by scripts (by run id; a run with none passes). Each `reached` resolves when its script is at its wait. */
class ScriptedExecutor implements RunExecutor {
  constructor(private readonly scripts: Record<string, Script> = {}) {}
  async execute(job: RunJob, sink: RunSink, signal: AbortSignal): Promise<void> {
    await (this.scripts[job.runId] ?? passes)(sink, signal);
  }
  capacity(): ExecutorCapacity {
    return { accelerator: 'tcg', slots: 2, ready: 2, starting: 0, inUse: 0, queued: 0, runners: [] };
  }
  warm(): void {}
  async close(): Promise<void> {}
}

const job = (runId: string): RunJob =>
  RunJob.parse({
    runId,
    learnerId: `learner-${runId}`,
    lesson: { id: 'l', starterFileName: 'jail.c', limits: { wallTimeMs: 1000, memoryBytes: 1 << 26, processes: 16, outputBytes: 1 << 16 }, supplementaryGroups: [], tree: [], checks: [] },
    probeHeader: '',
    source: 'int main(void) { return 0; }',
    solutionShown: false,
  });

interface Watched {
  events: RunEvent[];
  output: string;
  done: Promise<void>;
  ended(): RunEvent & { type: 'finished' };
}

let redis: RedisProcess;
let server: RemoteExecutor;
let look: Redis;
let queue: Queue;
let dir: string;
const runners: Runner[] = [];

/** The server executes a run as it would for a learner; what the learner would see is collected. */
function watch(runId: string): Watched {
  const events: RunEvent[] = [];
  const w: Watched = {
    events,
    output: '',
    done: Promise.resolve(),
    ended: () => events.find((e): e is RunEvent & { type: 'finished' } => e.type === 'finished')!,
  };
  w.done = server.execute(job(runId), { event: (e) => void events.push(e), output: (_i, d) => void (w.output += d.toString()) }, new AbortController().signal);
  return w;
}

/** These runners get runs only (a drain with shells is remote-shell.test.ts's). */
const noShells: ShellExecutor = { open: () => Promise.reject(new Error('no shells in this test')) };

async function startRunner(host: string, executor: RunExecutor, url = redis.url, slots = 1): Promise<Runner> {
  const r = new Runner({ target: redisTarget(url, { JAILLAB_REDIS_PASSWORD: redis.password }), executor, shells: noShells, id: `${host}-id`, host, slots, log: (l) => (process.env.JAILLAB_TEST_LOG ? console.log(`${host}: ${l}`) : undefined) });
  runners.push(r);
  await r.start();
  return r;
}

/** Polls a state until it holds (each look is a read; the test's timeout bounds it). */
async function until(holds: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await holds())) await new Promise((r) => setTimeout(r, 50));
}

/** A script that gets as far as `steps` take it, says so, and waits for `go` (or its abort) to finish as `then` says. */
function held(steps: (sink: RunSink) => Promise<void> | void, then: Script): { script: Script; reached: Promise<void>; go: () => void } {
  let reached!: () => void;
  let go!: () => void;
  const going = new Promise<void>((r) => (go = r));
  const at = new Promise<void>((r) => (reached = r));
  return {
    reached: at,
    go,
    script: async (sink, signal) => {
      await steps(sink);
      reached();
      await Promise.race([going, aborted(signal)]);
      await then(sink, signal);
    },
  };
}

beforeAll(async () => {
  redis = await startRedis();
  server = await RemoteExecutor.connect(redisTarget(redis.url, { JAILLAB_REDIS_PASSWORD: redis.password }), () => undefined);
  look = redis.client();
  queue = new Queue(QUEUE_NAME, { connection: { path: redis.socket, password: redis.password }, prefix: PREFIX });
  dir = await mkdtemp(join(tmpdir(), 'jaillab-drain-'));
});
// Each test has its own runners: one left over would take the next test's jobs.
afterEach(async () => {
  for (const r of runners.splice(0)) await r.close().catch(() => undefined);
});
afterAll(async () => {
  await queue?.close();
  await server?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a runner told to stop (SIGTERM)', () => {
  it('keeps the heartbeat of the run it holds while it finishes it, takes no new job, and leaves when it is done', async () => {
    const run = held(
      async (sink) => {
        sink.event({ type: 'compile-started' });
        sink.event({ type: 'vm-ready', ...tcg, waitedMs: 0 });
        sink.event({ type: 'check-started', index: 0 });
        await sink.output(0, Buffer.from('first\n'));
      },
      async (sink) => {
        await sink.output(0, Buffer.from('last\n'));
        sink.event(finished('passed', 'All checks held.'));
      },
    );
    const a = await startRunner('drain-a', new ScriptedExecutor({ 'drain-held': run.script }));
    const first = watch('drain-held');
    await run.reached;

    const draining = a.drain(60_000);
    // Its heartbeat is written again after the drain began (the time to live goes up between two looks).
    let last = await look.pttl(keys.heartbeat('drain-held'));
    await until(async () => {
      const now = await look.pttl(keys.heartbeat('drain-held'));
      const refreshed = now > last;
      last = now;
      return refreshed;
    });
    // A run that comes now waits for another runner: it is first in line, and stays there.
    const next = watch('drain-next');
    await until(() => next.events.some((e) => e.type === 'queued'));
    expect(next.events.find((e) => e.type === 'queued')).toEqual({ type: 'queued', position: 0 });

    run.go();
    expect(await draining).toEqual({ finished: 1, handedBack: 0, stopped: 0, shellsClosed: 0 });
    await first.done;
    expect(first.ended()).toMatchObject({ outcome: 'passed', message: 'All checks held.' });
    expect(first.output).toBe('first\nlast\n');
    expect(await queue.getJobState('drain-next')).toBe('waiting');
    expect(await look.exists(keys.runner('drain-a-id'))).toBe(0);

    await startRunner('drain-b', new ScriptedExecutor());
    await next.done;
    expect(next.ended()).toMatchObject({ outcome: 'passed' });
    expect(next.events.find((e) => e.type === 'vm-ready')).toMatchObject({ runner: 'drain-b' });
  });

  it('at the end of its grace hands back a run whose checks had not begun (another runner runs it), and ends one under way saying why', async () => {
    const cancelledHere: Script = async (sink) => sink.event(finished('cancelled', 'The run was cancelled.'));
    const compiling = held((sink) => sink.event({ type: 'compile-started' }), cancelledHere);
    const checking = held(async (sink) => {
      sink.event({ type: 'compile-started' });
      sink.event({ type: 'vm-ready', ...tcg, waitedMs: 0 });
      sink.event({ type: 'check-started', index: 0 });
      await sink.output(0, Buffer.from('half\n'));
    }, cancelledHere);
    const a = await startRunner('grace-a', new ScriptedExecutor({ 'grace-compiling': compiling.script, 'grace-checking': checking.script }), redis.url, 2);
    const notBegun = watch('grace-compiling');
    const underWay = watch('grace-checking');
    await Promise.all([compiling.reached, checking.reached]);

    expect(await a.drain(0)).toEqual({ finished: 0, handedBack: 1, stopped: 1, shellsClosed: 0 });
    await underWay.done;
    expect(underWay.ended()).toMatchObject({ outcome: 'error', message: expect.stringMatching(/runner running it \(grace-a\) was shut down before the run was done.*press Run/) });
    expect(await queue.getJobState('grace-compiling')).toBe('waiting');

    await startRunner('grace-b', new ScriptedExecutor());
    await notBegun.done;
    expect(notBegun.ended()).toMatchObject({ outcome: 'passed', message: 'All checks held.' });
    // (Its place in line shows only if it waits past the server's next look: B may take it first.)
    const kinds = notBegun.events.filter((e) => e.type !== 'queued').map((e) => (e.type === 'vm-ready' ? `vm-ready:${e.runner}` : e.type === 'vm-fault' ? `vm-fault:${e.retrying}` : e.type));
    // Compiled on A (all it did there), handed back, then the whole run on B: one check, one end.
    expect(kinds).toEqual(['compile-started', 'vm-fault:true', 'compile-started', 'vm-ready:grace-b', 'check-started', 'finished']);
    expect(notBegun.events.find((e) => e.type === 'vm-fault')).toMatchObject({ message: expect.stringMatching(/grace-a is shutting down and handed this run back/) });
    expect(notBegun.output).toBe('held\n');
  });
});

describe('a runner whose Redis connection drops for 10 s', () => {
  let proxy: RedisProxy;
  beforeAll(async () => {
    proxy = await startRedisProxy(redis.socket, join(dir, 'runner-c.sock'));
  });
  afterAll(async () => proxy?.stop());

  it('keeps its run: the output written meanwhile arrives once back, whole, in order, once each, and the run passes', async () => {
    let written = 0;
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const numbered: Script = async (sink) => {
      sink.event({ type: 'compile-started' });
      sink.event({ type: 'vm-ready', ...tcg, waitedMs: 0 });
      sink.event({ type: 'check-started', index: 0 });
      let going = true;
      void stopped.then(() => (going = false));
      while (going) {
        await sink.output(0, Buffer.from(`L${written++}\n`));
        await new Promise((r) => setTimeout(r, 10));
      }
      sink.event(finished('passed', 'All checks held.'));
    };
    await startRunner('cut-c', new ScriptedExecutor({ 'cut-off-run': numbered }), proxy.url);
    const run = watch('cut-off-run');
    await until(() => run.output.split('\n').length > 20);

    const before = proxy.connections;
    await proxy.cut();
    const writtenAtCut = written;
    // The outage itself: ten seconds in which nothing the runner writes reaches Redis.
    await new Promise((r) => setTimeout(r, 10_000));
    const writtenInOutage = written - writtenAtCut;
    await proxy.restore();
    await until(() => run.output.split('\n').length > writtenAtCut + writtenInOutage + 10);
    stop();
    await run.done;

    expect(proxy.connections).toBeGreaterThan(before);
    expect(writtenInOutage).toBeGreaterThan(100);
    expect(run.ended()).toMatchObject({ outcome: 'passed' });
    expect(run.events.some((e) => e.type === 'vm-fault')).toBe(false);
    const lines = run.output.split('\n').slice(0, -1);
    expect(lines.length).toBe(written);
    expect(lines.every((l, i) => l === `L${i}`)).toBe(true);
  });
});
