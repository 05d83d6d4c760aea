import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureGuestImage } from '../../../guest/image/build-image.js';
import { loadConfig } from '../../config/config.js';
import { QemuProcess } from '../guest-vm.js';
import { VmPool } from '../pool.js';
import { jailsUnder, parentOf, qemuProcessesUnder } from './host-processes.js';
import { VM_UID_BASE } from './vmm-jail.js';
import { vmCgroups } from './vm-cgroup.js';

/**
 * Issue #33: each QEMU, read from the host. Whatever user the server is, QEMU
 * is not root and holds no capability, lives in namespaces of its own, and its
 * root holds none of the server's data, token or other VMs' files.
 */
const config = loadConfig();
const NAMESPACES = ['mnt', 'pid', 'net', 'ipc', 'uts', 'user', 'cgroup'];

function status(pid: number): Record<string, string> {
  return Object.fromEntries(readFileSync(`/proc/${pid}/status`, 'utf8').trim().split('\n').map((l) => l.split(/:\s*/, 2) as [string, string]));
}

describe('the VM jail (QEMU never root)', () => {
  it('runs every QEMU unprivileged, in namespaces and a root of its own, in a cgroup of its own, blind to the server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-vmm-jail-data-'));
    const token = join(dataDir, 'instructor-token');
    const database = join(dataDir, 'jaillab.sqlite');
    await writeFile(token, 'instructor-token-for-this-test\n', { mode: 0o600 });
    await writeFile(database, 'not really a database', { mode: 0o600 });
    const runDir = await mkdtemp(join(tmpdir(), 'jaillab-vmm-jail-run-'));
    const image = await ensureGuestImage(config.cacheDir, () => {});
    const pool = new VmPool({ image, accelerator: 'auto', size: 2, memoryMiB: config.vmMemoryMiB, cacheDir: config.cacheDir, runDir, log: () => {} });
    await pool.start();
    try {
      const running = await pool.acquire();
      const deadline = Date.now() + 30_000;
      while (pool.qemuPids().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const pids = pool.qemuPids();
      expect(pids.length).toBeGreaterThanOrEqual(2);
      const runDirs = readdirSync(runDir).map((d) => join(runDir, d));
      expect(runDirs.length).toBeGreaterThanOrEqual(2);
      const asRoot = process.getuid!() === 0;
      const uids = new Set<string>();

      for (const pid of pids) {
        expect(readFileSync(`/proc/${pid}/comm`, 'utf8')).toMatch(/^qemu-system/);
        const s = status(pid);
        const [ruid, euid, suid, fsuid] = s.Uid!.split(/\s+/).map(Number) as [number, number, number, number];
        if (asRoot) {
          for (const id of [ruid, euid, suid, fsuid, ...s.Gid!.split(/\s+/).map(Number)]) expect(id).toBeGreaterThanOrEqual(VM_UID_BASE);
          expect(s.Groups ?? '').toBe('');
        } else {
          expect(ruid).toBe(process.getuid!());
        }
        uids.add(s.Uid!);
        for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(s[set], set).toBe('0000000000000000');
        expect(s.NoNewPrivs).toBe('1');
        expect(s.Seccomp).toBe('2'); // QEMU's own filter (-sandbox), under everything else
        for (const ns of NAMESPACES) expect(readlinkSync(`/proc/${pid}/ns/${ns}`), ns).not.toBe(readlinkSync(`/proc/self/ns/${ns}`));

        // Its root: QEMU's own files, /proc, /dev and /vm; nothing of the server.
        const root = `/proc/${pid}/root`;
        expect(readdirSync(root).sort()).toEqual(['bin', 'dev', 'lib', 'lib64', 'proc', 'usr', 'vm']);
        for (const hostPath of [dataDir, token, database, config.cacheDir, config.dataDir, runDir, ...runDirs, tmpdir(), '/etc', '/home', '/root'])
          expect(existsSync(join(root, hostPath)), hostPath).toBe(false);
        expect(readdirSync(join(root, 'usr'))).toEqual(expect.not.arrayContaining(['local', 'src']));
        // Its run directory holds its own sockets and nothing else; the template's RAM is a sealed memfd on fd 3, with no path.
        expect(readdirSync(join(root, 'vm/run')).filter((f) => !f.endsWith('.sock'))).toEqual([]);
        expect(readlinkSync(`/proc/${pid}/fd/3`)).toMatch(/^\/memfd:jaillab-template-ram/);
        expect(readdirSync(join(root, 'vm')).sort()).toEqual(['initramfs', 'kernel', 'run']);

        const cgroups = await vmCgroups();
        if (asRoot) {
          expect(cgroups.reason).toBeNull();
          expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toMatch(/jaillab-vms\/vm-\d+-/);
        }
      }
      // One uid per VM: a broken QEMU cannot signal or read another by uid either.
      if (asRoot) expect(uids.size).toBe(pids.length);
      // The template's RAM file is the server's alone.
      const ram = statSync(pool.templateRamPath()!);
      expect(ram.uid).toBe(process.getuid!());
      expect(ram.mode & 0o077).toBe(0);
      await running.destroy();
    } finally {
      await pool.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(runDir, { recursive: true, force: true });
    }
  });

  it('leaves nothing running when a VM is destroyed at any moment of its start (no orphan of the jailer)', async () => {
    const image = await ensureGuestImage(config.cacheDir, () => {});
    const runRoot = await mkdtemp(join(tmpdir(), 'jaillab-vmm-orphans-'));
    try {
      const pool = new VmPool({ image, accelerator: 'auto', size: 0, memoryMiB: config.vmMemoryMiB, cacheDir: config.cacheDir, runDir: runRoot, log: () => {} });
      await pool.start();
      const template = pool.templateForTests()!;
      // Destroyed as soon as spawned, a little later, and after it is up: whenever it happens, nothing is left.
      for (const [i, delayMs] of [0, 0, 1, 3, 10, 30, 100].entries()) {
        const runDir = join(runRoot, `vm-orphan-${i}`);
        await mkdir(runDir, { recursive: true });
        const vm = await QemuProcess.start(`orphan-${i}`, { accelerator: template.accelerator, memoryMiB: template.memoryMiB, role: 'clone' }, { image: template.image, runDir, sealedRam: template.sealedRam });
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        await vm.destroy();
      }
      await pool.close();
      expect(jailsUnder(runRoot)).toEqual([]);
      expect(qemuProcessesUnder(1).filter((p) => readFileSync(`/proc/${parentOf(p)}/cmdline`, 'utf8').includes(runRoot))).toEqual([]);
    } finally {
      await rm(runRoot, { recursive: true, force: true });
    }
  });
});
