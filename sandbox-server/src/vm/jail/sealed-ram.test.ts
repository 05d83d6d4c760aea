import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealRam } from './sealed-ram.js';

describe('sealed template RAM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jaillab-sealed-ram-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('holds the file, zero pages and all, and nobody can write it, not even through a read-write reopen', async () => {
    const ram = Buffer.alloc(3 * 4096 + 100);
    ram.write('guest kernel', 4096);
    ram.write('tail', ram.length - 4);
    const file = join(dir, 'ram');
    await writeFile(file, ram);
    const sealed = await sealRam(file, dir);
    try {
      expect(sealed.sizeBytes).toBe(ram.length);
      const copy = Buffer.alloc(ram.length);
      expect(readSync(sealed.fdForSpawn(), copy, 0, copy.length, 0)).toBe(ram.length);
      expect(copy.equals(ram)).toBe(true);
      // What a QEMU does with it: reopen it read-write through /proc (memfds are mode 0777), then try to write.
      const rw = openSync(`/proc/self/fd/${sealed.fdForSpawn()}`, 'r+');
      try {
        expect(() => writeSync(rw, 'rewritten', 4096, 'utf8')).toThrow(/EPERM/);
      } finally {
        closeSync(rw);
      }
    } finally {
      sealed.close();
    }
    expect(() => sealed.fdForSpawn()).toThrow(/replaced/);
  });

  it('says what went wrong when the file is missing', async () => {
    await expect(sealRam(join(dir, 'absent'), dir)).rejects.toThrow(/seal-ram failed.*absent/);
  });
});
