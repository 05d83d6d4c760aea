import { describe, expect, it } from 'vitest';
import { acceleratorsToTry, hostTscKhz, probeKvm, StartupError } from './accelerator.js';

const cpuinfo = (flags: string): string => `processor\t: 0\ncpu MHz\t\t: 2596.138\nflags\t\t: fpu tsc ${flags} sse2\n`;

describe('accelerator choice', () => {
  it('does not consider KVM without vmx/svm, whatever /dev/kvm says', () => {
    expect(probeKvm(cpuinfo('avx2'), '/dev/null')).toMatchObject({ usable: false, reason: expect.stringContaining('vmx/svm') });
    expect(acceleratorsToTry('auto', probeKvm(cpuinfo('avx2')))).toEqual(['tcg']);
  });

  it('tries KVM first, then TCG, where the CPU has it and /dev/kvm is usable', () => {
    expect(probeKvm(cpuinfo('vmx'), '/dev/null').usable).toBe(true);
    expect(acceleratorsToTry('auto', { usable: true, reason: '' })).toEqual(['kvm', 'tcg']);
    expect(probeKvm(cpuinfo('svm'), '/nonexistent/kvm').usable).toBe(false);
  });

  it('makes forcing KVM where it cannot work a clear start-up error', () => {
    expect(() => acceleratorsToTry('kvm', { usable: false, reason: 'the CPU shows no vmx/svm flag' })).toThrow(StartupError);
    expect(() => acceleratorsToTry('kvm', { usable: false, reason: 'the CPU shows no vmx/svm flag' })).toThrow(/JAILLAB_ACCEL=kvm.*vmx\/svm/);
    expect(acceleratorsToTry('tcg', { usable: true, reason: '' })).toEqual(['tcg']);
  });

  it('reads the TSC rate for the guest from cpuinfo', () => {
    expect(hostTscKhz(cpuinfo(''))).toBe(2596138);
  });
});
