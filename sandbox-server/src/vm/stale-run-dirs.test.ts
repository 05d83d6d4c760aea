import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { jailsUnder } from './jail/host-processes.js';
import { removeStaleRunDirs } from './stale-run-dirs.js';

/** A pid no process has: the highest a Linux pid can be, plus one. */
const DEAD_PID = 4194305;

it("removes a dead server's run directory, killing first a jailed process of it that outlived it", async () => {
  const parent = await mkdtemp(join(tmpdir(), 'jaillab-stale-'));
  try {
    const own = join(parent, `jaillab-${process.pid}`);
    const dead = join(parent, `jaillab-${DEAD_PID}`);
    await mkdir(own);
    await mkdir(join(dead, 'vm-left'), { recursive: true });
    // A jail like a VM's, binding a directory of the dead server's run directory, left running.
    const orphan = spawn('bwrap', ['--unshare-all', '--unshare-user', '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin', '--bind', join(dead, 'vm-left'), '/vm/run', '--', '/usr/bin/sleep', '300'], { stdio: 'ignore' });
    const gone = new Promise<NodeJS.Signals | null>((r) => orphan.once('exit', (_code, signal) => r(signal)));
    const deadline = Date.now() + 10_000;
    while (jailsUnder(dead).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(jailsUnder(dead).length).toBeGreaterThan(0);

    expect(await removeStaleRunDirs(own)).toEqual([`jaillab-${DEAD_PID}`]);
    expect(await gone).toBe('SIGKILL');
    expect(jailsUnder(dead)).toEqual([]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(own)).toBe(true);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
