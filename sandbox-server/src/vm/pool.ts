import { randomBytes } from 'node:crypto';
import type { Accelerator } from '@jaillab/protocol';
import type { GuestImage } from '../../guest/image/build-image.js';
import { type AcceleratorChoice, acceleratorsToTry, type KvmProbe, probeKvm } from './accelerator.js';
import type { AgentChannel } from './agent-channel.js';
import { startClone } from './clone.js';
import { isKvmFault } from './kvm-fault.js';
import { touchInUse } from '../cache/prune.js';
import type { QemuProcess } from './guest-vm.js';
import { vmCgroups } from './jail/vm-cgroup.js';
import { discardTemplate, ensureTemplate, type PreloadFile, releaseTemplate, type VmTemplate } from './template.js';
import type { GuestVm, VmBackend, VmBackendStats, VmExit } from './vm-backend.js';

export interface PoolOptions {
  image: GuestImage;
  accelerator: AcceleratorChoice;
  /** How many paused, ready VMs to keep. */
  size: number;
  memoryMiB: number;
  cacheDir: string;
  runDir: string;
  log: (line: string) => void;
  /** Whether KVM looks usable; the real probe unless a test wants a KVM boot tried (and failing) on a host without it. */
  kvmProbe?: KvmProbe;
  /** Checks the guest image again (and rebuilds it if it is missing or damaged): called when no VM will start. */
  refreshImage?: () => Promise<GuestImage>;
  /** Binaries every run may need (the probe library), kept in the template so runs need not send them. */
  preload?: PreloadFile[];
}

class PooledVm implements GuestVm {
  constructor(
    private readonly process: QemuProcess,
    readonly preloaded: ReadonlySet<string>,
  ) {}
  get id(): string {
    return this.process.id;
  }
  get accelerator(): Accelerator {
    return this.process.accelerator;
  }
  get channel(): AgentChannel {
    return this.process.channel!;
  }
  get exited(): Promise<VmExit> {
    return this.process.exited;
  }
  get pid(): number | undefined {
    return this.process.pid;
  }
  destroy(): Promise<VmExit> {
    return this.process.destroy();
  }
}

/**
 * Keeps `size` VMs restored from the template and paused, so a run never waits
 * for a boot. Every VM serves one run and is destroyed; the pool refills in the
 * background.
 */
export class VmPool implements VmBackend {
  private template: VmTemplate | null = null;
  private readonly ready: QemuProcess[] = [];
  /** Which template each VM was cloned from: a VM stages by what its own template holds. */
  private readonly templateOf = new WeakMap<QemuProcess, VmTemplate>();
  private readonly waiters: Array<{ resolve: (vm: QemuProcess) => void; reject: (e: Error) => void }> = [];
  private starting = 0;
  private inUse = 0;
  private created = 0;
  private failed = 0;
  private consecutiveFailures = 0;
  private startedAt = 0;
  private firstReadyMs: number | null = null;
  private closed = false;
  private rebuilding: Promise<void> | null = null;
  private readonly live = new Set<QemuProcess>();
  private stopTouching: (() => void) | null = null;
  /** VMs kept ready beyond the configured size (a workshop's room). */
  private extraReady = 0;
  private image: GuestImage;

  constructor(private readonly o: PoolOptions) {
    this.image = o.image;
  }

  async start(): Promise<void> {
    this.startedAt = Date.now();
    const candidates = acceleratorsToTry(this.o.accelerator, this.o.kvmProbe ?? probeKvm());
    for (const [i, accelerator] of candidates.entries()) {
      try {
        this.template = await this.makeTemplate(accelerator);
        break;
      } catch (e) {
        if (i === candidates.length - 1) throw e;
        this.o.log(`vm: a test boot with ${accelerator} failed (${(e as Error).message}); falling back to ${candidates[i + 1]}`);
      }
    }
    this.o.log(`vm: accelerator ${this.template!.accelerator}; keeping ${this.o.size} VMs ready`);
    const cgroups = await vmCgroups();
    this.o.log(
      `vm: each QEMU runs ${process.getuid?.() === 0 ? 'as a uid of its own' : "as this server's uid (not root)"}, without capabilities, in namespaces and a root of its own, ` +
        (cgroups.available ? 'in a cgroup of its own' : `without a cgroup of its own (${cgroups.reason})`),
    );
    // Tell cache pruning (another server's, a rebuild's) that this image and template are in use.
    this.stopTouching = touchInUse(() => [this.image.dir, ...(this.template ? [this.template.dir] : [])]);
    this.fill();
  }

  async acquire(signal?: AbortSignal): Promise<GuestVm> {
    if (this.closed) throw new Error('the VM pool is shut down');
    const cancelled = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
    if (signal?.aborted) throw cancelled();
    let vm = this.ready.shift();
    if (!vm) {
      vm = await new Promise<QemuProcess>((resolve, reject) => {
        // The abort listener goes once the waiter is settled either way: a long-lived signal (a run's) must not
        // collect one listener per VM it ever waited for.
        const onAbort = (): void => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(cancelled());
        };
        const waiter = {
          resolve: (v: QemuProcess) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(v);
          },
          reject: (e: Error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(e);
          },
        };
        this.waiters.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
        // A waiter counts towards the VMs to start: if nothing is starting (after failures), this starts one.
        this.fill();
      });
    }
    this.fill();
    this.inUse++;
    void vm.exited.then(() => this.inUse--);
    try {
      await vm.qmp!.execute('cont');
    } catch (e) {
      await vm.destroy();
      throw e;
    }
    return new PooledVm(vm, this.templateOf.get(vm)?.preloaded ?? new Set());
  }

  async reportFault(vm: GuestVm, exit: VmExit): Promise<boolean> {
    if (vm.accelerator !== 'kvm' || !isKvmFault(exit)) return false;
    if (this.template?.accelerator === 'tcg') return true;
    this.o.log('vm: KVM faulted under a run; switching to TCG for all runs from now on');
    await this.replaceTemplate(() => this.makeTemplate('tcg'));
    return true;
  }

  stats(): VmBackendStats {
    return {
      accelerator: this.template?.accelerator ?? null,
      ready: this.ready.length,
      starting: this.starting,
      inUse: this.inUse,
      created: this.created,
      failed: this.failed,
      firstReadyMs: this.firstReadyMs,
    };
  }

  /**
   * Keep `n` more VMs ready than configured (a workshop's members online). Going down, the ready VMs beyond the
   * new target are stopped (newest first: the oldest have waited longest and are as good), so an emptied room gives
   * its memory back; VMs serving runs are never touched.
   */
  setExtraReady(n: number): void {
    this.extraReady = Math.max(0, n);
    const surplus = this.ready.length - (this.o.size + this.extraReady + this.waiters.length);
    // Out of `ready` first, so their exit does not refill.
    for (const vm of surplus > 0 ? this.ready.splice(this.ready.length - surplus, surplus) : []) void vm.destroy();
    this.fill();
  }

  /** PIDs of every QEMU this pool owns (for tests and the soak's leak check). */
  qemuPids(): number[] {
    return [...this.live].map((p) => p.pid).filter((p): p is number => p !== undefined);
  }

  /** The template clones start from (for tests that start a VM by hand). */
  templateForTests(): VmTemplate | null {
    return this.template;
  }

  /** The RAM file of the template clones start from (for tests: it must be the server's alone). */
  templateRamPath(): string | null {
    return this.template?.ramPath ?? null;
  }

  /** PIDs of the QEMU processes serving a run right now (for fault tests, which kill one from outside). */
  busyQemuPids(): number[] {
    return [...this.live].filter((p) => !this.ready.includes(p)).map((p) => p.pid).filter((p): p is number => p !== undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopTouching?.();
    for (const w of this.waiters.splice(0)) w.reject(new Error('the VM pool is shut down'));
    await Promise.all([...this.live].map((vm) => vm.destroy()));
    if (this.template) releaseTemplate(this.template);
  }

  private makeTemplate(accelerator: Accelerator): Promise<VmTemplate> {
    return ensureTemplate({ image: this.image, accelerator, memoryMiB: this.o.memoryMiB, cacheDir: this.o.cacheDir, runDir: this.o.runDir, log: this.o.log, preload: this.o.preload ?? [] });
  }

  private async replaceTemplate(make: () => Promise<VmTemplate>): Promise<void> {
    this.rebuilding ??= (async () => {
      try {
        const old = this.template;
        this.template = await make();
        if (old) releaseTemplate(old);
        for (const vm of this.ready.splice(0)) void vm.destroy();
      } finally {
        this.rebuilding = null;
      }
    })();
    await this.rebuilding;
    this.fill();
  }

  private fill(): void {
    while (!this.closed && !this.rebuilding && this.template && this.ready.length + this.starting < this.o.size + this.extraReady + this.waiters.length) {
      this.startOne(this.template);
    }
  }

  private startOne(template: VmTemplate): void {
    this.starting++;
    const id = `vm-${randomBytes(4).toString('hex')}`;
    startClone(template, this.o.runDir, id).then(
      (vm) => {
        this.starting--;
        this.created++;
        this.consecutiveFailures = 0;
        this.live.add(vm);
        this.templateOf.set(vm, template);
        void vm.exited.then(() => {
          this.live.delete(vm);
          const i = this.ready.indexOf(vm);
          if (i >= 0) {
            this.ready.splice(i, 1);
            this.fill();
          }
        });
        if (this.closed || template !== this.template) {
          void vm.destroy();
          return;
        }
        this.firstReadyMs ??= Date.now() - this.startedAt;
        const waiter = this.waiters.shift();
        if (waiter) waiter.resolve(vm);
        else this.ready.push(vm);
        this.fill();
      },
      (e: Error) => {
        this.starting--;
        this.failed++;
        this.consecutiveFailures++;
        if (this.closed) return;
        this.o.log(`vm: starting a VM failed: ${e.message}`);
        if (this.consecutiveFailures >= 3) {
          // The template itself is suspect (damaged files): boot a new one.
          this.consecutiveFailures = 0;
          const accelerator = template.accelerator;
          void this.replaceTemplate(async () => {
            await discardTemplate(template);
            // The image itself may be gone or damaged (a cache cleaned under a running server): check, rebuild.
            if (this.o.refreshImage) this.image = await this.o.refreshImage();
            return await this.makeTemplate(accelerator);
          }).catch((err: Error) => {
            this.o.log(`vm: rebuilding the template failed: ${err.message}`);
            for (const w of this.waiters.splice(0)) w.reject(new Error(`no VM can be started: ${err.message}`));
          });
        } else {
          setTimeout(() => this.fill(), 200 * this.consecutiveFailures);
        }
      },
    );
  }
}
