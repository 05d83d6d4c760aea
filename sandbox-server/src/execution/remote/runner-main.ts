import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CompileCache } from '../../compile/compile-cache.js';
import { loadConfig } from '../../config/config.js';
import { LessonCatalog } from '../../lessons/lesson-catalog.js';
import { removeStaleRunDirs } from '../../vm/stale-run-dirs.js';
import type { PreloadFile } from '../../vm/template.js';
import { ProbeBuilder, preloadFiles } from '../../compile/probe-binaries.js';
import { startExecution } from '../start-execution.js';
import { redisTarget } from './redis-connection.js';
import { Runner } from './runner.js';

/**
 * `npm run runner -- --redis <url>`: a runner on this machine. It needs QEMU
 * (scripts/prepare.sh installs it), the guest image (built on first start) and
 * Redis; no inbound port. Settings as for the server: JAILLAB_ACCEL,
 * JAILLAB_POOL_SIZE, JAILLAB_VM_MEMORY_MIB, JAILLAB_CACHE_DIR;
 * --slots (default JAILLAB_MAX_RUNS) is how many runs and shells it takes at once;
 * --grace (default JAILLAB_RUNNER_GRACE_S, 100) is how long it may finish its
 * runs after SIGTERM before it gives back those not started and ends the rest:
 * set it some seconds under the time the supervisor waits before SIGKILL
 * (Kubernetes: terminationGracePeriodSeconds).
 * JAILLAB_DATA_DIR holds only `runner-alive`, touched each second while the
 * runner's process works: its startup and liveness probes (it has no port).
 */
const USAGE = 'usage: npm run runner -- --redis <redis://:password@host:port | unix:///path> [--slots N] [--name NAME] [--grace SECONDS]';
const DEFAULT_GRACE_S = 100;
const log = (line: string): void => console.log(line);

try {
  const { values } = parseArgs({ options: { redis: { type: 'string' }, slots: { type: 'string' }, name: { type: 'string' }, grace: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const config = loadConfig();
  const url = values.redis ?? config.redisUrl;
  if (!url) throw new Error(`where is Redis? ${USAGE}`);
  const target = redisTarget(url);
  const slots = values.slots === undefined ? config.maxConcurrentRuns : Number(values.slots);
  if (!Number.isInteger(slots) || slots < 1 || slots > 64) throw new Error(`--slots must be a whole number from 1 to 64 (got ${values.slots})`);
  const grace = Number(values.grace ?? process.env.JAILLAB_RUNNER_GRACE_S ?? DEFAULT_GRACE_S);
  if (!Number.isFinite(grace) || grace < 0) throw new Error(`--grace must be a number of seconds, 0 or more (got ${values.grace ?? process.env.JAILLAB_RUNNER_GRACE_S})`);
  const name = values.name ?? hostname();
  const id = `${name}-${process.pid}-${randomBytes(3).toString('hex')}`;

  await mkdir(config.dataDir, { recursive: true });
  await removeStaleRunDirs(config.runDir);
  const compiler = new CompileCache(join(config.cacheDir, 'compile-cache'));
  const probes = new ProbeBuilder(compiler);
  // The library from this checkout goes into the VM template, so runs stage its probes by name. A job whose
  // probes differ (the server has newer lessons) is still right: its binaries are compiled here and sent in full.
  let preload: PreloadFile[] = [];
  try {
    const catalog = await LessonCatalog.load(config.lessonsDir);
    preload = preloadFiles((await probes.library(catalog.library)).values());
  } catch (e) {
    log(`runner: no probe library to preload (${(e as Error).message.split('\n')[0]}); runs send their probes`);
  }
  const { executor, shells, pool } = await startExecution({ ...config, executor: 'local', maxConcurrentRuns: slots, poolSize: Math.max(config.poolSize, slots) }, { compiler, probes, preload, log });
  const runner = new Runner({ target, executor, shells, id, host: name, slots, aliveFile: join(config.dataDir, 'runner-alive'), log });
  await runner.start();
  console.log(`\n  JailLab runner ${id} is taking runs from ${target.label}: ${slots} at once, VMs on ${executor.capacity().accelerator}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('runner: stopping: finishing the runs it holds…');
    void (async () => {
      // Heartbeats go on until the runs it holds are done: the server must not take a draining runner for a lost one.
      await runner.drain(grace * 1000);
      await executor.close();
      await pool?.close();
      await rm(config.runDir, { recursive: true, force: true });
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error(`\nThe JailLab runner could not start: ${(e as Error).message}\n`);
  process.exit(1);
}
