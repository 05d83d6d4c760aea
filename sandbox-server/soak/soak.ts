import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../test/fuzz-messages.js';
import { fmtMs, median, percentile } from '../bench/stats.js';
import { newTally, simulateLearner } from './learner.js';
import { qemuProcessesOf, rssMiB, startServerProcess } from '../test/server-process.js';

/**
 * `npm run soak`: SOAK_LEARNERS simulated learners (default 30) use one real
 * server for SOAK_MINUTES (default 10): good runs, bad programs, reconnects
 * mid-run. Then the server is stopped, and the numbers printed: runs served,
 * errors by kind, latency, the server's memory over time, QEMU left behind.
 */
const learners = Number(process.env.SOAK_LEARNERS ?? 30);
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const seed = Number(process.env.SOAK_SEED ?? 1);

const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-soak-'));
const server = await startServerProcess({ ...process.env, JAILLAB_DATA_DIR: dataDir, JAILLAB_PORT: '0' });
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
const deadline = started + minutes * 60_000;
const rand = prng(seed);
await Promise.all(Array.from({ length: learners }, (_, i) => simulateLearner(server.url, deadline, prng(seed * 1000 + i + Math.floor(rand() * 1e6)), tally).catch((e: Error) => {
  tally.errors.set(`learner gave up: ${e.message}`, (tally.errors.get(`learner gave up: ${e.message}`) ?? 0) + 1);
})));
clearInterval(sampler);
sample();
const rssEnd = rss.at(-1)![1];
const elapsed = (Date.now() - started) / 1000;

const code = await server.stop();
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
  `  server exit code       ${code}`,
  `  QEMU left after stop   ${leftover.length}${leftover.length ? ` (pids ${leftover.join(', ')})` : ''}`,
];
console.log(lines.join('\n'));
process.exit(leftover.length === 0 && code === 0 ? 0 : 1);
