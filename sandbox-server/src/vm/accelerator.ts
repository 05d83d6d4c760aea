import { accessSync, constants, readFileSync } from 'node:fs';
import type { Accelerator } from '@jaillab/protocol';

/**
 * Which accelerator a VM runs on. KVM is only worth trying where the CPU
 * advertises vmx/svm and /dev/kvm is usable; even then a test boot decides
 * (a paravirtual /dev/kvm, as on some cloud hosts, cannot run a stock kernel).
 */

export type AcceleratorChoice = Accelerator | 'auto';

export interface KvmProbe {
  usable: boolean;
  reason: string;
}

export function probeKvm(cpuinfo = readCpuinfo(), devKvm = '/dev/kvm'): KvmProbe {
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  if (!flags.includes('vmx') && !flags.includes('svm'))
    return { usable: false, reason: 'the CPU shows no vmx/svm flag (no hardware virtualisation available to this host)' };
  try {
    accessSync(devKvm, constants.R_OK | constants.W_OK);
  } catch {
    return { usable: false, reason: `${devKvm} is missing or not readable and writable by this user` };
  }
  return { usable: true, reason: 'vmx/svm present and /dev/kvm accessible' };
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

/** The host TSC frequency in kHz, for tsc_early_khz: under TCG the microvm guest has no other timer to calibrate against. */
export function hostTscKhz(cpuinfo = readCpuinfo()): number {
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo)?.[1]);
  return Number.isFinite(mhz) && mhz > 0 ? Math.round(mhz * 1000) : 2_000_000;
}

export class StartupError extends Error {}

/** Turns JAILLAB_ACCEL into the accelerators to try, in order; forcing KVM where it cannot work is a start-up error. */
export function acceleratorsToTry(choice: AcceleratorChoice, probe: KvmProbe = probeKvm()): Accelerator[] {
  if (choice === 'tcg') return ['tcg'];
  if (choice === 'kvm') {
    if (!probe.usable) throw new StartupError(`JAILLAB_ACCEL=kvm, but KVM cannot work here: ${probe.reason}. Unset JAILLAB_ACCEL (or set it to tcg) to use QEMU's software emulation.`);
    return ['kvm'];
  }
  return probe.usable ? ['kvm', 'tcg'] : ['tcg'];
}
