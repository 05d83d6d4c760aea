import { describe, expect, it } from 'vitest';
import { ensureGuestImage } from '../../guest/image/build-image.js';
import { loadConfig } from '../config/config.js';
import { isKvmFault } from '../vm/kvm-fault.js';
import { VmPool } from '../vm/pool.js';

/**
 * KVM faults → TCG. This machine has no hardware virtualisation, so a pool
 * told that KVM looks usable really tries a KVM boot, really fails, and must
 * fall back to TCG with a log line saying so. (A KVM fault in the middle of a
 * run makes the pool switch every later run to TCG; that path needs a working
 * KVM to be driven for real, so only its classifier is tested here.)
 */
describe('KVM faults', () => {
  it('a KVM test boot that fails falls back to TCG, says so, and serves VMs', async () => {
    const config = loadConfig();
    const logs: string[] = [];
    const image = await ensureGuestImage(config.cacheDir, () => {});
    const pool = new VmPool({
      image,
      accelerator: 'auto',
      size: 1,
      memoryMiB: config.vmMemoryMiB,
      cacheDir: config.cacheDir,
      runDir: config.runDir,
      log: (l) => logs.push(l),
      kvmProbe: { usable: true, reason: 'the test says so' },
    });
    try {
      await pool.start();
      expect(logs.join('\n')).toMatch(/vm: a test boot with kvm failed \(.+\); falling back to tcg/);
      expect(pool.stats().accelerator).toBe('tcg');
      const vm = await pool.acquire();
      expect(vm.accelerator).toBe('tcg');
      await vm.destroy();
    } finally {
      await pool.close();
    }
  });

  it('tells a KVM fault from the guest\'s own crashes', () => {
    const exit = (stderrTail: string, consoleTail = '') => ({ stderrTail, consoleTail });
    expect(isKvmFault(exit('KVM internal error. Suberror: 1\nemulation failure'))).toBe(true);
    expect(isKvmFault(exit('error: kvm run failed Bad address'))).toBe(true);
    expect(isKvmFault(exit('', 'Kernel panic - not syncing: sysrq triggered crash'))).toBe(false);
    expect(isKvmFault(exit('qemu-system-x86_64: terminating on signal 9 from pid 1234'))).toBe(false);
  });
});
