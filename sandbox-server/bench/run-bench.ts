import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JailLabClient } from '../src/client/jaillab-client.js';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/server.js';
import { startClone } from '../src/vm/clone.js';
import { ensureTemplate } from '../src/vm/template.js';
import { ensureGuestImage } from '../guest/image/build-image.js';
import { compileC } from '../src/compile/compile-c.js';
import { compileProbeLibrary } from '../src/runs/probe-binaries.js';
import { CompileCache } from '../src/compile/compile-cache.js';
import { privateMiB, pssMiB } from './memory.js';
import { runNatively } from './native-floor.js';
import { fmtMs, median, percentile } from './stats.js';

/**
 * `npm run bench`: the numbers issue #2 asks for, measured side by side in one
 * process on this machine. Lesson 1, a warm pool, runs over the real socket
 * API, each with a source the compile cache has never seen.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CLONES = Number(process.env.BENCH_CLONES ?? 20);
const LESSON = 'first-jail/a-jail-that-leaks';
const config = loadConfig();
const rows: Array<[string, string]> = [];
const report = (name: string, value: string): void => {
  rows.push([name, value]);
  console.log(`  ${name.padEnd(44)} ${value}`);
};

console.log(`JailLab benchmark: ${RUNS} runs, ${CLONES} clones\n`);
const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-bench-'));
const runDir = await mkdtemp(join(tmpdir(), 'jl-bench-'));

// 1. Server start (cached image and template) until the first VM is ready.
const t0 = performance.now();
const app = await createApp(loadConfig({ ...process.env, JAILLAB_DATA_DIR: dataDir }, { port: 0, poolSize: 2, maxConcurrentRuns: 2 }), () => {});
while (app.pool.stats().ready < 1) await new Promise((r) => setTimeout(r, 2));
report('server start → first ready VM', fmtMs(performance.now() - t0));
report('accelerator', app.pool.stats().accelerator ?? '?');

// 2. A ready VM: restoring a clone of the template, and what a ready one costs in memory.
const image = await ensureGuestImage(config.cacheDir, () => {});
const template = await ensureTemplate({ image, accelerator: app.pool.stats().accelerator!, memoryMiB: config.vmMemoryMiB, cacheDir: config.cacheDir, runDir, log: () => {} });
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
report('time to a ready VM (clone restore), p50 / p95', `${fmtMs(median(cloneMs))} / ${fmtMs(percentile(cloneMs, 95))}`);
report(`memory per ready VM, private (${CLONES} ready)`, `${median(priv).toFixed(1)} MiB p50, ${Math.max(...priv).toFixed(1)} MiB max`);
report(`memory per ready VM, PSS (${CLONES} ready)`, `${median(pss).toFixed(1)} MiB p50`);
await Promise.all(clones.map((c) => c.destroy()));

// 3. Run → all verdicts over the real WebSocket API, compile included (a fresh source every time).
// Each run comes from a learner of its own (connecting is not timed): one learner pressing Run back to back
// is held to the per-learner run rate (ws/run-rate-limits.ts), which would measure the limit, not the path.
const starter = app.catalog.get(LESSON)!.starter;
const runMs: number[] = [];
const compileMs: number[] = [];
for (let i = 0; i < RUNS + 2; i++) {
  const source = `${starter}\n/* bench ${i} ${Date.now()} */\n`;
  const client = await JailLabClient.connect(app.url);
  const s = performance.now();
  const r = await client.run(LESSON, source);
  const ms = performance.now() - s;
  client.close();
  if (r.finished.outcome !== 'failed') throw new Error(`unexpected outcome ${r.finished.outcome}: ${r.finished.message}`);
  if (i < 2) continue; // warm-up: TCG's code cache, gcc's page cache
  runMs.push(ms);
  const c = r.events.find((e) => e.type === 'compile-finished');
  if (c?.type === 'compile-finished') compileMs.push(c.durationMs);
}
report('Run → all verdicts (socket API, compile incl.), p50', fmtMs(median(runMs)));
report('Run → all verdicts, p95', fmtMs(percentile(runMs, 95)));
report('  of which compile (sandboxed gcc -static), p50', fmtMs(median(compileMs)));

// 4. The floor: the same binaries natively, in a throwaway namespace, compile included.
const lesson = app.catalog.get(LESSON)!;
const probes = await compileProbeLibrary(app.catalog.library, new CompileCache(join(config.cacheDir, 'compile-cache')));
const nativeMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const s = performance.now();
  const compiled = await compileC({ source: `${starter}\n/* native ${i} ${Date.now()} */\n`, fileName: lesson.starterFileName });
  await runNatively(lesson, compiled.binary!, probes);
  nativeMs.push(performance.now() - s);
}
report('native floor (same compile + binaries, bwrap), p50', fmtMs(median(nativeMs)));
report('Run in a VM / native floor (p50 ratio)', `${(median(runMs) / median(nativeMs)).toFixed(2)}×`);

await app.close();
await rm(dataDir, { recursive: true, force: true });
await rm(runDir, { recursive: true, force: true });
console.log('\ntargets on a 2-core TCG host: Run → verdicts p50 ≤ 800 ms, ≤ 48 MiB per ready VM, first ready VM ≤ 5 s');
