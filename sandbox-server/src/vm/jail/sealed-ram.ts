import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec } from '../../../guest/image/exec.js';

/**
 * The template's RAM as the clones see it: an fd of a sealed memfd (see
 * sealed-ram.c for why a file will not do). The server holds one fd per
 * template and hands it to each clone's QEMU as its fd 3; nothing of it
 * has a path a QEMU could reach.
 */
export interface SealedRam {
  /**
   * This process's fd of the memfd, to pass to a child spawned in the same
   * tick (spawn is synchronous): throws once closed, so a clone started as
   * its template is replaced fails instead of inheriting a reused fd number.
   */
  fdForSpawn(): number;
  readonly sizeBytes: number;
  close(): void;
}

const SOURCE = fileURLToPath(new URL('./sealed-ram.c', import.meta.url));

let tool: Promise<string> | null = null;

/** seal-ram, compiled once per source into the cache (gcc is a dependency of the compiler anyway). */
function sealRamTool(cacheDir: string): Promise<string> {
  tool ??= (async () => {
    const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 12);
    const dir = join(cacheDir, 'host-tools');
    const path = join(dir, `seal-ram-${hash}`);
    if (existsSync(path)) return path;
    await mkdir(dir, { recursive: true });
    const tmp = `${path}.tmp-${randomBytes(3).toString('hex')}`;
    try {
      await exec('gcc', ['-O2', '-Wall', '-o', tmp, SOURCE]);
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
    return path;
  })();
  tool.catch(() => (tool = null));
  return tool;
}

/** Copies `ramFile` into a sealed memfd and returns this process's fd of it. */
export async function sealRam(ramFile: string, cacheDir: string): Promise<SealedRam> {
  const path = await sealRamTool(cacheDir);
  const child = spawn(path, [ramFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('error', (e) => reject(new Error(`seal-ram: ${e.message}`)));
    void exited.then((code) => reject(new Error(`seal-ram failed (${code}): ${stderr.trim()}`)));
  });
  let fd: number;
  try {
    // Opening the holder's fd through /proc gives this process its own reference to the same memfd.
    fd = openSync(`/proc/${child.pid}/fd/${Number(line)}`, 'r');
  } finally {
    child.stdin.end();
    await exited;
  }
  let open = true;
  const sizeBytes = fstatSync(fd).size;
  return {
    fdForSpawn: () => {
      if (!open) throw new Error('the template this VM was to start from has been replaced');
      return fd;
    },
    sizeBytes,
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
