import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckTrace, Pos05Finding } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { FIRST_LESSON, LESSONS_DIR } from '../../test/lesson-sources.js';

const CLI = new URL('./main.ts', import.meta.url).pathname;
const starter = join(LESSONS_DIR, '01-first-jail', '01-a-jail-that-leaks', '_files', 'jail.c');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run jaillab -- run', () => {
  it('prints one JSON document with the accelerator, the compile result and every check', async () => {
    const r = await cli(['run', '--lesson', FIRST_LESSON, '--source', starter, '--json', '--server', inject('serverUrl')]);
    expect(r.code, r.stderr).toBe(1); // failed: the starter escapes
    const doc = JSON.parse(r.stdout) as { accelerator: string; compile: { ok: boolean }; checks: Array<{ id: string; verdict: string; evidence: string; output: string; exit: unknown }> };
    expect(doc.accelerator).toMatch(/^(kvm|tcg)$/);
    expect(doc.compile.ok).toBe(true);
    expect(doc.checks.map((c) => [c.id, c.verdict])).toEqual([
      ['cwd-outside', 'escaped'],
      ['read-data', 'passed'],
    ]);
    expect(doc.checks[0]!.evidence).toMatch(/SECRET-/);
    expect(doc.checks[0]!.output).toContain('jaillab-probe: started');
    // The escape replay and the POS05-C findings, as the run's events carried them.
    const traced = doc.checks[0] as unknown as { trace: CheckTrace; pos05: Pos05Finding[] };
    expect(traced.trace.steps.map((s) => s.call)).toContain('chroot');
    expect(traced.trace.highlights.secret).not.toBeNull();
    expect(traced.pos05.map((f) => f.rule)).toEqual(['chroot-without-chdir']);
  });

  it('--no-trace runs without the replay', async () => {
    const r = await cli(['run', '--lesson', FIRST_LESSON, '--source', starter, '--json', '--no-trace', '--server', inject('serverUrl')]);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { checks: Array<{ verdict: string; trace: unknown; pos05: unknown }> };
    expect(doc.checks.map((c) => [c.verdict, c.trace, c.pos05])).toEqual([
      ['escaped', null, null],
      ['passed', null, null],
    ]);
  });

  it('runs an instructor\'s own probe beside the lesson\'s, starting a private server when none is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jl-cli-'));
    const probe = join(dir, 'absolute-path.c');
    await writeFile(probe, '#include "probe.h"\nint main(int argc, char **argv) {\n  probe_start(argc, argv, "absolute-path");\n  return !probe_try_read("an absolute path", "/outside/secret");\n}\n');
    const r = await cli(['run', '--lesson', FIRST_LESSON, '--source', starter, '--probe', probe, '--json'], { JAILLAB_DATA_DIR: dir });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { checks: Array<{ id: string; verdict: string }> };
    expect(doc.checks.map((c) => [c.id, c.verdict])).toEqual([
      ['cwd-outside', 'escaped'],
      ['read-data', 'passed'],
      ['extra-absolute-path', 'contained'],
    ]);
  });

  it('explains its usage when called wrongly', async () => {
    const r = await cli(['run', '--lesson', FIRST_LESSON]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: npm run jaillab -- run');
  });
});
