import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Lesson } from '../src/lessons/lesson.js';
import type { ProbeBinary } from '../src/compile/probe-binaries.js';

/**
 * The floor for one run: the same jail program and probes, run natively on the
 * host as root of a throwaway namespace (bubblewrap: new user, mount, pid,
 * network namespaces; the world bind-mounted as its root), with the same world
 * layout as the guest: /jail, /outside/secret, the program in
 * /usr/local/sbin/jailer, cwd /root.
 */
export async function runNatively(lesson: Lesson, program: Buffer, probes: Map<string, ProbeBinary>): Promise<number> {
  const started = performance.now();
  for (const check of lesson.checks) {
    const world = await mkdtemp(join(tmpdir(), 'jl-native-'));
    try {
      for (const e of lesson.tree) {
        const p = join(world, 'jail', e.path);
        if (e.kind === 'dir') await mkdir(p, { recursive: true });
        else if (e.kind === 'file') {
          await mkdir(dirname(p), { recursive: true });
          await writeFile(p, e.data, { mode: e.mode });
        }
      }
      await mkdir(join(world, 'jail', 'bin'), { recursive: true });
      await writeFile(join(world, 'jail', 'bin', check.probe.id), probes.get(check.probe.id)!.probe, { mode: 0o755 });
      for (const plant of check.probe.meta.plant) {
        await mkdir(dirname(join(world, 'jail', plant)), { recursive: true });
        await writeFile(join(world, 'jail', plant), `ticket-${randomBytes(8).toString('hex')}\n`);
      }
      await mkdir(join(world, 'outside'), { recursive: true });
      await writeFile(join(world, 'outside', 'secret'), `SECRET-${randomBytes(12).toString('hex')}\n`);
      await mkdir(join(world, 'usr', 'local', 'sbin'), { recursive: true });
      await mkdir(join(world, 'root'), { recursive: true });
      await writeFile(join(world, 'usr', 'local', 'sbin', 'jailer'), program);
      await chmod(join(world, 'usr', 'local', 'sbin', 'jailer'), 0o755);
      await new Promise<void>((resolve) => {
        execFile(
          'bwrap',
          ['--unshare-all', '--cap-add', 'ALL', '--bind', world, '/', '--dev', '/dev', '--proc', '/proc', '--chdir', '/root', '--die-with-parent', '/usr/local/sbin/jailer', '/jail', `/bin/${check.probe.id}`, 'nonce'],
          { timeout: 10_000 },
          () => resolve(),
        );
      });
    } finally {
      await rm(world, { recursive: true, force: true });
    }
  }
  return performance.now() - started;
}
