import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../test/fuzz-messages.js';
import { fmtMs, median, percentile } from '../bench/stats.js';
import { randomBytes } from 'node:crypto';
import { JailLabClient } from '../src/client/jaillab-client.js';
import { abuse, newAbuseTally } from './abuser.js';
import { newTally, type Seat, simulateLearner } from './learner.js';
import { qemuProcessesOf, rssMiB, startServerProcess } from '../test/server-process.js';

/**
 * `npm run soak`: SOAK_LEARNERS simulated learners (default 30) use one real
 * server for SOAK_MINUTES (default 10): good runs, bad programs, reconnects
 * mid-run. Then the server is stopped, and the numbers printed: runs served,
 * errors by kind, latency, the server's memory over time, QEMU left behind.
 *
 * By default (SOAK_WORKSHOP=1) the learners are a workshop's students, an
 * instructor watches the dashboard, and one abusive student from the same
 * address sits beside them (soak/abuser.ts, issue 25): no real student may be
 * refused, and after the room empties the VMs kept ready fall back to the
 * pool's size. SOAK_WORKSHOP=0 is the plain soak.
 */
const learners = Number(process.env.SOAK_LEARNERS ?? 30);
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const seed = Number(process.env.SOAK_SEED ?? 1);
const inWorkshop = process.env.SOAK_WORKSHOP !== '0';
const instructorToken = randomBytes(18).toString('base64url');
const poolSize = Number(process.env.JAILLAB_POOL_SIZE ?? 2);

const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-soak-'));
const server = await startServerProcess({ ...process.env, JAILLAB_DATA_DIR: dataDir, JAILLAB_PORT: '0', JAILLAB_INSTRUCTOR_TOKEN: instructorToken });
console.log(`soak: ${learners} learners for ${minutes} min against ${server.url} (server pid ${server.pid}, seed ${seed})`);
const rss: Array<[number, number]> = [];
const started = Date.now();
const sample = (): void => void rss.push([Math.round((Date.now() - started) / 1000), rssMiB(server.pid)]);
sample();
const sampler = setInterval(() => {
  sample();
  const [t, mib] = rss.at(-1)!;
  console.log(`  t=${t}s  server RSS ${mib.toFixed(0)} MiB  QEMU processes ${qemuProcessesOf(server.pid).length}  runs so far ${tally.runs}`);
}, 30_000);

const tally = newTally();
const abuseTally = newAbuseTally();
const deadline = started + minutes * 60_000;
const rand = prng(seed);
// Numbers, not letters: "Student I" and "Student L" are one name to the look-alike check.
const names = Array.from({ length: learners }, (_, i) => `Student ${i + 1}`);
let teacher: JailLabClient | null = null;
let code = '';
const readyPeak = { ready: 0 };
if (inWorkshop) {
  teacher = await JailLabClient.connect(server.url, { instructorToken });
  const created = await teacher.request({ type: 'workshop-create', title: 'Soak', lessonIds: ['first-jail/a-jail-that-leaks'], roomSize: learners + 10 }, 'workshop-created');
  code = created.workshop.code;
  teacher.on((m) => {
    if (m.type === 'workshop-dashboard') readyPeak.ready = Math.max(readyPeak.ready, m.dashboard.capacity.ready);
  });
  teacher.send({ type: 'workshop-watch', requestId: 'watch', workshopId: created.workshop.id });
}
const seat = (i: number): Seat | undefined => (inWorkshop ? { code, name: names[i]! } : undefined);
const students = Promise.all(Array.from({ length: learners }, (_, i) => simulateLearner(server.url, deadline, prng(seed * 1000 + i + Math.floor(rand() * 1e6)), tally, seat(i)).catch((e: Error) => {
  tally.errors.set(`learner gave up: ${e.message}`, (tally.errors.get(`learner gave up: ${e.message}`) ?? 0) + 1);
})));
// The abuser comes once the class has arrived (a student already in the room, as in the issue).
const abuser = inWorkshop ? new Promise((r) => setTimeout(r, 10_000)).then(() => abuse(server.url, code, names, deadline, abuseTally)).catch((e: Error) => void abuseTally.refused.set(`abuser stopped: ${e.message}`, 1)) : Promise.resolve();
await Promise.all([students, abuser]);
teacher?.close();
// The room has emptied: the VMs kept ready for it should fall back to the pool's own size.
const health = async (): Promise<{ ready: number; starting: number }> => ((await (await fetch(`${server.url}/api/health`)).json()) as { capacity: { ready: number; starting: number } }).capacity;
let afterRoom = await health();
for (let i = 0; i < 30 && afterRoom.ready + afterRoom.starting > poolSize; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  afterRoom = await health();
}
clearInterval(sampler);
sample();
const rssEnd = rss.at(-1)![1];
const elapsed = (Date.now() - started) / 1000;

const exitCode = await server.stop();
await new Promise((r) => setTimeout(r, 500)); // QEMU exits a moment after SIGKILL is sent
const leftover = qemuProcessesOf(server.pid);
await rm(dataDir, { recursive: true, force: true });

const lines = [
  '',
  `soak finished: ${learners} learners, ${(elapsed / 60).toFixed(1)} min`,
  `  runs served            ${tally.runs} (${(tally.runs / elapsed * 60).toFixed(1)} a minute), reconnects mid-run ${tally.reconnects}`,
  ...[...tally.outcomes].sort().map(([k, n]) => `    ${k.padEnd(36)} ${n}`),
  `  errors by kind         ${tally.errors.size === 0 ? 'none' : ''}`,
  ...[...tally.errors].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${k.padEnd(60)} ${n}`),
  `  latency Run → verdicts p50 ${fmtMs(median(tally.latencies))}, p95 ${fmtMs(percentile(tally.latencies, 95))}, max ${fmtMs(Math.max(...tally.latencies))}`,
  `  of which queue wait    p50 ${fmtMs(median(tally.queueWaits))}, p95 ${fmtMs(percentile(tally.queueWaits, 95))}`,
  `  server RSS             start ${rss[0]![1].toFixed(0)} MiB, end ${rssEnd.toFixed(0)} MiB, max ${Math.max(...rss.map((r) => r[1])).toFixed(0)} MiB`,
  `  server RSS over time   ${rss.map(([t, m]) => `${t}s:${m.toFixed(0)}`).join(' ')}`,
  ...(inWorkshop
    ? [
        `  the room               ${learners} students; VMs ready at most ${readyPeak.ready}; after it emptied ${afterRoom.ready} ready + ${afterRoom.starting} starting (pool size ${poolSize})`,
        `  the abuser beside it   idle sockets closed by the server ${abuseTally.idleSocketsClosed}, made-up members let in ${abuseTally.fakeMembers}`,
        ...[...abuseTally.refused].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    refused: ${k.padEnd(52)} ${n}`),
      ]
    : []),
  `  server exit code       ${exitCode}`,
  `  QEMU left after stop   ${leftover.length}${leftover.length ? ` (pids ${leftover.join(', ')})` : ''}`,
];
console.log(lines.join('\n'));
// In a workshop, no real student may have been refused anything (the abuser's refusals are the point).
const studentsRefused = [...tally.errors.keys()].filter((k) => /rate-limited|refused|gave up|forbidden|workshop-full|name-taken/.test(k));
if (studentsRefused.length) console.log(`  REAL STUDENTS REFUSED: ${studentsRefused.join('; ')}`);
process.exit(leftover.length === 0 && exitCode === 0 && studentsRefused.length === 0 ? 0 : 1);
