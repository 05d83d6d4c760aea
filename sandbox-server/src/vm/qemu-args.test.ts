import { describe, expect, it } from 'vitest';
import { type MachineSpec, qemuArgs } from './qemu-args.js';

const spec = (role: MachineSpec['role'], accelerator: MachineSpec['accelerator']): MachineSpec => ({
  accelerator,
  memoryMiB: 192,
  kernel: '/cache/vmlinux',
  initramfs: '/cache/initramfs.cpio.gz',
  ramPath: '/cache/ram',
  role,
  agentSocket: '/run/x/agent.sock',
  qmpSocket: '/run/x/qmp.sock',
});

/** Options that would give a guest a way out to the host: a network, a disk or folder of the host's, a file-backed chardev. */
const WAYS_OUT = /^-(net|netdev|nic|virtfs|fsdev|drive|hda|hdb|cdrom|blockdev|usb|usbdevice|parallel|bt)$|virtio-9p|vhost-user|virtio-net|virtio-blk|virtio-fs|e1000|rtl8139|ivshmem|^file,/;

describe('the QEMU command line', () => {
  for (const role of ['template', 'clone'] as const) {
    for (const accelerator of ['tcg', 'kvm'] as const) {
      it(`gives a ${accelerator} ${role} no network, no host disk, no shared folder, and QEMU's own sandbox`, () => {
        const args = qemuArgs(spec(role, accelerator));
        const offending = args.filter((a) => WAYS_OUT.test(a));
        expect(offending).toEqual([]);
        expect(args).toContain('-nodefaults');
        expect(args).toContain('-no-user-config');
        expect(args[args.indexOf('-sandbox') + 1]).toMatch(/^on,.*spawn=deny/);
        // The only host paths QEMU opens: the guest's kernel, initramfs and RAM file, and the two control sockets.
        const hostPaths = args.flatMap((a) => [...a.matchAll(/(?:^|[=:,])(\/[^,]+)/g)].map((m) => m[1]));
        expect(new Set(hostPaths)).toEqual(new Set(['/cache/vmlinux', '/cache/initramfs.cpio.gz', '/cache/ram', '/run/x/agent.sock', '/run/x/qmp.sock']));
        const devices = args.flatMap((a, i) => (args[i - 1] === '-device' ? [a.split(',')[0]] : []));
        expect(devices.sort()).toEqual(['virtio-serial-device', 'virtserialport']);
      });
    }
  }

  it('the regular expression above does catch the options it is meant to', () => {
    for (const bad of ['-netdev', '-virtfs', '-drive', 'virtio-9p-device,fsdev=x', 'vhost-user-fs-device', 'file,id=x']) expect(WAYS_OUT.test(bad)).toBe(true);
  });
});
