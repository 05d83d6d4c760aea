import { createConnection } from 'node:net';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { QemuProcess } from './guest-vm.js';
import type { VmTemplate } from './template.js';
import { connectWithRetry } from './unix-socket.js';

/**
 * Starts a fresh VM from a template: QEMU maps the template's sealed RAM
 * privately (copy-on-write) and loads its device state. The clone is left paused, so a
 * ready VM in the pool costs no CPU; resume() wakes it when a run takes it.
 */
export async function startClone(template: VmTemplate, runRoot: string, id: string): Promise<QemuProcess> {
  const runDir = join(runRoot, id);
  await mkdir(runDir, { recursive: true });
  const vm = await QemuProcess.start(
    id,
    { accelerator: template.accelerator, memoryMiB: template.memoryMiB, role: 'clone' },
    { image: template.image, runDir, sealedRam: template.sealedRam },
  );
  try {
    await vm.attach(10_000);
    const qmp = vm.qmp!;
    await qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] });
    await qmp.execute('migrate-incoming', { uri: `unix:${vm.vmmPath('incoming.sock')}` });
    const conn = await connectWithRetry(() => createConnection(vm.hostPath('incoming.sock')), Date.now() + 5000);
    conn.end(template.state);
    for (;;) {
      const info = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
      if (info.status === 'completed') break;
      if (info.status === 'failed') throw new Error(`loading the template failed: ${info['error-desc'] ?? 'unknown error'}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    conn.destroy();
    return vm;
  } catch (e) {
    await vm.destroy();
    throw e;
  }
}
