import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentOf } from '../src/vm/jail/host-processes.js';

/**
 * A server as its own process (the real entry point, src/main.ts),
 * so its memory is measured alone and a QEMU it leaves behind is visible.
 */
const serverDir = fileURLToPath(new URL('..', import.meta.url)); // sandbox-server/

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  log: string[];
  stop(): Promise<number | null>;
}

export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  // setpriv: it dies with the test process, even one killed hard, instead of outliving it.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', process.execPath, '--import', 'tsx', 'src/main.ts'], { cwd: serverDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const onLine = (d: Buffer): void => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        log.push(line);
        const m = /JailLab is running at (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!);
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.once('exit', (code) => reject(new Error(`the server exited during start (${code}):\n${log.slice(-10).join('\n')}`)));
  });
  return {
    url,
    pid: child.pid!,
    child,
    log,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return kb / 1024;
}

/** QEMU processes started by server process `pid` (their sockets live in its run directory), alive or orphaned. */
export function qemuProcessesOf(pid: number): number[] {
  // A jailed QEMU's parent is bwrap's init in the VM's PID namespace, whose command line binds the
  // server's run directory: found by it even if the chain up to the server were broken.
  const marker = `/jaillab-${pid}/`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('qemu-system')) continue;
      const parent = parentOf(Number(entry));
      if (parent !== null && readFileSync(`/proc/${parent}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
