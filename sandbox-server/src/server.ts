import { removeStaleRunDirs } from './vm/stale-run-dirs.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { MAX_TEXT_MESSAGE_BYTES } from '@jaillab/protocol';
import { WebSocketServer } from 'ws';
import { CompileCache } from './compile/compile-cache.js';
import type { Config } from './config/config.js';
import { handleApi } from './http/api-routes.js';
import { setSecurityHeaders } from './http/security-headers.js';
import { serveStatic } from './http/static-files.js';
import { LessonCatalog } from './lessons/lesson-catalog.js';
import { ProbeBuilder, preloadFiles } from './compile/probe-binaries.js';
import type { RunExecutor } from './execution/run-executor.js';
import { RunQueue } from './runs/run-queue.js';
import { RunService } from './runs/run-service.js';
import { Store } from './store/store.js';
import { ShellService } from './shell/shell-service.js';
import { shellIdleTimeoutMs } from './shell/shell-config.js';
import type { VmPool } from './vm/pool.js';
import { startExecution } from './execution/start-execution.js';
import type { PreloadFile } from './vm/template.js';
import { WorkshopService } from './workshops/workshop-service.js';
import { RoomAttacks } from './attacks/room-attacks.js';
import { ProbeAuthoring } from './authoring/probe-authoring.js';
import { BreakItRounds } from './rounds/break-it-rounds.js';
import { SocketSession } from './ws/session.js';
import { SocketGate } from './ws/socket-gate.js';
import { RunRateLimits } from './ws/run-rate-limits.js';
import { loadInstructorToken } from './config/instructor-token.js';
import { prepareDataDir } from './config/data-dir.js';
import { loadServerSecret } from './config/server-secret.js';
import { HostAllowList } from './http/host-allow-list.js';
import { DoorPasses } from './ws/door-pass.js';
import { IdentityLimits } from './ws/identity-limits.js';

/** A learner with no code, run or membership is forgotten this long after they were last seen. */
const EMPTY_LEARNER_TTL_MS = 24 * 3600_000;
const PRUNE_INTERVAL_MS = 3600_000;

/**
 * The JailLab server, assembled: store, guest image, lessons, probes, VM pool,
 * runs, and the HTTP + WebSocket front door. Tests build one with their own
 * config; main.ts builds the real one.
 */
export interface App {
  url: string;
  config: Config;
  catalog: LessonCatalog;
  runs: RunService;
  /** Where runs execute: this machine's VMs, or remote runners. */
  executor: RunExecutor;
  /** This machine's VMs (null in remote mode: the runners have them). */
  pool: VmPool | null;
  /** What the pool's VM template holds besides the guest image (the probe library at start-up). */
  preload: PreloadFile[];
  workshops: WorkshopService;
  store: Store;
  http: Server;
  close(): Promise<void>;
}

export async function createApp(config: Config, log: (line: string) => void = console.log): Promise<App> {
  prepareDataDir(config.dataDir);
  const store = new Store(config.dataDir);
  const interrupted = store.markUnfinishedRunsInterrupted();
  if (interrupted) log(`store: ${interrupted} run(s) were cut off by the last shutdown; marked interrupted`);
  const stale = await removeStaleRunDirs(config.runDir);
  if (stale.length) log(`vm: removed ${stale.length} run director${stale.length === 1 ? 'y' : 'ies'} left by servers that died (${stale.join(', ')})`);
  const compiler = new CompileCache(join(config.cacheDir, 'compile-cache'));
  const catalog = await LessonCatalog.load(config.lessonsDir);
  // The probes first: a probe that does not compile is a content error, and the VM template preloads them.
  const probeBuilder = new ProbeBuilder(compiler);
  let probes: Awaited<ReturnType<ProbeBuilder['library']>>;
  try {
    probes = await probeBuilder.library(catalog.library);
  } catch (e) {
    store.close();
    throw e;
  }
  const preload = preloadFiles(probes.values());
  let execution: Awaited<ReturnType<typeof startExecution>>;
  try {
    execution = await startExecution(config, { compiler, probes: probeBuilder, preload, log });
  } catch (e) {
    store.close();
    throw e;
  }
  const { executor, pool } = execution;
  // Runs and interactive shells share one queue: each holds a VM while it lasts.
  const queue = new RunQueue(execution.queueSlots, config.queuePolicy);
  const secret = loadServerSecret(config.dataDir);
  const workshops = new WorkshopService({
    store,
    secret,
    catalog,
    log,
    capacity: {
      stats: () => {
        const c = executor.capacity();
        return { accelerator: c.accelerator, ready: c.ready, starting: c.starting, inUse: c.inUse, queued: queue.length + c.queued, slots: c.slots, runners: c.runners };
      },
      // A room gets a VM ready per student connected (up to a bound): a class pressing Run together finds them
      // restored. The pool keeps VMs beyond a lowered target until they are used (vm/pool.ts setExtraReady).
      warmFor: (students) => executor.warm(Math.min(students, config.roomReadyMax)),
    },
  });
  const runs = new RunService({
    executor,
    store,
    queue,
    probes: probeBuilder,
    library: () => catalog.library,
    course: () => catalog.lessons.map((l) => ({ id: l.id, title: l.meta.title })),
    log,
    onFinished: (run) => workshops.runFinished(run.learnerId),
  });
  // Room attacks: after a restart, a fired probe's runs that were still going are gone; say so in their cells.
  const cutOff = workshops.attacks.markPendingInterrupted();
  if (cutOff) log(`workshops: ${cutOff} fired-probe run(s) were cut off by the last shutdown`);
  const attacks = new RoomAttacks({ attacks: workshops.attacks, workshops, runs, catalog, store, log });
  const authoring = new ProbeAuthoring({ catalog, probes: probeBuilder, runs, log });
  const shotsCutOff = workshops.rounds.markPendingInterrupted();
  if (shotsCutOff) log(`workshops: ${shotsCutOff} break-it shot(s) were cut off by the last shutdown`);
  const rounds = new BreakItRounds({ workshops, runs, catalog, store, log });
  const shells = new ShellService({ executor: execution.shells, queue, library: () => catalog.library, idleTimeoutMs: shellIdleTimeoutMs(), maxShells: Math.max(1, config.maxConcurrentRuns - 1), log });
  const instructorToken = await loadInstructorToken(config);
  // An author's edit under lessons/ shows at the next page load; changed probes are compiled first, so a
  // probe that no longer compiles is reported (and the course keeps its last good state).
  const stopWatchingLessons = catalog.watch(log, async (course) => {
    await probeBuilder.library(course.library);
  });

  // Learners who never wrote or ran anything are forgotten after a day; a loop of hellos cannot grow the database.
  const pruneLearners = (): void => {
    const n = store.pruneEmptyLearners(new Date(Date.now() - EMPTY_LEARNER_TTL_MS));
    if (n) log(`store: forgot ${n} learner(s) who left nothing behind`);
  };
  pruneLearners();
  const pruner = setInterval(pruneLearners, PRUNE_INTERVAL_MS);
  pruner.unref();

  let hosts: HostAllowList | null = null;
  const http = createServer((req, res) => {
    setSecurityHeaders(res);
    if (!hosts?.allows(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('this server does not answer to that host name (JAILLAB_ALLOWED_HOSTS)\n');
      return;
    }
    try {
      if (!handleApi({ catalog, executor }, req, res)) void serveStatic(config.webDir, req, res).catch(() => res.destroy());
    } catch (e) {
      log(`http: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  const gate = new SocketGate(config.allowedOrigins);
  const runLimits = new RunRateLimits();
  const identityLimits = new IdentityLimits(config.identityBudgets);
  const doorPasses = new DoorPasses(secret);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_TEXT_MESSAGE_BYTES });
  http.on('upgrade', (req, socket, head) => {
    // A member's or an instructor's pass puts the socket on their count before the address's is looked at.
    const claim = doorPasses.claimOf(req);
    const refusal = !hosts?.allows(req.headers.host) ? 'unknown host name' : new URL(req.url ?? '/', 'http://x').pathname === '/ws' ? gate.check(req, claim) : 'not found';
    if (refusal) {
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n${refusal}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const ticket = gate.opened(req, claim, () => ws.close(1008, 'idle: its place went to a new connection'));
      ws.once('close', () => ticket.release());
      new SocketSession(ws, { store, runs, catalog, executor, instructorToken, shells, runLimits, workshops, attacks, authoring, rounds, identityLimits, doorPasses, log }, req.socket.remoteAddress ?? '?', ticket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  hosts = new HostAllowList({ listenHost: config.host, port, allowedOrigins: config.allowedOrigins, allowedHosts: config.allowedHosts });
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopWatchingLessons();
      clearInterval(pruner);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
      shells.closeAll('server-stopping', 'The server is stopping.');
      workshops.close();
      rounds.close();
      await runs.shutdown();
      await executor.close();
      await pool?.close();
      store.close();
      await rm(config.runDir, { recursive: true, force: true });
    })());
  return { url, config, catalog, runs, executor, pool, preload, workshops, store, http, close };
}
