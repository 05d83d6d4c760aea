import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import type { Accelerator } from '@jaillab/protocol';
import { AgentChannel } from './agent-channel.js';
import { qemuArgs, type MachineSpec } from './qemu-args.js';
import { QmpClient } from './qmp.js';
import { connectWithRetry } from './unix-socket.js';

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

const TAIL_BYTES = 8192;

function appendTail(tail: string, chunk: Buffer): string {
  const s = tail + chunk.toString('utf8');
  return s.length > TAIL_BYTES ? s.slice(-TAIL_BYTES) : s;
}

/** One QEMU process: its machine protocol, its agent channel, and how it ended. */
export class QemuProcess {
  readonly exited: Promise<VmExit>;
  private readonly child: ChildProcess;
  private consoleTail = '';
  private stderrTail = '';
  private destroying = false;
  qmp: QmpClient | null = null;
  channel: AgentChannel | null = null;

  constructor(
    readonly id: string,
    readonly spec: MachineSpec,
    private readonly runDir: string,
  ) {
    // setpriv sets PR_SET_PDEATHSIG before it execs QEMU: should the server die without cleaning up (SIGKILL,
    // OOM killer, a crash), the kernel kills its VMs too instead of leaving orphans running a learner's code.
    this.child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'qemu-system-x86_64', ...qemuArgs(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.consoleTail = appendTail(this.consoleTail, d)));
    this.child.stderr?.on('data', (d: Buffer) => (this.stderrTail = appendTail(this.stderrTail, d)));
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.qmp?.close();
        this.channel?.close();
        resolve({ code, signal, expected: this.destroying, consoleTail: this.consoleTail, stderrTail: this.stderrTail });
      };
      this.child.once('exit', done);
      this.child.once('error', (e) => {
        this.stderrTail += `\n${e.message}`;
        done(null, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
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
    this.qmp = await Promise.race([QmpClient.connect(this.spec.qmpSocket, deadline), dead]);
    const socket = await Promise.race([connectWithRetry(() => createConnection(this.spec.agentSocket), deadline), dead]);
    this.channel = new AgentChannel(socket);
  }

  async destroy(): Promise<VmExit> {
    this.destroying = true;
    if (this.isAlive) this.child.kill('SIGKILL');
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
