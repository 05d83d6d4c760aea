import { appendFile, cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGuestImage, type GuestImage } from '../../guest/image/build-image.js';
import { loadConfig } from '../config/config.js';

/**
 * A guest image that went missing or was damaged on disk is rebuilt at start,
 * with a log line that says which and why. Works on a copy of the cache (the
 * kernel package is linked, not downloaded again), never on the shared one.
 */
let shared: GuestImage;
let cacheDir: string;

beforeAll(async () => {
  const sharedCache = loadConfig().cacheDir;
  shared = await ensureGuestImage(sharedCache, () => {});
  cacheDir = await mkdtemp(join(tmpdir(), 'jaillab-image-fault-'));
  await mkdir(join(cacheDir, 'guest', 'debs'), { recursive: true });
  for (const deb of await readdir(join(sharedCache, 'guest', 'debs'))) {
    if (deb.endsWith('.deb')) await symlink(join(sharedCache, 'guest', 'debs', deb), join(cacheDir, 'guest', 'debs', deb));
  }
  await cp(join(sharedCache, 'guest', 'kernel-package.txt'), join(cacheDir, 'guest', 'kernel-package.txt'));
});
afterAll(async () => {
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

async function ensureLogged(): Promise<{ image: GuestImage; log: string }> {
  const lines: string[] = [];
  const image = await ensureGuestImage(cacheDir, (l) => lines.push(l));
  return { image, log: lines.join('\n') };
}

describe('the guest image, missing or damaged', () => {
  it('missing: built, with a line that says so', async () => {
    const { image, log } = await ensureLogged();
    expect(image.id).toBe(shared.id);
    expect(log).toMatch(/guest image: none built for these inputs yet \(.*image-[0-9a-f]+\); building it/);
    expect(log).toMatch(/guest image: ready in/);
  });

  it('corrupt: the damaged file is named, the image rebuilt, and then trusted again', async () => {
    const dir = join(cacheDir, 'guest', `image-${shared.id}`);
    await appendFile(join(dir, 'initramfs.cpio.gz'), 'bit rot');
    const rebuilt = await ensureLogged();
    expect(rebuilt.log).toMatch(/initramfs\.cpio\.gz does not match its checksum; rebuilding it/);
    expect(rebuilt.log).toMatch(/guest image: ready in/);
    const again = await ensureLogged();
    expect(again.log).toBe('');
    expect(again.image.initramfs).toBe(rebuilt.image.initramfs);
  });
});
