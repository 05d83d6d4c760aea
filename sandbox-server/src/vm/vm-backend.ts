import type { Accelerator } from '@jaillab/protocol';
import type { AgentChannel } from './agent-channel.js';

/**
 * The one small interface between runs and virtual machines, implemented by
 * the QEMU snapshot pool. Runs on other machines do not come through here:
 * they go through the RunExecutor seam to runners, which have pools of their
 * own.
 */

/** A fresh guest with a ready agent, used by exactly one run and then destroyed. */
export interface GuestVm {
  readonly id: string;
  readonly accelerator: Accelerator;
  readonly channel: AgentChannel;
  /** Binaries (by sha256) the VM's template already holds: staged by name, not sent (probes, accomplices). */
  readonly preloaded: ReadonlySet<string>;
  /** Resolves when the VM is gone, for whatever reason. */
  readonly exited: Promise<VmExit>;
  /** Its QEMU's pid on this host, while it runs (for tests and the soak's leak check). */
  readonly pid: number | undefined;
  destroy(): Promise<VmExit>;
}

export interface VmBackendStats {
  accelerator: Accelerator | null;
  ready: number;
  starting: number;
  inUse: number;
  created: number;
  failed: number;
  /** Milliseconds from start() to the first ready VM. */
  firstReadyMs: number | null;
}

export interface VmBackend {
  start(): Promise<void>;
  /** Resolves with a never-used VM, waiting for one if none is ready. */
  acquire(signal?: AbortSignal): Promise<GuestVm>;
  /**
   * A VM died under a run for a reason that may be the host's (a KVM fault).
   * Returns true if the back end changed something (e.g. fell back to TCG), so
   * a retry can succeed where the first attempt failed.
   */
  reportFault(vm: GuestVm, exit: VmExit): Promise<boolean>;
  stats(): VmBackendStats;
  close(): Promise<void>;
}

/** Why a VM's QEMU process ended, for the learner (and the log). */
export interface VmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whether we asked for it (destroy) or it happened to us. */
  expected: boolean;
  /** The end of the guest console and of QEMU's stderr, to explain a crash. */
  consoleTail: string;
  stderrTail: string;
}
