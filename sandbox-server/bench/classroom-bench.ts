import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JailLabClient } from '../src/client/jaillab-client.js';
import { loadConfig } from '../src/config/config.js';
import { createApp, type App } from '../src/server.js';
import { cpuSeconds } from './cpu.js';
import { fmtMs, median, percentile } from './stats.js';

/**
 * `npm run bench:classroom`: a workshop of N students (CLASSROOM_STUDENTS, 30)
 * joins over the real WebSocket API with real VMs, and everyone presses Run
 * together on lesson 1 with code of their own (no compile-cache hits), then on
 * the capstone. Then the same bursts on a server without the workshop: plain
 * learners, arrival-order queue, no VMs warmed for a room. Prints time to all
 * verdicts (p50, p95, last), errors, runs per second, CPU per run and the
 * server's peak RSS. In the workshop, the instructor then fires one probe at
 * the 30 jails (room attacks): the time until its column is complete, and one
 * student's own Run pressed while it fills (it waits for one run slot at most).
 */
const N = Number(process.env.CLASSROOM_STUDENTS ?? 30);
const LESSON = 'first-jail/a-jail-that-leaks';
const CAPSTONE = 'capstone/a-jail-that-holds';
const TOKEN = 'classroom-bench-instructor-token';
const report = (name: string, value: string): void => console.log(`  ${name.padEnd(46)} ${value}`);

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function withApp<T>(overrides: Parameters<typeof loadConfig>[1], body: (app: App) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-classroom-'));
  const app = await createApp(loadConfig({ ...process.env, JAILLAB_DATA_DIR: dataDir }, { port: 0, instructorToken: TOKEN, ...overrides }), () => {});
  try {
    return await body(app);
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function burst(app: App, clients: JailLabClient[], lessonId: string, label: string): Promise<void> {
  const base = lessonId === LESSON ? app.catalog.get(lessonId)!.starter : app.catalog.get(lessonId)!.solution;
  const cpu0 = cpuSeconds();
  const s = performance.now();
  const results = await Promise.all(
    clients.map(async (c, i) => {
      try {
        const r = await c.run(lessonId, `${base}\n/* student ${i} ${Math.random()} */\n`);
        return { ms: performance.now() - s, ok: r.finished.outcome === 'passed' || r.finished.outcome === 'failed' };
      } catch {
        return { ms: performance.now() - s, ok: false };
      }
    }),
  );
  const seconds = (performance.now() - s) / 1000;
  const ms = results.map((r) => r.ms);
  const tag = `[${app.executor.capacity().accelerator}]`;
  report(`${label}: p50 / p95 / last verdict`, `${fmtMs(median(ms))} / ${fmtMs(percentile(ms, 95))} / ${fmtMs(Math.max(...ms))} ${tag}`);
  report('  runs per second; CPU seconds per run; errors', `${(clients.length / seconds).toFixed(2)}/s; ${((cpuSeconds() - cpu0) / clients.length).toFixed(2)} s; ${results.filter((r) => !r.ok).length} ${tag}`);
}

/**
 * The instructor fires one library probe at every student's lesson-1 jail (their latest code, from the burst);
 * while the column fills, one student presses Run on their own. Reports when the column was complete and how
 * long that student's Run took, beside the same Run alone afterwards.
 */
async function fireAtRoom(app: App, teacher: JailLabClient, student: JailLabClient, workshopId: string): Promise<void> {
  const own = `${app.catalog.get(LESSON)!.starter}\n/* my own run ${Math.random()} */\n`;
  const s = performance.now();
  const fired = await teacher.request({ type: 'attack-fire', workshopId, lessonId: LESSON, probe: { probeId: 'cwd-outside' }, code: 'latest', showSource: false }, 'attack-fired');
  const ownStart = performance.now();
  const ownDuring = student.run(LESSON, own).then(() => performance.now() - ownStart);
  const column = (): Array<{ verdict: string }> => app.workshops.dashboard(workshopId).attacks.find((a) => a.id === fired.attackId)!.results;
  while (column().some((r) => r.verdict === 'pending')) await new Promise((r) => setTimeout(r, 20));
  const complete = performance.now() - s;
  const during = await ownDuring;
  await waitForReady(app, 1);
  const aloneStart = performance.now();
  await student.run(LESSON, `${own}/* again */\n`);
  const alone = performance.now() - aloneStart;
  const verdicts = column().reduce<Record<string, number>>((n, r) => ({ ...n, [r.verdict]: (n[r.verdict] ?? 0) + 1 }), {});
  const tag = `[${app.executor.capacity().accelerator}]`;
  report(`fire one probe at ${fired.students} jails: column complete`, `${fmtMs(complete)} (${Object.entries(verdicts).map(([v, k]) => `${k} ${v}`).join(', ')}) ${tag}`);
  report('  a student\'s own Run meanwhile; the same alone', `${fmtMs(during)}; ${fmtMs(alone)} ${tag}`);
}

async function waitForReady(app: App, want: number, timeoutMs = 120_000): Promise<number> {
  const s = performance.now();
  while (app.executor.capacity().ready < want && performance.now() - s < timeoutMs) await new Promise((r) => setTimeout(r, 20));
  return performance.now() - s;
}

console.log(`JailLab classroom benchmark: ${N} students\n`);
const config = loadConfig();
console.log(`workshop (students in a room, fair queue, VMs warmed for the room; ${config.maxConcurrentRuns} VM slots)`);
await withApp({ queuePolicy: 'fair' }, async (app) => {
  const teacher = await JailLabClient.connect(app.url, { instructorToken: TOKEN });
  const { workshop } = await teacher.request({ type: 'workshop-create', title: 'Benchmark room', lessonIds: [LESSON, CAPSTONE] }, 'workshop-created');
  const students = await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const c = await JailLabClient.connect(app.url);
      await c.request({ type: 'workshop-join', code: workshop.code, name: `Student ${i + 1}` }, 'workshop-joined');
      return c;
    }),
  );
  const want = Math.min(N, config.roomReadyMax) + config.poolSize;
  report('VMs warmed for the room (ready), in', `${app.executor.capacity().ready} of ${want}, ${fmtMs(await waitForReady(app, want))}`);
  await burst(app, students, LESSON, `${N} press Run on lesson 1`);
  await waitForReady(app, want);
  await burst(app, students, CAPSTONE, `${N} press Run on the capstone`);
  await waitForReady(app, want);
  await fireAtRoom(app, teacher, students[0]!, workshop.id);
  for (const c of [teacher, ...students]) c.close();
});
console.log(`\nwithout a workshop (learners on their own, arrival order, ${config.poolSize} VMs kept ready)`);
await withApp({ queuePolicy: 'fifo' }, async (app) => {
  const learners = await Promise.all(Array.from({ length: N }, () => JailLabClient.connect(app.url)));
  await waitForReady(app, config.poolSize);
  await burst(app, learners, LESSON, `${N} press Run on lesson 1`);
  await waitForReady(app, config.poolSize);
  await burst(app, learners, CAPSTONE, `${N} press Run on the capstone`);
  for (const c of learners) c.close();
});
clearInterval(rssTimer);
console.log('');
report('server process peak RSS (both servers, this process)', `${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
console.log('\ngoal on a 2-core TCG host: all 30 lesson-1 runs answered within 5 s, no errors');
