import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JailLabClient, type RunResult } from '../src/client/jaillab-client.js';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/server.js';
import { startClone } from '../src/vm/clone.js';
import { ensureTemplate } from '../src/vm/template.js';
import { ensureGuestImage } from '../guest/image/build-image.js';
import { compileC } from '../src/compile/compile-c.js';
import { ProbeBuilder } from '../src/compile/probe-binaries.js';
import { CompileCache } from '../src/compile/compile-cache.js';
import { breakdown } from './breakdown.js';
import { cpuSeconds, cpuSplit } from './cpu.js';
import { privateMiB, pssMiB } from './memory.js';
import { runNatively } from './native-floor.js';
import { machineBusySeconds } from './machine-cpu.js';
import { remoteBench } from './remote-bench.js';
import { traceBench } from './trace-bench.js';
import { roomTable } from './room-table.js';
import { fmtMs, median, percentile } from './stats.js';

/**
 * `npm run bench`: the run path's numbers, measured side by side in one
 * process on this machine. A warm pool, runs over the real socket API, each
 * with a source the compile cache has never seen: lesson 1 and the capstone
 * (every probe), each with where its time goes (the agent times its own
 * phases), its CPU per run and its native floor; then bursts of learners
 * pressing Run together.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CAPSTONE_RUNS = Number(process.env.BENCH_CAPSTONE_RUNS ?? 8);
const CLONES = Number(process.env.BENCH_CLONES ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 30);
/** Runs per lesson in the local-vs-remote comparison (0: skip the remote section). */
const REMOTE_RUNS = Number(process.env.BENCH_REMOTE_RUNS ?? 8);
/** Runs each way (tracing off, on) per lesson in the escape-replay comparison (0: skip it). */
const TRACE_RUNS = Number(process.env.BENCH_TRACE_RUNS ?? 8);
/** Students in the capstone burst whose programs hang. */
const HANGING = Number(process.env.BENCH_HANGING ?? 3);
const LESSON = 'first-jail/a-jail-that-leaks';
const CAPSTONE = 'capstone/a-jail-that-holds';
const config = loadConfig();
const report = (name: string, value: string): void => console.log(`  ${name.padEnd(52)} ${value}`);

console.log(`JailLab benchmark: ${RUNS} lesson-1 runs, ${CAPSTONE_RUNS} capstone runs, ${CLONES} clones, bursts of ${BURST}\n`);
const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-bench-'));
const runDir = await mkdtemp(join(tmpdir(), 'jl-bench-'));

// 1. Server start (cached image and template) until the first VM is ready.
const t0 = performance.now();
const app = await createApp(loadConfig({ ...process.env, JAILLAB_DATA_DIR: dataDir }, { port: 0 }), () => {});
while (app.executor.capacity().ready < 1) await new Promise((r) => setTimeout(r, 2));
const accel = app.executor.capacity().accelerator ?? '?';
const tag = `[${accel}]`;
report('server start → first ready VM', `${fmtMs(performance.now() - t0)} ${tag}`);
report('accelerator', accel);
report('VM slots (runs at once) / VMs kept ready', `${config.maxConcurrentRuns} / ${config.poolSize}`);

// 2. A ready VM: restoring a clone of the template, and what a ready one costs in memory.
const image = await ensureGuestImage(config.cacheDir, () => {});
const template = await ensureTemplate({ image, accelerator: app.executor.capacity().accelerator!, memoryMiB: config.vmMemoryMiB, cacheDir: config.cacheDir, runDir, log: () => {}, preload: app.preload });
const cloneMs: number[] = [];
const clones = [];
for (let i = 0; i < CLONES; i++) {
  const s = performance.now();
  clones.push(await startClone(template, runDir, `bench-${i}`));
  cloneMs.push(performance.now() - s);
}
await new Promise((r) => setTimeout(r, 300));
const priv = clones.map((c) => privateMiB(c.pid!));
const pss = clones.map((c) => pssMiB(c.pid!));
report('time to a ready VM (clone restore), p50 / p95', `${fmtMs(median(cloneMs))} / ${fmtMs(percentile(cloneMs, 95))} ${tag}`);
report(`memory per ready VM, private (${CLONES} ready)`, `${median(priv).toFixed(1)} MiB p50, ${Math.max(...priv).toFixed(1)} MiB max`);
report(`memory per ready VM, PSS (${CLONES} ready)`, `${median(pss).toFixed(1)} MiB p50`);
await Promise.all(clones.map((c) => c.destroy()));

/** Sources the compile cache has never seen: the same program, a different comment each time. */
const fresh = (lessonId: string, i: number): string => `${lessonId === LESSON ? app.catalog.get(lessonId)!.starter : app.catalog.get(lessonId)!.solution}\n/* bench ${i} ${Date.now()} ${Math.random()} */\n`;

/**
 * Runs one after another, each from a learner of its own (connecting is not timed): one learner
 * pressing Run back to back is held to the per-learner run rate, which would measure the limit.
 */
async function series(lessonId: string, n: number, expected: string): Promise<{ results: Array<{ result: RunResult; wallMs: number }>; cpuPerRun: number }> {
  const results: Array<{ result: RunResult; wallMs: number }> = [];
  let cpu0 = 0;
  for (let i = 0; i < n + 2; i++) {
    if (i === 2) cpu0 = cpuSeconds(); // after the warm-up: TCG's code paths, gcc's page cache
    const client = await JailLabClient.connect(app.url);
    const s = performance.now();
    const result = await client.run(lessonId, fresh(lessonId, i));
    const wallMs = performance.now() - s;
    client.close();
    if (result.finished.outcome !== expected) throw new Error(`unexpected outcome ${result.finished.outcome}: ${result.finished.message}`);
    if (i >= 2) results.push({ result, wallMs });
  }
  return { results, cpuPerRun: (cpuSeconds() - cpu0) / n };
}

interface Burst {
  p50: number;
  last: number;
  cpuPerRun: number;
  /** With hanging programs in the room: the others' last verdict, and how long each hanging run held its slot. */
  othersLast?: number;
  hangingMs?: number[];
}

/** A jail program that never exec's the probe: every check would wait out its time limit. */
const HANGS = 'int main(void) { for (;;) { } }\n';

/** `n` learners, each with their own socket and their own code, press Run at the same moment (`hanging` of them with a program that hangs). */
async function burst(lessonId: string, n: number, hanging = 0): Promise<Burst> {
  const clients = await Promise.all(Array.from({ length: n }, () => JailLabClient.connect(app.url)));
  const cpu0 = cpuSeconds();
  const split0 = cpuSplit();
  const machine0 = machineBusySeconds();
  const s = performance.now();
  // The hanging ones spread through the room's arrival order, as they would in a class.
  const hangs = (i: number): boolean => hanging > 0 && i % Math.floor(n / hanging) === 0 && Math.floor(i / Math.floor(n / hanging)) < hanging;
  const done = await Promise.all(
    clients.map(async (c, i) => {
      try {
        const r = await c.run(lessonId, hangs(i) ? `${HANGS}/* ${i} ${Math.random()} */\n` : fresh(lessonId, 1000 + i));
        const ok = hangs(i) ? r.finished.outcome === 'error' : r.finished.outcome === 'passed' || r.finished.outcome === 'failed';
        return { ms: performance.now() - s, ok, hangs: hangs(i), heldMs: r.finished.durationMs };
      } catch {
        return { ms: performance.now() - s, ok: false, hangs: hangs(i), heldMs: 0 };
      }
    }),
  );
  const totalS = (performance.now() - s) / 1000;
  for (const c of clients) c.close();
  const ms = done.map((d) => d.ms);
  report(`${n} learners press Run together: p50 / p95 / last`, `${fmtMs(median(ms))} / ${fmtMs(percentile(ms, 95))} / ${fmtMs(Math.max(...ms))} ${tag}`);
  const split = cpuSplit();
  report('  runs per second; CPU seconds per run', `${(n / totalS).toFixed(2)}/s; ${((cpuSeconds() - cpu0) / n).toFixed(2)} s ${tag}`);
  report('    of which the server process / gcc and QEMU', `${((split.self - split0.self) / n).toFixed(2)} s / ${((split.children - split0.children) / n).toFixed(2)} s`);
  report('  machine CPU seconds per run (compare with remote)', `${((machineBusySeconds() - machine0) / n).toFixed(2)} s`);
  report('  errors', String(done.filter((d) => !d.ok).length));
  const result: Burst = { p50: median(ms), last: Math.max(...ms), cpuPerRun: (cpuSeconds() - cpu0) / n };
  if (hanging > 0) {
    const others = done.filter((d) => !d.hangs).map((d) => d.ms);
    const held = done.filter((d) => d.hangs).map((d) => d.heldMs);
    report(`  of which ${hanging} hang: the others' last verdict`, `${fmtMs(Math.max(...others))} ${tag}`);
    report('  each hanging run held its VM slot for', held.map(fmtMs).join(', '));
    result.othersLast = Math.max(...others);
    result.hangingMs = held;
  }
  return result;
}

const probes = await new ProbeBuilder(new CompileCache(join(config.cacheDir, 'compile-cache'))).library(app.catalog.library);
async function nativeFloor(lessonId: string, n: number): Promise<number> {
  const lesson = app.catalog.get(lessonId)!;
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const compiled = await compileC({ source: fresh(lessonId, 5000 + i), fileName: lesson.starterFileName });
    await runNatively(lesson, compiled.binary!, probes);
    ms.push(performance.now() - s);
  }
  return median(ms);
}

const alone = new Map<string, { p50: number; cpuPerRun: number; floor: number }>();
for (const [lessonId, n, expected, label] of [
  [LESSON, RUNS, 'failed', 'lesson 1 (starter: 2 checks)'],
  [CAPSTONE, CAPSTONE_RUNS, 'passed', `the capstone (solution: ${app.catalog.get(CAPSTONE)!.checks.length} checks)`],
] as const) {
  console.log(`\n${label}, one run at a time ${tag}`);
  const { results, cpuPerRun } = await series(lessonId, n, expected);
  for (const [name, value] of breakdown(results)) report(name, value);
  report('CPU seconds per run (server, gcc, QEMU)', `${cpuPerRun.toFixed(2)} s ${tag}`);
  const floor = await nativeFloor(lessonId, Math.min(n, 10));
  report('native floor (same compile + binaries, bwrap), p50', fmtMs(floor));
  const p50 = median(results.map((r) => r.wallMs));
  report('Run in a VM / native floor (p50 ratio)', `${(p50 / floor).toFixed(2)}× ${tag}`);
  alone.set(lessonId, { p50, cpuPerRun, floor });
}

const replay =
  TRACE_RUNS > 0
    ? await traceBench({
    url: app.url,
    lessons: [
      { id: LESSON, label: 'lesson 1', expected: 'failed', runs: TRACE_RUNS },
      { id: CAPSTONE, label: 'the capstone', expected: 'passed', runs: Math.max(2, Math.round(TRACE_RUNS / 2)) },
    ],
    fresh,
    report,
    tag,
  })
    : new Map<string, { off: number; on: number }>();

const bursts = new Map<string, Burst>();
if (BURST > 0) {
  console.log(`\nbursts ${tag}`);
  bursts.set(LESSON, await burst(LESSON, BURST));
  bursts.set(CAPSTONE, await burst(CAPSTONE, BURST));
  bursts.set('hang', await burst(CAPSTONE, BURST, HANGING));
}

if (REMOTE_RUNS > 0)
  await remoteBench({
    localUrl: app.url,
    lessons: [
      { id: LESSON, label: 'lesson 1', expected: 'failed', runs: REMOTE_RUNS },
      { id: CAPSTONE, label: 'the capstone', expected: 'passed', runs: Math.max(2, Math.round(REMOTE_RUNS / 2)) },
    ],
    fresh,
    burst: { lessonId: LESSON, learners: BURST },
    slots: config.maxConcurrentRuns,
    report,
  });

await app.close();
await rm(dataDir, { recursive: true, force: true });
await rm(runDir, { recursive: true, force: true });
console.log(`\n${roomTable({ accelerator: accel, burst: BURST, alone, replay, bursts, capstone: CAPSTONE, lesson: LESSON })}`);
