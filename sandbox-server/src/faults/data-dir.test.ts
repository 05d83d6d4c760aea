import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A data directory the server cannot write is a start-up error in one clear
 * sentence (no stack trace), before any VM or database is touched. The real
 * entry point (src/main.ts) is started as an unprivileged user, as root
 * would write anywhere.
 */
const serverDir = fileURLToPath(new URL('../..', import.meta.url));
let base: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'jaillab-datadir-'));
  await chmod(base, 0o755);
  await mkdir(join(base, 'read-only'), { mode: 0o555 });
  await writeFile(join(base, 'a-file'), 'not a directory');
});
afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

function startServer(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups'] : [];
  const argv = [...asNobody, process.execPath, '--import', 'tsx', 'src/main.ts'];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: serverDir,
    env: { ...process.env, JAILLAB_DATA_DIR: dataDir, JAILLAB_CACHE_DIR: join(base, 'cache'), JAILLAB_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

describe('a data directory that cannot be written', () => {
  for (const [what, path] of [
    ['a read-only directory', 'read-only'],
    ['a directory that cannot be created', 'read-only/data'],
    ['a file in the way', 'a-file'],
  ] as const) {
    it(`stops the server at start with one clear line: ${what}`, async () => {
      const dir = join(base, path);
      const r = await startServer(dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`JailLab could not start: the data directory ${dir} is not writable`);
      expect(r.stderr).toMatch(/set JAILLAB_DATA_DIR to a directory this user \(uid \d+\) can write/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });
  }
});
