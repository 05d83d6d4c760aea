import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GuestImage } from '../../../guest/image/build-image.js';
import { qemuArgs } from '../qemu-args.js';
import type { VmCgroups } from './vm-cgroup.js';
import { IN_VMM_ROOT, jailedQemu, signalFromExitCode, VM_UID_BASE, vmmSpec } from './vmm-jail.js';

const noCgroups: VmCgroups = { available: false, reason: 'test', create: async () => null };

describe('the jailed QEMU command', async () => {
  const base = await mkdtemp(join(tmpdir(), 'jaillab-vmm-args-'));
  await chmod(base, 0o711);
  afterAll(() => rm(base, { recursive: true, force: true }));
  const cache = join(base, 'cache');
  await mkdir(cache, { mode: 0o700 });
  await writeFile(join(cache, 'vmlinux'), 'kernel');
  await writeFile(join(cache, 'initramfs'), 'initramfs');
  const image = { id: 'test', dir: cache, kernel: join(cache, 'vmlinux'), initramfs: join(cache, 'initramfs') } as GuestImage;

  it('gives QEMU paths in its own root only, and its RAM as fd 3 with no path', () => {
    const clone = vmmSpec('tcg', 192, 'clone');
    const args = qemuArgs(clone).join(' ');
    expect(args).toContain(`mem-path=/proc/self/fd/${IN_VMM_ROOT.sealedRamFd},share=off`);
    expect(args).toContain('-kernel /vm/kernel');
    expect(args).not.toContain(cache);
    expect(qemuArgs(vmmSpec('tcg', 192, 'template')).join(' ')).toContain('mem-path=/vm/run/ram,share=on');
  });

  it('drops to a uid of its own (as root), unshares everything, binds only the staged kernel and its own directory', async () => {
    const runRoot = join(base, 'run');
    const runDir = join(runRoot, 'vm-1');
    await mkdir(runDir, { recursive: true });
    const launch = await jailedQemu('vm-1', vmmSpec('tcg', 192, 'template'), { image, runDir, sealedRam: null }, ['-name', 'x'], noCgroups);
    const argv = launch.args.join(' ');
    expect(launch.command).toBe('/bin/sh');
    for (const flag of ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session', '--clearenv', '--cap-drop ALL', '--no-new-privs'])
      expect(argv).toContain(flag);
    expect(argv).toContain(`--bind ${runDir} /vm/run`);
    expect(argv).toContain(`--ro-bind ${join(runRoot, 'image-test', 'kernel')} /vm/kernel`);
    expect(argv).not.toContain(cache);
    expect(argv).toMatch(/-- \/usr\/bin\/qemu-system-x86_64 -name x$/);
    expect((await stat(runDir)).mode & 0o777).toBe(0o700);
    if (process.getuid!() === 0) {
      expect(launch.identity!.uid).toBeGreaterThanOrEqual(VM_UID_BASE);
      expect(argv).toContain(`--reuid=${launch.identity!.uid}`);
      expect(argv).toContain('--bounding-set=-all');
      expect((await stat(runDir)).uid).toBe(launch.identity!.uid);
      expect((await stat(runRoot)).mode & 0o777).toBe(0o711);
    } else {
      expect(launch.identity).toBeNull();
    }
  });

  it('as root, refuses (naming it) a run directory below one other uids cannot pass; otherwise QEMU keeps the server\'s uid', async () => {
    const runDir = join(cache, 'run', 'vm-2');
    await mkdir(runDir, { recursive: true });
    const launch = jailedQemu('vm-2', vmmSpec('tcg', 192, 'clone'), { image, runDir, sealedRam: null }, [], noCgroups);
    if (process.getuid!() === 0) await expect(launch).rejects.toThrow(`${cache} cannot be traversed by other users`);
    else expect((await launch).identity).toBeNull();
  });

  it('reads a killed QEMU out of bwrap\'s exit status', () => {
    expect(signalFromExitCode(137)).toBe(9);
    expect(signalFromExitCode(1)).toBeNull();
    expect(signalFromExitCode(null)).toBeNull();
  });
});
