import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunEvent } from '@jaillab/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JailLabClient, type RunResult } from '../../client/jaillab-client.js';
import { LESSONS_DIR, programThat } from '../../../test/lesson-sources.js';
import { type RemoteCluster, startRemoteCluster } from '../../../test/remote-cluster.js';
import { rssMiB } from '../../../test/server-process.js';
import { startRedisProxy } from '../../../test/remote-redis-proxy.js';
import { Queue } from 'bullmq';
import { PREFIX, QUEUE_NAME, keys } from './keys.js';

/**
 * Runs on runner machines, for real: Debian's redis-server on a private
 * socket, two runner processes (as if on two hosts, each with one VM slot
 * and its own pool), and a server in remote mode that has no VMs. What a
 * learner sees must not differ from a local run.
 */
const LESSONS: Array<[string, string]> = [
  ['first-jail/a-jail-that-leaks', '01-first-jail/01-a-jail-that-leaks'],
  ['capstone/break-the-cert-jail', '05-capstone/01-break-the-cert-jail'],
  ['capstone/a-jail-that-holds', '05-capstone/02-a-jail-that-holds'],
];
const source = (folder: string, file: '_files' | '_solution'): string => readFileSync(join(LESSONS_DIR, folder, file, 'jail.c'), 'utf8');
/** By check, not by arrival: a local run alone may spread its checks over two VMs, a runner's over one. */
const byCheck = (a: string, b: string): number => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b);
const verdicts = (r: RunResult): string[] => r.events.flatMap((e) => (e.type === 'check-finished' ? [`${e.index}:${e.verdict}`] : [])).sort(byCheck);
/** Each check's replay and findings in outline: the calls highlighted (first outside, the secret read) and the rules found. */
const replays = (r: RunResult): string[] =>
  r.events.flatMap((e) => {
    if (e.type === 'check-trace') {
      const call = (i: number | null) => (i === null ? '-' : (e.trace.steps[i]?.call ?? '?'));
      return [`${e.index}: out ${call(e.trace.highlights.outside)}, secret ${call(e.trace.highlights.secret)}`];
    }
    return e.type === 'check-findings' ? [`${e.index}: ${e.findings.map((f) => f.rule).sort().join(' ') || 'no findings'}`] : [];
  }).sort(byCheck);
const runnerOf = (r: { events: RunEvent[] }): string | undefined => r.events.flatMap((e) => (e.type === 'vm-ready' ? [e.runner] : []))[0];

/** A jail program that never execs the probe and never ends: the check runs until its time limit or a cancel. */
const HANGS = programThat('for (;;) pause();', '#include <signal.h>');
/**
 * A run that lasts (a hanging program's run ends after two checks: check-tasks.ts): every check of the capstone
 * waits 3 s in a proper jail before it execs its probe.
 */
const SLOW = programThat('if (chroot(argv[1]) != 0 || chdir("/") != 0) return 1; sleep(3); execv(argv[2], &argv[2]); return 1;');
const LONG_RUN = 'capstone/a-jail-that-holds';
const LESSON_1 = 'first-jail/a-jail-that-leaks';
/** Polls a state until it holds (each look is a read; the test's timeout bounds it). */
async function until(holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise((r) => setTimeout(r, 50));
}
const alive = (): string[] => cluster.runners.filter((x) => x.child.exitCode === null && x.child.signalCode === null).map((x) => x.name);

let cluster: RemoteCluster;
let client: JailLabClient;

/** Starts a run and resolves as soon as an event matches, with the run id and a promise of the whole result. */
function startRun(c: JailLabClient, lessonId: string, src: string, until: (e: RunEvent) => boolean): Promise<{ runId: string; events: RunEvent[]; done: Promise<RunResult> }> {
  return new Promise((resolve, reject) => {
    const events: RunEvent[] = [];
    let runId = '';
    let settled = false;
    const done = c.run(lessonId, src, {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'created') runId = e.runId;
        if (!settled && until(e)) {
          settled = true;
          resolve({ runId, events, done });
        }
      },
    });
    done.then(
      (r) => settled || ((settled = true), reject(new Error(`the run ended before the awaited event: ${r.finished.message}`))),
      (e: Error) => settled || ((settled = true), reject(e)),
    );
  });
}

describe('runs on remote runners (BullMQ on Redis)', () => {
  beforeAll(async () => {
    cluster = await startRemoteCluster({ runners: ['host-a', 'host-b'] });
    client = await JailLabClient.connect(cluster.server.url);
  });
  afterAll(async () => {
    client?.close();
    await cluster?.stop();
    if (process.env.JAILLAB_TEST_LOG) for (const r of cluster?.runners ?? []) console.log(`--- ${r.name}\n${r.log.join('\n')}`);
  });

  it('spreads runs over both runners: two at once, one on each', async () => {
    const other = await JailLabClient.connect(cluster.server.url);
    const [a, b] = await Promise.all([client.run(...lessonRun(0, '_solution')), other.run(...lessonRun(0, '_solution'))]);
    other.close();
    expect([a.finished.outcome, b.finished.outcome], `${a.finished.message} / ${b.finished.message}`).toEqual(['passed', 'passed']);
    expect([runnerOf(a), runnerOf(b)].sort()).toEqual(['host-a', 'host-b']);
  });

  it("gives lesson 1's and the capstone's verdicts, replays and findings exactly as a local run does, for starters and solutions", async () => {
    const local = await JailLabClient.connect(inject('serverUrl'));
    try {
      for (const [i] of LESSONS.entries())
        for (const which of ['_files', '_solution'] as const) {
          const [remote, here] = await Promise.all([client.run(...lessonRun(i, which)), local.run(...lessonRun(i, which))]);
          expect(verdicts(remote), `${LESSONS[i]![0]} ${which}`).toEqual(verdicts(here));
          // The escape replay and the POS05-C findings cross from the runner as they are made locally: the first
          // check's, and each escaped check's replay (recorded on its second run).
          expect(replays(remote).length, `${LESSONS[i]![0]} ${which}: the replays and findings of a local run`).toBe(replays(here).length);
          expect(replays(remote).length, `${LESSONS[i]![0]} ${which}`).toBeGreaterThanOrEqual(2);
          expect(replays(remote), `${LESSONS[i]![0]} ${which}`).toEqual(replays(here));
          expect(remote.finished.outcome).toBe(here.finished.outcome);
          expect(remote.finished.message).toBe(here.finished.message);
          expect(runnerOf(remote)).toMatch(/^host-[ab]$/);
        }
    } finally {
      local.close();
    }
  });

  it('streams output live with backpressure: a server that stops reading stops the guest, and nothing is lost', async () => {
    // Every check of the capstone floods its output limit with numbered lines: megabytes in all.
    const flood = programThat('for (unsigned long n = 0;; n++) printf("L%lu ................................................................\\n", n);');
    const redis = cluster.redis.client();
    const received = new Map<number, number>();
    let stopped = false;
    const runnersRss = () => cluster.runners.map((r) => rssMiB(r.pid));
    const rssBefore = runnersRss();
    const started = await startRun(client, 'capstone/a-jail-that-holds', flood, (e) => e.type === 'check-started');
    const stream = keys.stream(started.runId);
    try {
      // The server stops reading (SIGSTOP): nothing of it runs, as if it were overloaded or paused.
      process.kill(cluster.server.pid, 'SIGSTOP');
      stopped = true;
      // The runner writes until it is the bound ahead of the server's cursor, then stops reading its VM.
      let last = -1;
      let stable = 0;
      while (stable < 5) {
        const len = await redis.xlen(stream);
        stable = len === last ? stable + 1 : 0;
        last = len;
        await new Promise((r) => setTimeout(r, 200));
      }
      const streamBytes = Number(await redis.memory('USAGE', stream));
      expect(streamBytes).toBeGreaterThan(0);
      expect(streamBytes).toBeLessThan(1 << 20);
      const growth = runnersRss().map((rss, i) => rss - rssBefore[i]!);
      expect(Math.max(...growth)).toBeLessThan(64);
    } finally {
      if (stopped) process.kill(cluster.server.pid, 'SIGCONT');
    }
    const r = await started.done;
    let total = 0;
    for (const [index, out] of r.output) {
      const lines = out.toString('utf8').split('\n');
      // Whole numbered lines from L0 on, none missing (the last may be cut by the output limit).
      const numbers = lines.slice(0, -1).filter((l) => l.startsWith('L')).map((l) => Number(/^L(\d+) /.exec(l)?.[1]));
      expect(numbers.length, `check ${index}`).toBeGreaterThan(100);
      expect(numbers.every((n, i) => n === i), `check ${index}: lines in order, none missing`).toBe(true);
      received.set(index, out.byteLength);
      total += out.byteLength;
    }
    // Far more than the stream ever held: it was read and trimmed as the server caught up, not buffered.
    expect(total).toBeGreaterThan(2 << 20);
    expect(r.events.filter((e) => e.type === 'check-finished').length).toBe(r.output.size);
  });

  it('cancels a run a runner holds (its VM is freed) and a run still waiting (no runner ever takes it)', async () => {
    const second = await JailLabClient.connect(cluster.server.url);
    const third = await JailLabClient.connect(cluster.server.url);
    try {
      // Both runners busy with a run that lasts a minute.
      const [a, b] = await Promise.all([startRun(client, LONG_RUN, SLOW, (e) => e.type === 'check-started'), startRun(second, LONG_RUN, SLOW, (e) => e.type === 'check-started')]);
      const waiting = await startRun(third, 'first-jail/a-jail-that-leaks', HANGS, (e) => e.type === 'queued');
      expect(waiting.events.find((e) => e.type === 'queued')).toMatchObject({ position: 0 });
      third.cancel(waiting.runId);
      const w = await waiting.done;
      expect(w.finished.outcome).toBe('cancelled');
      expect(w.events.some((e) => e.type === 'vm-ready' || e.type === 'compile-started')).toBe(false);
      const redis = cluster.redis.client();
      expect(await redis.exists(`jaillab:runs:${waiting.runId}`, keys.heartbeat(waiting.runId))).toBe(0);

      client.cancel(a.runId);
      second.cancel(b.runId);
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect([ra.finished.outcome, rb.finished.outcome]).toEqual(['cancelled', 'cancelled']);
      // The runners are free again: the next run is served.
      const next = await client.run(...lessonRun(0, '_solution'));
      expect(next.finished.outcome, next.finished.message).toBe('passed');
    } finally {
      second.close();
      third.close();
    }
  });

  it('a job a runner cannot read (another version) ends its run with that reason, not in silence', async () => {
    const queue = new Queue(QUEUE_NAME, { connection: { path: cluster.redis.socket, password: cluster.redis.password }, prefix: PREFIX });
    const redis = cluster.redis.client();
    try {
      await queue.add('run', { runId: 'r_from_the_future', lesson: { format: 2 } }, { jobId: 'r_from_the_future', removeOnComplete: true });
      let entries: Array<[string, string[]]> = [];
      while (!entries.some(([, f]) => f[0] === 'e' && f[1]!.includes('"finished"'))) {
        const reply = (await redis.xread('BLOCK', 1000, 'STREAMS', keys.stream('r_from_the_future'), '0-0')) as Array<[string, Array<[string, string[]]>]> | null;
        entries = reply?.[0]?.[1] ?? [];
      }
      const finished = JSON.parse(entries.find(([, f]) => f[0] === 'e')![1][1]!) as RunEvent;
      expect(finished).toMatchObject({ type: 'finished', outcome: 'error', message: expect.stringMatching(/could not read its job \(is it running another version/) });
    } finally {
      await queue.close();
    }
  });

  it('a runner killed mid-run: the learner is told the runner was lost, and the next run goes to the other', async () => {
    const running = await startRun(client, 'first-jail/a-jail-that-leaks', HANGS, (e) => e.type === 'check-started');
    const victim = cluster.runners.find((r) => r.name === runnerOf(running))!;
    const survivor = cluster.runners.find((r) => r !== victim)!;
    victim.child.kill('SIGKILL');
    const r = await running.done;
    expect(r.finished.outcome).toBe('error');
    expect(r.finished.message).toMatch(new RegExp(`runner running it \\(${victim.name}\\) was lost`));
    expect(r.finished.message).toMatch(/press Run to try again/);
    await cluster.waitForRunners([survivor.name]);
    const next = await client.run(...lessonRun(0, '_solution'));
    expect(next.finished.outcome).toBe('passed');
    expect(runnerOf(next)).toBe(survivor.name);
  });

  it('Redis restarting mid-run: the run ends with the reason, the learner keeps their code, and runs go on', async () => {
    const running = await startRun(client, 'first-jail/a-jail-that-leaks', HANGS, (e) => e.type === 'check-started');
    await cluster.redis.restart();
    const r = await running.done;
    expect(r.finished.outcome).toBe('error');
    expect(r.finished.message).toMatch(/run queue \(Redis\)/);
    // The code is in SQLite, on the server: untouched by Redis.
    client.send({ type: 'lesson-state-get', requestId: 'after-redis', lessonId: 'first-jail/a-jail-that-leaks' });
    const state = await client.next((m) => m.type === 'lesson-state' && m.requestId === 'after-redis');
    expect(state.type === 'lesson-state' && state.code?.source).toBe(HANGS);
    await cluster.waitForRunners(cluster.runners.filter((x) => x.child.exitCode === null && x.child.signalCode === null).map((x) => x.name));
    const next = await client.run(...lessonRun(0, '_solution'));
    expect(next.finished.outcome).toBe('passed');
  });

  it('SIGTERM to a runner holding a long run: that run and every other one passes, it takes no new job, and it exits once its run is done', async () => {
    await cluster.startRunner('host-c');
    await cluster.waitForRunners(alive());
    const second = await JailLabClient.connect(cluster.server.url);
    const third = await JailLabClient.connect(cluster.server.url);
    try {
      // Lesson 1 with a 3 s pause in each check: a run that lasts, as a learner's often does.
      const held = await startRun(client, LESSON_1, SLOW, (e) => e.type === 'check-started');
      const victim = cluster.runners.find((r) => r.name === runnerOf(held) && r.child.exitCode === null)!;
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) => victim.child.once('exit', (code, signal) => r([code, signal])));
      victim.child.kill('SIGTERM');
      await until(() => victim.log.some((l) => l.includes('runner: draining')));
      // The other runner is kept busy, and one more run waits: it must not go to the runner that is leaving.
      const busy = await startRun(second, LESSON_1, SLOW, (e) => e.type === 'check-started');
      const waiting = third.run(LESSON_1, SLOW);

      const [h, b, w] = await Promise.all([held.done, busy.done, waiting]);
      for (const r of [h, b, w]) expect(r.finished.outcome, r.finished.message).toBe('passed');
      expect(verdicts(h)).toHaveLength(2);
      expect(runnerOf(h)).toBe(victim.name);
      expect(h.events.some((e) => e.type === 'vm-fault')).toBe(false);
      expect(runnerOf(b)).not.toBe(victim.name);
      expect(runnerOf(w)).not.toBe(victim.name);
      expect(await exited).toEqual([0, null]);
      // It left after its run was done, not before: its log says so in that order.
      const doneAt = victim.log.findIndex((l) => l.includes(`run ${held.runId}: done`));
      const drainedAt = victim.log.findIndex((l) => l.includes('runner: drained: 1 finished, 0 handed back, 0 ended early'));
      expect(doneAt).toBeGreaterThanOrEqual(0);
      expect(drainedAt).toBeGreaterThan(doneAt);
    } finally {
      second.close();
      third.close();
    }
  });

  it("a runner whose Redis connection drops for 10 s keeps its run: it passes with nothing lost, and nobody is told the runner was lost", async () => {
    // Only this runner, behind a relay the test can cut: its network goes, the server's and Redis's stay.
    for (const r of cluster.runners) await r.stop();
    const proxy = await startRedisProxy(cluster.redis.socket, join(dirname(cluster.redis.socket), 'runner-p.sock'));
    try {
      const p = await cluster.startRunner('host-p', { redisUrl: proxy.url });
      await cluster.waitForRunners(['host-p']);
      const running = await startRun(client, LESSON_1, SLOW, (e) => e.type === 'check-started');
      const before = proxy.connections;
      await proxy.cut();
      // The outage itself: ten seconds in which nothing host-p writes reaches Redis (the run goes on in its VM).
      await new Promise((r) => setTimeout(r, 10_000));
      await proxy.restore();
      const r = await running.done;
      expect(r.finished.outcome, r.finished.message).toBe('passed');
      expect(verdicts(r)).toHaveLength(2);
      expect(r.events.some((e) => e.type === 'vm-fault')).toBe(false);
      expect(runnerOf(r)).toBe('host-p');
      expect(proxy.connections).toBeGreaterThan(before);
      expect(p.log.some((l) => /giving the run up/.test(l))).toBe(false);
      const next = await client.run(...lessonRun(0, '_solution'));
      expect(next.finished.outcome, next.finished.message).toBe('passed');
      expect(runnerOf(next)).toBe('host-p');
    } finally {
      await proxy.stop();
    }
  });
});

function lessonRun(i: number, which: '_files' | '_solution'): [string, string] {
  const [id, folder] = LESSONS[i]!;
  return [id, source(folder, which)];
}
