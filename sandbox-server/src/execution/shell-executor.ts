import type { Accelerator, ShellCloseReason } from '@jaillab/protocol';
import type { ShellJob, TerminalSize } from './shell-job.js';

/**
 * The seam beside RunExecutor for interactive shells. A shell job goes in; a
 * byte stream comes out (the pty's output, to the sink, with backpressure) and
 * goes in (keystrokes, window sizes, through the handle); the signal cancels
 * it while it is being opened, `close()` once open. This process's VMs are one
 * implementation (execution/local/local-shell-executor.ts), runners behind
 * Redis the other (execution/remote/remote-shell-executor.ts). shell/ and ws/
 * see only this; how long a shell may idle, and how many there may be, is
 * shell/'s policy, not the executor's.
 */
export interface ShellSink {
  /** Progress while the shell is being prepared (compiling, waiting for a VM, which runner). */
  status(message: string): void;
  /**
   * What the pty printed. A promise back means "slow down": the executor stops reading the guest until it
   * settles, so a flood waits in the VM instead of in the server's memory (as a run's output does).
   */
  output(data: Buffer): Promise<void> | void;
  /** Once, when the shell is gone by itself (it exited, the VM or runner failed); not after the handle's close(). */
  ended(reason: Extract<ShellCloseReason, 'exited' | 'vm-fault' | 'server-stopping'>, message: string): void;
}

/** An open shell: what the learner types and how big the terminal is go in here. */
export interface OpenedShell {
  readonly accelerator: Accelerator;
  /** Where it runs, for logs and the status line: `local`, or the runner's host. */
  readonly where: string;
  input(data: Buffer): void;
  resize(size: TerminalSize): void;
  /** Ends the shell and frees its VM. The sink hears nothing more. */
  close(): void;
}

/** The learner's program did not compile: a shell without the jailer would teach nothing. */
export class ShellCompileError extends Error {}

export interface ShellExecutor {
  /** Resolves once the shell runs (its prompt may already be on its way to the sink); rejects if it could not start. */
  open(job: ShellJob, sink: ShellSink, signal: AbortSignal): Promise<OpenedShell>;
}
