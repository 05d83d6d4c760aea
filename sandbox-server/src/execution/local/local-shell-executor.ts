import type { CompileCache } from '../../compile/compile-cache.js';
import type { ProbeBuilder } from '../../compile/probe-binaries.js';
import { GuestShell, type ShellExit } from '../../vm/guest-shell.js';
import type { VmBackend } from '../../vm/vm-backend.js';
import { type OpenedShell, ShellCompileError, type ShellExecutor, type ShellSink } from '../shell-executor.js';
import type { ShellJob } from '../shell-job.js';
import { freshSecrets } from './verdict.js';
import { blankTimings, openSession } from './vm-session.js';

export interface LocalShellDeps {
  backend: VmBackend;
  compiler: CompileCache;
  probes: ProbeBuilder;
  log: (line: string) => void;
}

/**
 * Shells in this process's VMs: a fresh VM per shell, staged as a run's is
 * (vm-session.ts: the jail tree, the lesson's probes, the learner's compiled
 * program), then the agent's busybox shell in it with the world a check would
 * have (its secrets, plants, limits and groups) and every probe in /jail/bin.
 */
export class LocalShellExecutor implements ShellExecutor {
  constructor(private readonly deps: LocalShellDeps) {}

  async open(job: ShellJob, sink: ShellSink, signal: AbortSignal): Promise<OpenedShell> {
    sink.status('Compiling your program…');
    const compiled = await this.deps.compiler.get({ source: job.source, fileName: job.lesson.starterFileName }, { persist: false });
    if (!compiled.ok || !compiled.binary) throw new ShellCompileError(`Your program did not compile, so the shell has no jailer to offer:\n${compiled.text}`);
    const probes = await this.deps.probes.forJob(job);
    if (signal.aborted) throw new Error('cancelled');
    sink.status('Starting a fresh VM…');
    const timings = blankTimings();
    const { vm } = await openSession(job.lesson, probes, this.deps.backend, compiled.binary, signal, timings);
    const guest = new GuestShell(vm.channel);
    const checks = job.lesson.checks;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      void vm.destroy();
    };
    void guest
      .run(
        {
          probes: checks.map((c) => ({ path: `probes/${c.probe.id}`, name: c.probe.id })),
          ...freshSecrets(),
          plants: [...new Set(checks.flatMap((c) => c.probe.plant))],
          memoryBytes: job.lesson.limits.memoryBytes,
          processes: job.lesson.limits.processes,
          groups: job.lesson.supplementaryGroups,
          cols: job.cols,
          rows: job.rows,
        },
        (data) => (closed ? undefined : sink.output(data)),
      )
      .then((exit) => {
        if (closed) return;
        close();
        const end = howItEnded(exit);
        sink.ended(end.reason, end.message);
      });
    this.deps.log(`shell ${job.shellId}: VM ready (${vm.accelerator}), staged in ${Math.round(timings.stageLessonMs)} ms`);
    return {
      accelerator: vm.accelerator,
      where: 'local',
      input: (data) => guest.input(data),
      resize: ({ cols, rows }) => guest.resize(cols, rows),
      close,
    };
  }
}

/** How a shell that ended by itself reads to the learner. */
export function howItEnded(exit: ShellExit): { reason: 'exited' | 'vm-fault'; message: string } {
  if (exit.detail && exit.code === null) return { reason: 'vm-fault', message: `The shell stopped: ${exit.detail}.` };
  const status = exit.code !== null ? ` (status ${exit.code})` : exit.signal ? ` (signal ${exit.signal})` : '';
  return { reason: 'exited', message: `The shell exited${status}. Its VM is gone; open a new shell to start afresh.` };
}
