import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A cgroup of its own for each VM's QEMU, with memory, CPU and process
 * limits: -m bounds the guest's RAM, not what QEMU itself allocates (TCG's
 * translation cache, device buffers), and one VM must not starve the others
 * or the server. cgroup v2 and the v1 hierarchies (this project's CI hosts
 * still mount v1) are both handled. Creating cgroups needs root or a
 * delegated subtree; without either the VMs run without one, and the server
 * says so once (docs/security.md).
 */
export interface VmResourceLimits {
  memoryBytes: number;
  /** CPUs' worth of time per period (1 = one core). */
  cpus: number;
  pids: number;
}

export interface VmCgroup {
  /** The files a process writes its pid to, to join (one per hierarchy). */
  readonly procsFiles: readonly string[];
  /** The processes in it now. */
  pids(): number[];
  /** Removes it, once the VM's processes are gone. */
  remove(): Promise<void>;
}

export interface VmCgroups {
  readonly available: boolean;
  /** Why not, when not available. */
  readonly reason: string | null;
  create(name: string, limits: VmResourceLimits): Promise<VmCgroup | null>;
}

const CPU_PERIOD_US = 100_000;
const GROUP_DIR = 'jaillab-vms';

/** This process's cgroup path in each hierarchy ("" for v2's unified one). */
function ownCgroups(): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    const [, controllers, path] = line.split(':', 3) as [string, string, string];
    for (const c of controllers === '' ? [''] : controllers.split(',')) own.set(c, path);
  }
  return own;
}

interface Hierarchy {
  /** Where this server's VM cgroups go. */
  parent: string;
  limits: (l: VmResourceLimits) => Array<[file: string, value: string]>;
}

function v2(own: Map<string, string>): Hierarchy {
  return {
    parent: join('/sys/fs/cgroup', own.get('') ?? '/', GROUP_DIR),
    limits: (l) => [
      ['memory.max', String(l.memoryBytes)],
      ['memory.swap.max', '0'],
      ['cpu.max', `${Math.round(l.cpus * CPU_PERIOD_US)} ${CPU_PERIOD_US}`],
      ['pids.max', String(l.pids)],
    ],
  };
}

function v1(own: Map<string, string>): Hierarchy[] {
  const at = (controller: string, limits: Hierarchy['limits']): Hierarchy => ({ parent: join('/sys/fs/cgroup', controller, own.get(controller) ?? '/', GROUP_DIR), limits });
  return [
    at('memory', (l) => [['memory.limit_in_bytes', String(l.memoryBytes)]]),
    at('cpu', (l) => [['cpu.cfs_period_us', String(CPU_PERIOD_US)], ['cpu.cfs_quota_us', String(Math.round(l.cpus * CPU_PERIOD_US))]]),
    at('pids', (l) => [['pids.max', String(l.pids)]]),
  ];
}

/**
 * v2 hands controllers to children only from a cgroup without processes of
 * its own (the root aside): when the server's cgroup holds the server, the
 * server first moves itself into a leaf beside the VMs' parent.
 */
async function enableV2Controllers(parent: string): Promise<void> {
  const own = join(parent, '..');
  const wanted = ['memory', 'cpu', 'pids'];
  const available = readFileSync(join(own, 'cgroup.controllers'), 'utf8').trim().split(' ');
  const missing = wanted.filter((c) => !available.includes(c));
  if (missing.length > 0) throw new Error(`the controllers ${missing.join(', ')} are not delegated to this server's cgroup`);
  const enable = wanted.map((c) => `+${c}`).join(' ');
  try {
    await writeFile(join(own, 'cgroup.subtree_control'), enable);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EBUSY') throw e;
    const leaf = join(own, 'jaillab-server');
    await mkdir(leaf, { recursive: true });
    await writeFile(join(leaf, 'cgroup.procs'), String(process.pid));
    await writeFile(join(own, 'cgroup.subtree_control'), enable);
  }
  await mkdir(parent, { recursive: true });
  await writeFile(join(parent, 'cgroup.subtree_control'), enable);
}

/** Empty VM cgroups left by servers that died (a cgroup with no processes can be removed). */
async function removeStale(parent: string): Promise<void> {
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent)) {
    const pid = /^vm-(\d+)-/.exec(entry)?.[1];
    if (pid && !existsSync(`/proc/${pid}`)) await rmdir(join(parent, entry)).catch(() => {});
  }
}

class HostVmCgroups implements VmCgroups {
  readonly available = true;
  readonly reason = null;
  constructor(private readonly hierarchies: Hierarchy[]) {}

  async create(name: string, limits: VmResourceLimits): Promise<VmCgroup> {
    const dirs: string[] = [];
    try {
      for (const h of this.hierarchies) {
        const dir = join(h.parent, `vm-${process.pid}-${name}`);
        await mkdir(dir);
        dirs.push(dir);
        for (const [file, value] of h.limits(limits)) await writeFile(join(dir, file), value);
      }
    } catch (e) {
      await Promise.all(dirs.map((d) => rmdir(d).catch(() => {})));
      throw new Error(`could not set up the VM's cgroup: ${(e as Error).message}`);
    }
    const procsFiles = dirs.map((d) => join(d, 'cgroup.procs'));
    return {
      procsFiles,
      pids: () => {
        const found = new Set<number>();
        for (const f of procsFiles) {
          try {
            for (const line of readFileSync(f, 'utf8').split('\n')) if (line) found.add(Number(line));
          } catch {
            // removed meanwhile
          }
        }
        return [...found];
      },
      // The kernel empties a cgroup a moment after its last process is reaped: retry briefly.
      remove: async () => {
        for (const d of dirs) {
          for (let i = 0; i < 20; i++) {
            try {
              await rmdir(d);
              break;
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === 'ENOENT') break;
              await new Promise((r) => setTimeout(r, 25));
            }
          }
        }
      },
    };
  }
}

class NoVmCgroups implements VmCgroups {
  readonly available = false;
  constructor(readonly reason: string) {}
  async create(): Promise<null> {
    return null;
  }
}

let detected: Promise<VmCgroups> | null = null;

/** The host's cgroups, found once per process. */
export function vmCgroups(): Promise<VmCgroups> {
  detected ??= (async (): Promise<VmCgroups> => {
    try {
      const own = ownCgroups();
      const unified = existsSync('/sys/fs/cgroup/cgroup.controllers');
      const hierarchies = unified ? [v2(own)] : v1(own);
      if (unified) await enableV2Controllers(hierarchies[0]!.parent);
      for (const h of hierarchies) {
        await mkdir(h.parent, { recursive: true });
        await removeStale(h.parent);
        // The parent may exist yet be another user's (a server that ran as root): try making a group in it.
        const probe = join(h.parent, `probe-${process.pid}`);
        await mkdir(probe);
        await rmdir(probe);
      }
      return new HostVmCgroups(hierarchies);
    } catch (e) {
      return new NoVmCgroups((e as Error).message);
    }
  })();
  return detected;
}
