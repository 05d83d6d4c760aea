import { readdirSync, readFileSync } from 'node:fs';

/**
 * The host's process tree, read from /proc (this kernel may lack
 * /proc/<pid>/task/<pid>/children). A jailed QEMU is not the process the
 * server spawned but a grandchild of it (bwrap, bwrap's init in the VM's
 * PID namespace, then QEMU).
 */

export function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces or ')': the fields after the last ')' are fixed.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function commandOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

function livePids(): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
}

/** Whether `ancestor` is `pid` or one of its ancestors. */
export function descendsFrom(pid: number, ancestor: number): boolean {
  for (let p: number | null = pid, hops = 0; p !== null && p > 0 && hops < 64; p = parentOf(p), hops++) if (p === ancestor) return true;
  return false;
}

/** The QEMU processes at or under `root` (a jailed VM has exactly one). */
export function qemuProcessesUnder(root: number): number[] {
  const isOurs = (p: number): boolean => (commandOf(p)?.startsWith('qemu-system') ?? false) && descendsFrom(p, root);
  // Its descendants were born after it: look at the younger pids first (all of them, should pids have wrapped).
  const pids = livePids();
  const younger = pids.filter((p) => p > root && isOurs(p));
  return younger.length > 0 ? younger : pids.filter((p) => p <= root && isOurs(p));
}

/** Every process under `root` (not `root` itself). */
export function descendantsOf(root: number): number[] {
  return livePids().filter((p) => p !== root && descendsFrom(p, root));
}

/**
 * Kills a jailed VM whole: the jailer, bwrap's init in the VM's PID namespace (whose death takes the namespace
 * with it) and QEMU. bwrap's --die-with-parent has a window at start-up (a jailer killed before its child has
 * asked for the parent-death signal leaves the child running, seen here as a QEMU reparented to the host's
 * init), so nothing is left to it: the jailer is stopped first (a stopped process starts nothing more), then
 * everything found under it, or in the VM's cgroup, is killed, then the jailer.
 */
export function killJail(jailer: number, inCgroup: readonly number[]): void {
  const signal = (pid: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  };
  signal(jailer, 'SIGSTOP');
  // A VM's cgroup holds all of it (joined before the jailer ran): /proc is read only for a VM without one.
  const under = inCgroup.length > 0 ? inCgroup : descendantsOf(jailer);
  for (const p of under) if (p !== jailer) signal(p, 'SIGKILL');
  signal(jailer, 'SIGKILL');
}

/** Jailed VMs whose jailer binds a directory under `runDir` (a server's run directory): to find a dead server's orphans. */
export function jailsUnder(runDir: string): number[] {
  const marker = ` ${runDir}/`;
  return livePids().filter((p) => {
    if (commandOf(p) !== 'bwrap') return false;
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(marker);
    } catch {
      return false;
    }
  });
}
