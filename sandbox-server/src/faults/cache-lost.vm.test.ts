import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JailLabClient } from '../client/jaillab-client.js';
import { loadConfig } from '../config/config.js';
import { ensureGuestImage } from '../../guest/image/build-image.js';
import { FIRST_LESSON, firstSolution } from '../../test/lesson-sources.js';
import { startOwnServer } from '../../test/own-server.js';

/**
 * The guest image and VM template deleted from under a running server (a
 * cache cleaned by hand, or pruned by another server): runs go on, because a
 * clone needs nothing of the cache (its RAM is the template's sealed copy,
 * held in memory; its kernel is staged in the run directory). With that
 * staged copy gone too (a /tmp cleaner), new VMs fail to start and the pool
 * rebuilds the image and boots a new template by itself, with log lines
 * saying so. Runs on its own copy of the cache, never the shared one.
 */
let cacheDir: string;
let server: Awaited<ReturnType<typeof startOwnServer>>;

beforeAll(async () => {
  const sharedCache = loadConfig().cacheDir;
  const image = await ensureGuestImage(sharedCache, () => {});
  cacheDir = await mkdtemp(join(tmpdir(), 'jaillab-cache-lost-'));
  await mkdir(join(cacheDir, 'guest', 'debs'), { recursive: true });
  for (const deb of await readdir(join(sharedCache, 'guest', 'debs'))) {
    if (deb.endsWith('.deb')) await symlink(join(sharedCache, 'guest', 'debs', deb), join(cacheDir, 'guest', 'debs', deb));
  }
  await cp(join(sharedCache, 'guest', 'kernel-package.txt'), join(cacheDir, 'guest', 'kernel-package.txt'));
  await cp(image.dir, join(cacheDir, 'guest', `image-${image.id}`), { recursive: true });
  server = await startOwnServer({ cacheDir, accelerator: 'tcg' });
});
afterAll(async () => {
  await server?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

async function goodRun(): Promise<string> {
  const c = await JailLabClient.connect(server.url);
  try {
    return (await c.run(FIRST_LESSON, firstSolution())).finished.outcome;
  } finally {
    c.close();
  }
}

describe('the cache deleted under a running server', () => {
  it('runs go on without it; with the kernel staged in the run directory gone too, the pool rebuilds both by itself', async () => {
    expect(await goodRun()).toBe('passed');
    for (const dir of ['guest', join('vm', 'templates')]) {
      for (const name of await readdir(join(cacheDir, dir))) if (/^(image-|t-)/.test(name)) await rm(join(cacheDir, dir, name), { recursive: true, force: true });
    }
    expect(await goodRun()).toBe('passed');
    expect(await goodRun()).toBe('passed');
    expect(server.logs.join('\n')).not.toMatch(/vm: starting a VM failed/);

    const runDir = loadConfig().runDir;
    const staged = (await readdir(runDir)).filter((n) => n.startsWith('image-'));
    expect(staged.length).toBeGreaterThan(0);
    for (const name of staged) await rm(join(runDir, name), { recursive: true, force: true });
    expect(await goodRun()).toBe('passed');
    expect(await goodRun()).toBe('passed');
    const log = server.logs.join('\n');
    expect(log).toMatch(/vm: starting a VM failed/);
    expect(log).toMatch(/guest image: none built for these inputs yet .*; building it/);
    expect(log).toMatch(/vm: tcg template booted and saved/);
    expect(await goodRun()).toBe('passed');
  }, 240_000);
});
