import { randomBytes } from 'node:crypto';
import type { Accelerator, ShellCloseReason } from '@jaillab/protocol';
import type { OpenedShell, ShellExecutor } from '../execution/shell-executor.js';
import { shellJobFor, type TerminalSize } from '../execution/shell-job.js';
import type { Lesson } from '../lessons/lesson.js';
import type { ProbeLibrary } from '../lessons/probe-library.js';
import type { RunQueue } from '../runs/run-queue.js';

/** Every shell slot is taken: runs keep at least one VM slot of their own. */
export class ShellsBusyError extends Error {}

export interface ShellListener {
  /** The shell's output; a promise back means "slow down" (the browser is behind), as for a run's output. */
  output(data: Buffer): Promise<void> | void;
  /** Once, when the shell is gone for whatever reason; its VM is destroyed by then or about to be. */
  closed(reason: ShellCloseReason, message: string): void;
}

export interface ShellServiceDeps {
  /** Where shells run: this machine's VMs, or runners (execution/shell-executor.ts). */
  executor: ShellExecutor;
  /** The runs' queue: a shell holds a VM like a run does and waits its turn like one. */
  queue: RunQueue;
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

const minutes = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** One open shell: closed on exit, on request, when replaced, or when idle. */
export class OpenShell {
  private idleTimer: NodeJS.Timeout | null = null;
  private done = false;

  constructor(
    readonly learnerId: string,
    readonly idleTimeoutMs: number,
    private readonly opened: OpenedShell,
    private readonly listener: ShellListener,
    private readonly release: () => void,
  ) {
    this.touch();
  }

  get accelerator(): Accelerator {
    return this.opened.accelerator;
  }

  get isClosed(): boolean {
    return this.done;
  }

  input(data: string): void {
    this.touch();
    this.opened.input(Buffer.from(data, 'utf8'));
  }

  resize(cols: number, rows: number): void {
    this.opened.resize({ cols, rows });
  }

  close(reason: ShellCloseReason, message: string): void {
    if (!this.end(reason, message)) return;
    this.opened.close();
  }

  /** The executor says the shell is gone by itself: nothing to close, only to tell. */
  ended(reason: ShellCloseReason, message: string): void {
    this.end(reason, message);
  }

  private end(reason: ShellCloseReason, message: string): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.release();
    this.listener.closed(reason, message);
    return true;
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
 * Interactive shells, as policy: one per learner (opening another closes the
 * first), at most `maxShells` at once, each waiting its turn in the runs'
 * queue and closed when idle. Where a shell runs and how its bytes travel is
 * the executor's (execution/shell-executor.ts).
 */
export class ShellService {
  private readonly byLearner = new Map<string, OpenShell>();
  /** Shells being opened or open (a learner's own replaced shell does not count against them). */
  private active = 0;

  constructor(private readonly deps: ShellServiceDeps) {}

  async open(learnerId: string, lesson: Lesson, source: string, size: TerminalSize, listener: ShellListener, status: (message: string) => void, signal: AbortSignal): Promise<OpenShell> {
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

  private async openCounted(learnerId: string, lesson: Lesson, source: string, size: TerminalSize, listener: ShellListener, status: (message: string) => void, signal: AbortSignal): Promise<OpenShell> {
    // A shell is staged like a run of the lesson as it stands now (same jail tree, same probes).
    const job = shellJobFor({ shellId: `shell-${randomBytes(12).toString('hex')}`, learnerId, source, size }, lesson, this.deps.library().header);
    const release = await this.deps.queue.enter({
      owner: learnerId,
      signal,
      onPosition: (position) => status(`Every VM is busy: you are number ${position + 1} in the queue.`),
    });
    let shell: OpenShell | null = null;
    /** An end the executor reported before open() resolved (a shell that exited at once): told once the shell exists. */
    let endedEarly: { reason: ShellCloseReason; message: string } | null = null;
    let opened: OpenedShell;
    try {
      opened = await this.deps.executor.open(
        job,
        {
          status,
          output: (data) => listener.output(data),
          ended: (reason, message) => {
            if (!shell) return void (endedEarly = { reason, message });
            if (this.byLearner.get(learnerId) === shell) this.byLearner.delete(learnerId);
            shell.ended(reason, message);
          },
        },
        signal,
      );
    } catch (e) {
      release();
      throw e;
    }
    shell = new OpenShell(learnerId, this.deps.idleTimeoutMs, opened, listener, release);
    this.byLearner.get(learnerId)?.close('replaced', 'This shell was closed because you opened another one (one shell at a time).');
    this.byLearner.set(learnerId, shell);
    // Set by the sink's callback, which TypeScript cannot see run: read it through its declared type.
    const early = endedEarly as { reason: ShellCloseReason; message: string } | null;
    if (early) {
      this.byLearner.delete(learnerId);
      shell.ended(early.reason, early.message);
    }
    this.deps.log(`shell: ${job.shellId} opened for ${learnerId} in ${lesson.id} (${opened.where}, ${opened.accelerator})`);
    return shell;
  }

  /** Closes every shell (server shutdown). */
  closeAll(reason: ShellCloseReason, message: string): void {
    for (const s of this.byLearner.values()) s.close(reason, message);
    this.byLearner.clear();
  }
}
