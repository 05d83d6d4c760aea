import { randomBytes } from 'node:crypto';
import type { Accelerator, ShellCloseReason } from '@jaillab/protocol';
import type { CompileCache } from '../compile/compile-cache.js';
import type { Lesson } from '../lessons/lesson.js';
import type { ProbeBuilder } from '../compile/probe-binaries.js';
import { lessonFiles, programFile } from '../execution/local/staging.js';
import { jobFor } from '../execution/run-job.js';
import type { ProbeLibrary } from '../lessons/probe-library.js';
import type { RunQueue } from '../runs/run-queue.js';
import { GuestJob } from '../vm/guest-job.js';
import type { GuestVm, VmBackend } from '../vm/vm-backend.js';
import { GuestShell, type ShellExit } from './guest-shell.js';

export class ShellCompileError extends Error {}
/** Every shell slot is taken: runs keep at least one VM slot of their own. */
export class ShellsBusyError extends Error {}

export interface ShellListener {
  output(data: Buffer): void;
  /** Once, when the shell is gone for whatever reason; the VM is destroyed by then or about to be. */
  closed(reason: ShellCloseReason, message: string): void;
}

/** This server has no VMs of its own (runs go to remote runners): shells are not offered. */
export class ShellsUnavailableError extends Error {}

export interface ShellServiceDeps {
  /** This machine's VMs; null in remote mode. */
  backend: VmBackend | null;
  compiler: CompileCache;
  /** The runs' queue: a shell holds a VM like a run does and waits its turn like one. */
  queue: RunQueue;
  /** Compiles (or finds) the lesson's probes, as a run's would be. */
  probes: ProbeBuilder;
  /** The probe library as it is now: probe.h. */
  library: () => ProbeLibrary;
  idleTimeoutMs: number;
  /**
   * Shells open at once, server-wide. Shells wait in the runs' queue and hold a slot while
   * open (up to the idle timeout), so they may take at most all slots but one: Run always
   * has a VM slot that no idle shell can hold.
   */
  maxShells: number;
  log: (line: string) => void;
}

const fresh = (prefix: string): string => `${prefix}-${randomBytes(12).toString('hex')}`;
const minutes = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** One open shell: a VM of its own, closed on exit, on request, when replaced, or when idle. */
export class OpenShell {
  private idleTimer: NodeJS.Timeout | null = null;
  private done = false;

  constructor(
    readonly learnerId: string,
    readonly accelerator: Accelerator,
    readonly idleTimeoutMs: number,
    private readonly vm: GuestVm,
    private readonly guest: GuestShell,
    private readonly listener: ShellListener,
    private readonly release: () => void,
  ) {
    this.touch();
  }

  get isClosed(): boolean {
    return this.done;
  }

  input(data: string): void {
    this.touch();
    this.guest.input(Buffer.from(data, 'utf8'));
  }

  resize(cols: number, rows: number): void {
    this.guest.resize(cols, rows);
  }

  /** Backpressure from the browser: stop reading the guest while its output is not being taken. */
  pause(): void {
    this.guest.pause();
  }

  resume(): void {
    this.guest.resume();
  }

  close(reason: ShellCloseReason, message: string): void {
    if (this.done) return;
    this.done = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.release();
    void this.vm.destroy();
    this.listener.closed(reason, message);
  }

  /** Called by the service when the guest's shell has ended by itself. */
  ended(exit: ShellExit): void {
    if (exit.detail && exit.code === null) this.close('vm-fault', `The shell stopped: ${exit.detail}.`);
    else this.close('exited', `The shell exited${exit.code !== null ? ` (status ${exit.code})` : exit.signal ? ` (signal ${exit.signal})` : ''}. Its VM is gone; open a new shell to start afresh.`);
  }

  private touch(): void {
    if (this.done) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => this.close('idle', `The shell was closed after ${minutes(this.idleTimeoutMs)} without input, to free its VM. Open a new one any time.`),
      this.idleTimeoutMs,
    );
    this.idleTimer.unref();
  }
}

/**
 * Interactive shells: a fresh VM per shell, staged like a run (jail tree,
 * probes, the learner's compiled program, a canary), then a busybox shell in
 * it. One shell per learner: opening another closes the first.
 */
export class ShellService {
  private readonly byLearner = new Map<string, OpenShell>();
  /** Shells being opened or open (a learner's own replaced shell does not count against them). */
  private active = 0;

  constructor(private readonly deps: ShellServiceDeps) {}

  async open(learnerId: string, lesson: Lesson, source: string, size: { cols: number; rows: number }, listener: ShellListener, status: (message: string) => void, signal: AbortSignal): Promise<OpenShell> {
    if (!this.deps.backend)
      throw new ShellsUnavailableError('Shells need a VM on this server, and this server sends runs to remote runners: no shell here. Run still works.');
    const own = this.byLearner.get(learnerId);
    if (this.active - (own ? 1 : 0) >= this.deps.maxShells)
      throw new ShellsBusyError(`All ${this.deps.maxShells} shell${this.deps.maxShells === 1 ? ' is' : 's are'} in use (runs keep a VM of their own). Try again in a few minutes; idle shells close by themselves.`);
    this.active++;
    let counted = true;
    const uncount = (): void => {
      if (counted) this.active--;
      counted = false;
    };
    try {
      return await this.openCounted(learnerId, lesson, source, size, { ...listener, closed: (r, m) => (uncount(), listener.closed(r, m)) }, status, signal);
    } catch (e) {
      uncount();
      throw e;
    }
  }

  private async openCounted(learnerId: string, lesson: Lesson, source: string, size: { cols: number; rows: number }, listener: ShellListener, status: (message: string) => void, signal: AbortSignal): Promise<OpenShell> {
    status('Compiling your program…');
    const compiled = await this.deps.compiler.get({ source, fileName: lesson.starterFileName }, { persist: false });
    if (!compiled.ok || !compiled.binary) throw new ShellCompileError(`Your program did not compile, so the shell has no jailer to offer:\n${compiled.text}`);
    // A shell is staged like a run of the lesson as it stands now (same jail tree, same probes).
    const job = jobFor({ id: 'shell', learnerId, source, solutionShown: false }, lesson, lesson.checks, this.deps.library().header);
    const probes = await this.deps.probes.forJob(job);
    const release = await this.deps.queue.enter({
      owner: learnerId,
      signal: signal,
      onPosition: (position) => status(`Every VM is busy: you are number ${position + 1} in the queue.`),
    });
    let vm: GuestVm | null = null;
    try {
      status('Starting a fresh VM…');
      vm = await this.deps.backend!.acquire(signal);
      if (signal.aborted) throw new Error('cancelled');
      const guestJob = new GuestJob(vm);
      await guestJob.begin();
      guestJob.stage(lessonFiles(job.lesson, probes, vm.preloaded));
      guestJob.stage([programFile(compiled.binary)]);
      const guest = new GuestShell(vm.channel);
      const shell = new OpenShell(learnerId, vm.accelerator, this.deps.idleTimeoutMs, vm, guest, listener, release);
      this.byLearner.get(learnerId)?.close('replaced', 'This shell was closed because you opened another one (one shell at a time).');
      this.byLearner.set(learnerId, shell);
      const plants = lesson.checks.flatMap((c) => c.probe.meta.plant);
      const world = {
        probes: lesson.checks.map((c) => ({ path: `probes/${c.probe.id}`, name: c.probe.id })),
        secret: fresh('SECRET'),
        nonce: fresh('nonce'),
        token: fresh('ticket'),
        plants: [...new Set(plants)],
        memoryBytes: lesson.limits.memoryBytes,
        processes: lesson.limits.processes,
        groups: lesson.supplementaryGroups,
        ...size,
      };
      this.deps.log(`shell: opened for ${learnerId} in ${lesson.id} (${vm.accelerator})`);
      void guest.run(world, (data) => listener.output(data)).then((exit) => {
        if (this.byLearner.get(learnerId) === shell) this.byLearner.delete(learnerId);
        shell.ended(exit);
      });
      return shell;
    } catch (e) {
      release();
      if (vm) void vm.destroy();
      throw e;
    }
  }

  /** Closes every shell (server shutdown). */
  closeAll(reason: ShellCloseReason, message: string): void {
    for (const s of this.byLearner.values()) s.close(reason, message);
    this.byLearner.clear();
  }
}
