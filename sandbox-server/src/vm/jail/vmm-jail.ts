import { randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, chown, copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Accelerator } from '@jaillab/protocol';
import type { GuestImage } from '../../../guest/image/build-image.js';
import { bindReadOnly, MERGED_USR_LINKS, sharedLibraries } from '../../bwrap/host-binds.js';
import type { MachineSpec } from '../qemu-args.js';
import type { SealedRam } from './sealed-ram.js';
import type { VmCgroup, VmCgroups, VmResourceLimits } from './vm-cgroup.js';

/**
 * How each QEMU is started, the way Firecracker's jailer starts its VMM: the
 * guest's root is by design root in the guest, so QEMU is the wall, and QEMU
 * itself gets nothing worth having should a guest break into it:
 *
 * 1. its own cgroup (memory, CPU, processes), joined before anything else runs;
 * 2. as root, a uid and gid of its own with no supplementary groups (kvm's
 *    group only where KVM is used), no capabilities, no_new_privs;
 * 3. bubblewrap: new user, mount, PID, network, IPC, UTS and cgroup
 *    namespaces, no further user namespaces, a new session, no environment,
 *    and a root that holds only QEMU with its libraries and firmware, the
 *    guest's kernel and initramfs, /vm/run (this VM's sockets; the
 *    template's RAM file while the template is made) and, for a clone, the
 *    sealed template RAM as fd 3, which has no path at all;
 * 4. then QEMU's own seccomp filter (-sandbox, qemu-args.ts).
 *
 * Not root (a Kubernetes runner, a developer's account): the same, without
 * the uid change, and without cgroups unless a subtree is delegated.
 */

/** Where things are inside a VM's root: the paths QEMU is given. */
export const IN_VMM_ROOT = {
  kernel: '/vm/kernel',
  initramfs: '/vm/initramfs',
  /** This VM's sockets; the template also writes its RAM file here. A clone's RAM is the sealed fd. */
  run: '/vm/run',
  sealedRamFd: 3,
} as const;

/** The QEMU command line's spec, in the VM's root. */
export function vmmSpec(accelerator: Accelerator, memoryMiB: number, role: MachineSpec['role']): MachineSpec {
  return {
    accelerator,
    memoryMiB,
    kernel: IN_VMM_ROOT.kernel,
    initramfs: IN_VMM_ROOT.initramfs,
    ramPath: role === 'template' ? `${IN_VMM_ROOT.run}/ram` : `/proc/self/fd/${IN_VMM_ROOT.sealedRamFd}`,
    role,
    agentSocket: `${IN_VMM_ROOT.run}/agent.sock`,
    qmpSocket: `${IN_VMM_ROOT.run}/qmp.sock`,
  };
}

export interface VmmFiles {
  image: GuestImage;
  /** This VM's directory on the host, in the server's run directory: its sockets. Made the VM's own. */
  runDir: string;
  /** A clone's RAM: the sealed template RAM (the template writes its own RAM file in its run directory). */
  sealedRam: SealedRam | null;
}

/**
 * bwrap opens what it binds as the VM's uid, so every source must be
 * reachable by any uid: the run directory is traverse-only (0711) and each
 * VM's own directory inside it is that VM's alone (0700). The guest's kernel
 * and initramfs are linked (or copied) there from the cache, whose
 * directories may be the server's alone.
 */
async function stageImage(runRoot: string, image: GuestImage): Promise<{ kernel: string; initramfs: string }> {
  const dir = join(runRoot, `image-${image.id}`);
  const staged = { kernel: join(dir, 'kernel'), initramfs: join(dir, 'initramfs') };
  if (existsSync(staged.kernel) && existsSync(staged.initramfs)) return staged;
  const tmp = `${dir}.tmp-${randomInt(1 << 30)}`;
  await mkdir(tmp, { recursive: true });
  for (const [from, name] of [[image.kernel, 'kernel'], [image.initramfs, 'initramfs']] as const) {
    await link(from, join(tmp, name)).catch(() => copyFile(from, join(tmp, name)));
    await chmod(join(tmp, name), 0o444);
  }
  await chmod(tmp, 0o711);
  await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true }));
  return staged;
}

/** The run directory's ancestors must let any uid through, or no jailed QEMU can start: say so plainly. */
function checkTraversable(runRoot: string): void {
  for (let d = dirname(runRoot); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) throw new Error(`${d} cannot be traversed by other users (mode ${(statSync(d).mode & 0o777).toString(8)}): the VMs' run directory ${runRoot} must be below directories any uid may pass (the default, under /tmp, is)`);
    if (d === '/') return;
  }
}

/** A VM's host identity: an unprivileged uid and gid of its own, when the server can switch to one. */
export interface VmmIdentity {
  uid: number;
  gid: number;
  groups: number[];
}

/**
 * VM uids are drawn from a range no login account uses (above systemd's
 * dynamic users and the usual subordinate-id ranges), one per VM, so no two
 * QEMUs share a uid: signals and /proc between them are refused by uid too,
 * not only by their PID namespaces.
 */
export const VM_UID_BASE = 1_900_000_000;
const VM_UID_SPAN = 1 << 24;

export function vmmIdentity(accelerator: Accelerator): VmmIdentity | null {
  if (process.getuid?.() !== 0) return null;
  const uid = VM_UID_BASE + randomInt(VM_UID_SPAN);
  // KVM is a device QEMU opens: only its group, and only when the device lets its group in.
  const groups = accelerator === 'kvm' && existsSync('/dev/kvm') && (statSync('/dev/kvm').mode & 0o060) === 0o060 ? [statSync('/dev/kvm').gid] : [];
  return { uid, gid: uid, groups };
}

/** QEMU's files, read-only: the binary, the libraries it and its modules load, its firmware. */
let qemuBinds: Promise<string[]> | null = null;
function qemuRootBinds(): Promise<string[]> {
  qemuBinds ??= (async () => {
    const qemu = '/usr/bin/qemu-system-x86_64';
    const modules = '/usr/lib/x86_64-linux-gnu/qemu';
    const args = [...MERGED_USR_LINKS];
    const seen = new Set<string>();
    for (const p of [qemu, ...(await sharedLibraries([qemu]))]) bindReadOnly(p, seen, args);
    for (const dir of [modules, '/usr/share/qemu']) if (existsSync(dir)) args.push('--ro-bind', dir, dir);
    return args;
  })();
  return qemuBinds;
}

/** What runs QEMU in its jail: the command, and the fds and cgroup it needs. */
export interface VmmLaunch {
  command: string;
  args: string[];
  /** What becomes fd 3 of the child (a clone's sealed RAM), if anything. */
  fd3: SealedRam | null;
  cgroup: VmCgroup | null;
  identity: VmmIdentity | null;
}

/** Limits of one VM's cgroup: its RAM plus what QEMU needs beside it (TCG's translation cache is the most). */
export function vmResourceLimits(accelerator: Accelerator, memoryMiB: number): VmResourceLimits {
  const overheadMiB = accelerator === 'tcg' ? 384 : 160;
  // One vCPU uses at most one core; QEMU's main loop (the agent's port, the console) runs beside it, and a quota
  // of exactly one core would throttle the two together: one and a half.
  return { memoryBytes: (memoryMiB + overheadMiB) * 1024 * 1024, cpus: 1.5, pids: 128 };
}

export async function jailedQemu(id: string, spec: MachineSpec, files: VmmFiles, qemuArgs: string[], cgroups: VmCgroups): Promise<VmmLaunch> {
  const identity = vmmIdentity(spec.accelerator);
  const runRoot = dirname(files.runDir);
  if (identity) {
    checkTraversable(runRoot);
    await chmod(runRoot, 0o711);
    await chown(files.runDir, identity.uid, identity.gid);
  }
  await chmod(files.runDir, 0o700);
  const image = await stageImage(runRoot, files.image);
  const cgroup = await cgroups.create(id, vmResourceLimits(spec.accelerator, spec.memoryMiB));
  const bwrap = [
    'bwrap',
    '--unshare-all', '--unshare-user', '--disable-userns',
    '--die-with-parent', '--new-session', '--clearenv', '--cap-drop', 'ALL',
    ...(await qemuRootBinds()),
    '--proc', '/proc', '--dev', '/dev',
    ...(spec.accelerator === 'kvm' && existsSync('/dev/kvm') ? ['--dev-bind', '/dev/kvm', '/dev/kvm'] : []),
    '--ro-bind', image.kernel, IN_VMM_ROOT.kernel,
    '--ro-bind', image.initramfs, IN_VMM_ROOT.initramfs,
    '--bind', files.runDir, IN_VMM_ROOT.run,
    '--chdir', IN_VMM_ROOT.run,
    '--', '/usr/bin/qemu-system-x86_64', ...qemuArgs,
  ];
  const credentials = identity
    ? ['setpriv', `--reuid=${identity.uid}`, `--regid=${identity.gid}`, identity.groups.length > 0 ? `--groups=${identity.groups.join(',')}` : '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--']
    : ['setpriv', '--no-new-privs', '--'];
  const joins = cgroup?.procsFiles ?? [];
  // sh joins the cgroups with its own pid and execs: everything after it, QEMU included, is born inside them.
  const joinThenExec = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';
  return {
    command: '/bin/sh',
    args: ['-c', joinThenExec, 'jaillab-vmm', String(joins.length), ...joins, ...credentials, ...bwrap],
    fd3: files.sealedRam,
    cgroup,
    identity,
  };
}

/** bwrap reports a child killed by a signal as 128 + the signal's number, as a shell does. */
export function signalFromExitCode(code: number | null): number | null {
  return code !== null && code > 128 && code < 128 + 65 ? code - 128 : null;
}
