import type { CompileCache } from '../../compile/compile-cache.js';
import type { VmPool } from '../../vm/pool.js';
import type { ExecutorCapacity, RunExecutor, RunSink, SpareSlots } from '../run-executor.js';
import type { RunJob } from '../run-job.js';
import { executeRun } from './execute-run.js';
import type { ProbeBuilder } from '../../compile/probe-binaries.js';

/**
 * Runs in this process: the pool of QEMU VMs on this machine (vm/), the
 * compiler sandbox, the guest agent. The embedded default — nothing to
 * install — and what a remote runner uses on its own machine.
 */
export class LocalExecutor implements RunExecutor {
  constructor(
    private readonly deps: { pool: VmPool; compiler: CompileCache; probes: ProbeBuilder; slots: number; host: string; log: (line: string) => void },
  ) {}

  execute(job: RunJob, sink: RunSink, signal: AbortSignal, spare?: SpareSlots): Promise<void> {
    return executeRun(job, sink, signal, { backend: this.deps.pool, compiler: this.deps.compiler, probes: this.deps.probes, log: this.deps.log }, spare);
  }

  capacity(): ExecutorCapacity {
    const p = this.deps.pool.stats();
    return {
      accelerator: p.accelerator,
      slots: this.deps.slots,
      ready: p.ready,
      starting: p.starting,
      inUse: p.inUse,
      queued: 0,
      runners: [{ id: 'local', host: this.deps.host, accelerator: p.accelerator, slots: this.deps.slots, busy: p.inUse }],
    };
  }

  warm(extra: number): void {
    this.deps.pool.setExtraReady(extra);
  }

  async close(): Promise<void> {
    // The pool belongs to the server (shells use it too): it closes it.
  }
}
