import { hostname } from 'node:os';
import { ensureGuestImage } from '../../guest/image/build-image.js';
import type { CompileCache } from '../compile/compile-cache.js';
import type { Config } from '../config/config.js';
import { VmPool } from '../vm/pool.js';
import type { PreloadFile } from '../vm/template.js';
import { LocalExecutor } from './local/local-executor.js';
import type { ProbeBuilder } from '../compile/probe-binaries.js';
import { RemoteExecutor } from './remote/remote-executor.js';
import { redisTarget, RedisConfigError } from './remote/redis-connection.js';
import type { RunExecutor } from './run-executor.js';
import type { ShellExecutor } from './shell-executor.js';
import { LocalShellExecutor } from './local/local-shell-executor.js';

export interface Execution {
  executor: RunExecutor;
  /** Where interactive shells run: the same place as runs. */
  shells: ShellExecutor;
  /** This machine's VMs (local mode); null when runs and shells go to runners. */
  pool: VmPool | null;
  /** Runs (and shells) at once that the server's own queue lets through to the executor. */
  queueSlots: number;
}

/**
 * Where runs execute, as configured. local: a VM pool in this process, its
 * template holding the probe library (`preload`), at most maxConcurrentRuns
 * at once. remote: jobs on Redis for runner processes; the server keeps no VMs,
 * and its own queue lets every run (and shell) through, because waiting
 * happens in the job queue, where runners (and an autoscaler) see it. Shells
 * go wherever runs go.
 */
export async function startExecution(config: Config, deps: { compiler: CompileCache; probes: ProbeBuilder; preload: PreloadFile[]; log: (line: string) => void }): Promise<Execution> {
  if (config.executor === 'remote') {
    if (!config.redisUrl) throw new RedisConfigError('JAILLAB_EXECUTOR=remote needs JAILLAB_REDIS_URL: where the run queue is');
    const executor = await RemoteExecutor.connect(redisTarget(config.redisUrl), deps.log);
    return { executor, shells: executor.shellExecutor(), pool: null, queueSlots: Number.MAX_SAFE_INTEGER };
  }
  const { log } = deps;
  const image = await ensureGuestImage(config.cacheDir, log);
  const pool = new VmPool({
    image,
    accelerator: config.accelerator,
    size: config.poolSize,
    memoryMiB: config.vmMemoryMiB,
    cacheDir: config.cacheDir,
    runDir: config.runDir,
    log,
    refreshImage: () => ensureGuestImage(config.cacheDir, log),
    preload: deps.preload,
  });
  try {
    await pool.start();
  } catch (e) {
    await pool.close();
    throw e;
  }
  const executor = new LocalExecutor({ pool, compiler: deps.compiler, probes: deps.probes, slots: config.maxConcurrentRuns, host: hostname(), log });
  const shells = new LocalShellExecutor({ backend: pool, compiler: deps.compiler, probes: deps.probes, log });
  return { executor, shells, pool, queueSlots: config.maxConcurrentRuns };
}
