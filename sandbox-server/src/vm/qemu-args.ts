import type { Accelerator } from '@jaillab/protocol';
import { hostTscKhz } from './accelerator.js';

/**
 * The QEMU command line for JailLab guests. Templates and their clones must
 * have exactly the same devices, or a clone cannot load the template's state:
 * both are built here from one spec.
 */

export interface MachineSpec {
  accelerator: Accelerator;
  memoryMiB: number;
  kernel: string;
  initramfs: string;
  /** File holding guest RAM: written by the template (shared), mapped copy-on-write by clones (private). */
  ramPath: string;
  role: 'template' | 'clone';
  agentSocket: string;
  qmpSocket: string;
}

export function kernelCommandLine(accelerator: Accelerator): string {
  return [
    'console=ttyS0',
    'quiet',
    // microvm under TCG has no HPET or PM timer to calibrate the TSC against: tell the kernel its rate.
    ...(accelerator === 'tcg' ? [`tsc_early_khz=${hostTscKhz()}`] : []),
    'tsc=reliable',
    'no_timer_check',
    'panic=-1', // a dying PID 1 (the agent) reboots, and -no-reboot turns that into QEMU exiting
    'pci=off',
    'cryptomgr.notests',
    'mitigations=off', // one learner per VM: there is no other tenant to protect from side channels
    'audit=0',
    'init_on_alloc=0',
    // The learner's program is root with every capability: no reading or writing kernel memory (/dev/mem,
    // /proc/kcore, kprobes, BPF), no new kernel code. Nothing a lesson teaches needs either (docs/security.md).
    'lockdown=confidentiality',
  ].join(' ');
}

export function qemuArgs(spec: MachineSpec): string[] {
  const args = [
    '-name', 'jaillab-guest',
    '-M', 'microvm,acpi=on,memory-backend=ram',
    '-accel', spec.accelerator,
    // Under TCG, no ERMS/FSRM: with them the guest kernel copies with `rep movsb`, which TCG runs a byte at a
    // time (reading a file ran at ~270 MB/s in the guest; without them, with rep movsq, at ~1 GB/s).
    '-cpu', spec.accelerator === 'kvm' ? 'host' : 'max,-erms,-fsrm',
    '-m', `${spec.memoryMiB}M`,
    '-smp', '1',
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    // QEMU's own seccomp filter: defence in depth should a guest ever break into QEMU.
    '-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
    '-object', `memory-backend-file,id=ram,size=${spec.memoryMiB}M,mem-path=${spec.ramPath},share=${spec.role === 'template' ? 'on' : 'off'}`,
    '-kernel', spec.kernel,
    '-initrd', spec.initramfs,
    '-append', kernelCommandLine(spec.accelerator),
    '-chardev', 'stdio,id=console,signal=off',
    '-serial', 'chardev:console',
    '-device', 'virtio-serial-device',
    '-chardev', `socket,id=agent,path=${spec.agentSocket},server=on,wait=off`,
    '-device', 'virtserialport,chardev=agent,name=jaillab',
    '-qmp', `unix:${spec.qmpSocket},server=on,wait=off`,
    // No network device at all: -nodefaults and no -netdev. The guest has nowhere to connect to.
  ];
  if (spec.role === 'clone') args.push('-incoming', 'defer');
  return args;
}
