import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneOldEntries } from './prune.js';

describe('cache pruning', () => {
  it('keeps the newest entries, and any older one that a running server touched lately', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jaillab-prune-'));
    const now = Date.now();
    const hoursAgo = (h: number): Date => new Date(now - h * 3600_000);
    for (const [name, at] of [['image-a', hoursAgo(1)], ['image-b', hoursAgo(2)], ['image-c', hoursAgo(48)], ['image-d', hoursAgo(72)], ['other', hoursAgo(99)]] as const) {
      await mkdir(join(dir, name));
      await utimes(join(dir, name), at, at);
    }
    // image-d is old by creation but in use: a server touched it five minutes ago. image-e was just built.
    await utimes(join(dir, 'image-d'), new Date(now - 5 * 60_000), new Date(now - 5 * 60_000));
    await mkdir(join(dir, 'image-e'));
    await pruneOldEntries(dir, 'image-', 1, now);
    expect((await readdir(dir)).sort()).toEqual(['image-d', 'image-e', 'other']);
    await rm(dir, { recursive: true, force: true });
  });
});
