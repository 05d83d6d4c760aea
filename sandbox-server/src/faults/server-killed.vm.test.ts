import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qemuProcessesOf, startServerProcess } from '../../test/server-process.js';

/**
 * A server killed outright (SIGKILL, the OOM killer) runs no clean-up code. Its
 * VMs must not outlive it: QEMU runs under a parent-death signal. The socket
 * directory it leaves behind is swept by the next server that starts.
 */
const dataDirs: string[] = [];
afterAll(async () => {
  for (const d of dataDirs) await rm(d, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function serverProcess() {
  const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-killed-'));
  dataDirs.push(dataDir);
  return await startServerProcess({ ...process.env, JAILLAB_DATA_DIR: dataDir, JAILLAB_PORT: '0', JAILLAB_POOL_SIZE: '1' });
}

describe('a server killed with SIGKILL', () => {
  it('takes its VMs with it, and the next server removes its socket directory', async () => {
    const victim = await serverProcess();
    await until('a ready VM', () => (qemuProcessesOf(victim.pid).length > 0 ? true : undefined), 30_000);
    const exited = new Promise((r) => victim.child.once('exit', r));
    victim.child.kill('SIGKILL');
    await exited;
    // Found by the run directory in their command line, which outlives the server: orphans would still match.
    const gone = await until('its QEMU processes to end', () => (qemuProcessesOf(victim.pid).length === 0 ? true : undefined), 10_000);
    expect(gone).toBe(true);
    expect(qemuProcessesOf(victim.pid)).toEqual([]);
    expect(await readdir(tmpdir())).toContain(`jaillab-${victim.pid}`);

    const next = await serverProcess();
    try {
      expect(await readdir(tmpdir())).not.toContain(`jaillab-${victim.pid}`);
      expect(next.log.join('\n')).toMatch(new RegExp(`removed \\d+ run director(y|ies) left by servers that died \\(.*jaillab-${victim.pid}`));
    } finally {
      await next.stop();
    }
  }, 90_000);
});
