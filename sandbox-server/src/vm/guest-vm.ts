import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Accelerator } from '@jaillab/protocol';
import { AgentChannel } from './agent-channel.js';
import type { VmExit } from './vm-backend.js';
import { killJail, qemuProcessesUnder } from './jail/host-processes.js';
import { recordQemuCpu } from './qemu-cpu.js';
import { type VmCgroup, vmCgroups } from './jail/vm-cgroup.js';
import { IN_VMM_ROOT, jailedQemu, signalFromExitCode, type VmmFiles, type VmmIdentity, vmmSpec } from './jail/vmm-jail.js';
import { qemuArgs, type MachineSpec } from './qemu-args.js';
import { QmpClient } from './qmp.js';
import { connectWithRetry } from './unix-socket.js';

const TAIL_BYTES = 8192;

function appendTail(tail: string, chunk: Buffer): string {
  const s = tail + chunk.toString('utf8');
  return s.length > TAIL_BYTES ? s.slice(-TAIL_BYTES) : s;
}

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** What a VM is: the machine (the same for a template and its clones) and whether it is the template. */
export interface VmMachine {
  accelerator: Accelerator;
  memoryMiB: number;
  role: MachineSpec['role'];
}

/** One QEMU process, in its jail (jail/vmm-jail.ts): its machine protocol, its agent channel, and how it ended. */
export class QemuProcess {
  readonly exited: Promise<VmExit>;
  readonly spec: MachineSpec;
  private readonly child: ChildProcess;
  private consoleTail = '';
  private stderrTail = '';
  private destroying = false;
  private qemuPid: number | undefined;
  qmp: QmpClient | null = null;
  channel: AgentChannel | null = null;

  static async start(id: string, machine: VmMachine, files: VmmFiles): Promise<QemuProcess> {
    const spec = vmmSpec(machine.accelerator, machine.memoryMiB, machine.role);
    const launch = await jailedQemu(id, spec, files, qemuArgs(spec), await vmCgroups());
    let fd3: number[];
    try {
      fd3 = launch.fd3 === null ? [] : [launch.fd3.fdForSpawn()];
    } catch (e) {
      await launch.cgroup?.remove();
      throw e;
    }
    // bwrap --die-with-parent: should the server die without cleaning up (SIGKILL, the OOM killer, a crash),
    // the kernel kills its VMs too instead of leaving orphans running a learner's code.
    const child = spawn(launch.command, launch.args, {
      stdio: ['ignore', 'pipe', 'pipe', ...fd3],
      env: { PATH: '/usr/bin:/bin' },
    });
    const vm = new QemuProcess(id, spec, files.runDir, child, launch.identity, launch.cgroup);
    void vm.exited.then(() => launch.cgroup?.remove());
    return vm;
  }

  private constructor(
    readonly id: string,
    spec: MachineSpec,
    private readonly runDir: string,
    child: ChildProcess,
    /** The uid and gid QEMU runs as (null: the server's own, when it is not root). */
    readonly identity: VmmIdentity | null,
    private readonly cgroup: VmCgroup | null,
  ) {
    this.spec = spec;
    this.child = child;
    this.child.stdout?.on('data', (d: Buffer) => (this.consoleTail = appendTail(this.consoleTail, d)));
    this.child.stderr?.on('data', (d: Buffer) => (this.stderrTail = appendTail(this.stderrTail, d)));
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.qmp?.close();
        this.channel?.close();
        const killed = signalFromExitCode(code);
        resolve({ code: killed === null ? code : null, signal: signal ?? (killed === null ? null : (signalNames.get(killed) ?? null)), expected: this.destroying, consoleTail: this.consoleTail, stderrTail: this.stderrTail });
      };
      this.child.once('exit', done);
      this.child.once('error', (e) => {
        this.stderrTail += `\n${e.message}`;
        done(null, null);
      });
    });
  }

  /** A file of this VM's run directory: where the server finds it, and where QEMU does. */
  hostPath(name: string): string {
    return join(this.runDir, name);
  }

  vmmPath(name: string): string {
    return `${IN_VMM_ROOT.run}/${name}`;
  }

  /** QEMU's own pid on the host (the process spawned is its jailer, two levels up). */
  get pid(): number | undefined {
    if (this.qemuPid === undefined && this.child.pid !== undefined && this.isAlive) this.qemuPid = qemuProcessesUnder(this.child.pid)[0];
    return this.qemuPid;
  }

  get accelerator(): Accelerator {
    return this.spec.accelerator;
  }

  get isAlive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Connects QMP and the agent channel, failing fast if QEMU dies first. */
  async attach(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const dead = this.exited.then((e) => {
      throw new Error(`QEMU exited while starting (${describeExit(e)})`);
    });
    this.qmp = await Promise.race([QmpClient.connect(this.hostPath('qmp.sock'), deadline), dead]);
    const socket = await Promise.race([connectWithRetry(() => createConnection(this.hostPath('agent.sock')), deadline), dead]);
    this.channel = new AgentChannel(socket);
    void this.pid; // found now, while the VM is being made ready, not when it is destroyed after a run
  }

  async destroy(): Promise<VmExit> {
    this.destroying = true;
    if (this.isAlive && this.child.pid !== undefined) {
      if (this.qemuPid !== undefined) recordQemuCpu(this.qemuPid); // before it goes (vm/qemu-cpu.ts)
      killJail(this.child.pid, this.cgroup?.pids() ?? []);
    }
    const exit = await this.exited;
    await rm(this.runDir, { recursive: true, force: true });
    return exit;
  }
}

export function describeExit(e: VmExit): string {
  const how = e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;
  const stderr = e.stderrTail.trim().split('\n').filter((l) => !/TCG doesn't support requested feature/.test(l)).slice(-3).join(' | ');
  return stderr ? `${how}: ${stderr}` : how;
}
