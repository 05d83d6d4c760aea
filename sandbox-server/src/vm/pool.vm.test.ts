import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureGuestImage } from '../../guest/image/build-image.js';
import { loadConfig } from '../config/config.js';
import { createApp } from '../server.js';
import { probeKvm, StartupError } from './accelerator.js';
import { VmPool } from './pool.js';

const config = loadConfig();

describe('the VM pool', () => {
  it('hands out a fresh VM every time and never the same one twice', async () => {
    const image = await ensureGuestImage(config.cacheDir, () => {});
    const runDir = await mkdtemp(join(tmpdir(), 'jl-pool-'));
    const pool = new VmPool({ image, accelerator: 'auto', size: 1, memoryMiB: config.vmMemoryMiB, cacheDir: config.cacheDir, runDir, log: () => {} });
    await pool.start();
    try {
      const a = await pool.acquire();
      const b = await pool.acquire();
      expect(a.id).not.toBe(b.id);
      const pids = pool.qemuPids();
      expect(new Set(pids).size).toBe(pids.length);
      const used = [a.pid, b.pid];
      expect(used.every((p) => p !== undefined && pids.includes(p))).toBe(true);
      // A signal already aborted gets no VM, and takes none from the ready ones.
      const ready = pool.stats().ready;
      await expect(pool.acquire(AbortSignal.abort(new Error('gone already')))).rejects.toThrow('gone already');
      expect(pool.stats().ready).toBe(ready);
      await a.destroy();
      await b.destroy();
      // Both are gone, not only one of them.
      for (const p of used) expect(pool.qemuPids()).not.toContain(p);
      // It refills in the background.
      const deadline = Date.now() + 20_000;
      while (pool.stats().ready < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(pool.stats().ready).toBe(1);
      expect(pool.stats().accelerator).toMatch(/^(kvm|tcg)$/);
    } finally {
      await pool.close();
      await rm(runDir, { recursive: true, force: true });
    }
    expect(pool.qemuPids()).toEqual([]);
  });

  it('grows for a room and shrinks back when the room empties, never touching a VM that serves a run', async () => {
    const image = await ensureGuestImage(config.cacheDir, () => {});
    const runDir = await mkdtemp(join(tmpdir(), 'jl-pool-'));
    const pool = new VmPool({ image, accelerator: 'auto', size: 1, memoryMiB: config.vmMemoryMiB, cacheDir: config.cacheDir, runDir, log: () => {} });
    await pool.start();
    const until = async (what: string, ok: () => boolean): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${JSON.stringify(pool.stats())})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      const serving = await pool.acquire();
      pool.setExtraReady(2);
      await until('three ready', () => pool.stats().ready === 3);
      pool.setExtraReady(0);
      expect(pool.stats().ready).toBe(1);
      await until('the surplus gone', () => pool.qemuPids().length === 2);
      // The one serving a run is still there.
      expect(pool.qemuPids()).toContain(serving.pid);
      await serving.destroy();
    } finally {
      await pool.close();
      await rm(runDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('JAILLAB_ACCEL=kvm', () => {
  it('fails at start-up with a clear reason where KVM cannot work, and uses KVM where it can', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'jl-kvm-'));
    const kvm = probeKvm();
    const started = createApp(loadConfig({ ...process.env, JAILLAB_ACCEL: 'kvm', JAILLAB_DATA_DIR: dataDir }, { port: 0, poolSize: 1 }), () => {});
    if (!kvm.usable) {
      const err = await started.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect((err as Error).message).toMatch(/JAILLAB_ACCEL=kvm, but KVM cannot work here/);
    } else {
      const app = await started;
      expect(app.executor.capacity().accelerator).toBe('kvm');
      await app.close();
    }
    await rm(dataDir, { recursive: true, force: true });
    expect(existsSync(join(dataDir, 'jaillab.sqlite'))).toBe(false);
  });
});
