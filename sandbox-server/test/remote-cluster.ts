import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RedisProcess, startRedis } from './redis-process.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/**
 * JailLab split over processes as over machines: a real redis-server (private
 * socket, password), runner processes with their own VM pools and data
 * directories, and a server in remote mode with no VMs at all. For the remote
 * tests, the e2e suite's remote project and the bench.
 */
const serverDir = fileURLToPath(new URL('..', import.meta.url)); // sandbox-server/

export interface RunnerProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  log: string[];
  /** SIGTERM: finishes what it holds, leaves the registry. */
  stop(): Promise<void>;
}

export interface RemoteCluster {
  redis: RedisProcess;
  server: ServerProcess;
  runners: RunnerProcess[];
  /** Another runner; `redisUrl` puts something between it and Redis (a proxy the test can cut), `args` go to runner-main. */
  startRunner(name: string, opts?: RunnerOptions): Promise<RunnerProcess>;
  /** Until /api/health lists exactly these runner names (after a start, a kill, a Redis restart). */
  waitForRunners(names: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface RunnerOptions {
  redisUrl?: string;
  args?: string[];
}

export interface ClusterOptions {
  runners: string[];
  slotsPerRunner?: number;
  serverEnv?: NodeJS.ProcessEnv;
  port?: number;
}

export async function startRemoteCluster(opts: ClusterOptions): Promise<RemoteCluster> {
  const redis = await startRedis();
  const dirs: string[] = [];
  const tempDir = async (label: string): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), `jaillab-${label}-`));
    dirs.push(d);
    return d;
  };
  const slots = opts.slotsPerRunner ?? 1;
  const runners: RunnerProcess[] = [];
  const startRunner = async (name: string, ropts: RunnerOptions = {}): Promise<RunnerProcess> => {
    const dataDir = await tempDir(`runner-${name}`);
    const env = { ...process.env, JAILLAB_DATA_DIR: dataDir, JAILLAB_POOL_SIZE: String(slots), JAILLAB_REDIS_PASSWORD: redis.password };
    // setpriv: it dies with the test process, even one killed hard (its VMs die with it in turn).
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', process.execPath, '--import', 'tsx', 'src/execution/remote/runner-main.ts', '--redis', ropts.redisUrl ?? redis.url, '--slots', String(slots), '--name', name, ...(ropts.args ?? [])], { cwd: serverDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const onLine = (d: Buffer): void => {
        for (const line of d.toString().split('\n').filter(Boolean)) {
          log.push(line);
          if (/JailLab runner \S+ is taking runs/.test(line)) resolve();
        }
      };
      child.stdout!.on('data', onLine);
      child.stderr!.on('data', onLine);
      child.once('exit', (code) => reject(new Error(`runner ${name} exited during start (${code}):\n${log.slice(-10).join('\n')}`)));
    });
    const runner: RunnerProcess = {
      name,
      pid: child.pid!,
      child,
      log,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          // A runner finishes the runs it holds first; one that takes longer than a check could is stuck.
          const force = setTimeout(() => {
            log.push('(did not stop within 20 s of SIGTERM: killed)');
            child.kill('SIGKILL');
          }, 20_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    };
    runners.push(runner);
    return runner;
  };

  try {
    await Promise.all(opts.runners.map((name) => startRunner(name)));
    const dataDir = await tempDir('remote-server');
    const server = await startServerProcess({
      ...process.env,
      JAILLAB_PORT: String(opts.port ?? 0),
      JAILLAB_DATA_DIR: dataDir,
      JAILLAB_EXECUTOR: 'remote',
      JAILLAB_REDIS_URL: redis.url,
      JAILLAB_REDIS_PASSWORD: redis.password,
      ...opts.serverEnv,
    });
    const waitForRunners = async (names: string[]): Promise<void> => {
      const want = [...names].sort().join(',');
      for (;;) {
        const health = (await (await fetch(`${server.url}/api/health`)).json()) as { capacity: { runners: Array<{ host: string }> } };
        if (health.capacity.runners.map((r) => r.host).sort().join(',') === want) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await waitForRunners(opts.runners);
    return {
      redis,
      server,
      runners,
      startRunner,
      waitForRunners,
      async stop() {
        await server.stop();
        await Promise.all(runners.map((r) => r.stop()));
        await redis.stop();
        await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
      },
    };
  } catch (e) {
    await Promise.all(runners.map((r) => r.stop()));
    await redis.stop();
    throw e;
  }
}
