import { describe, expect, inject, it } from 'vitest';
import { JailLabClient } from '../client/jaillab-client.js';
import { FIRST_LESSON, firstSolution, programThat } from '../../test/lesson-sources.js';
import { checkResult } from '../../test/run-result.js';

/**
 * Programs that misbehave are stopped by a limit, with a clear reason, and the
 * server goes on serving. Each runs in a real VM as the learner's jail program.
 */
async function runProgram(source: string, opts: { trace?: boolean } = {}) {
  const client = await JailLabClient.connect(inject('serverUrl'));
  try {
    return await client.run(FIRST_LESSON, source, opts);
  } finally {
    client.close();
  }
}

describe('limits', () => {
  it('a program that loops forever is stopped by the time limit', async () => {
    const r = await runProgram(programThat('for (;;) {}'));
    const c = checkResult(r, 'cwd-outside');
    expect(c).toMatchObject({ verdict: 'error', limit: 'time' });
    expect(c.reason).toMatch(/time limit \(\d+ s\)/);
    expect(r.finished.outcome).not.toBe('passed');
  });

  it.each([
    ['untraced', false],
    ['traced for the replay (every fork stops at the tracer)', true],
  ])('a fork bomb is stopped by the process limit, %s', async (_how, trace) => {
    const r = await runProgram(programThat('for (;;) fork();'), { trace });
    const c = checkResult(r, 'cwd-outside');
    expect(c.limit, c.reason).toBe('processes');
    expect(c.reason).toMatch(/process limit/);
  });

  it('a program that prints a gigabyte is stopped by the output limit, and only the limit arrives', async () => {
    const r = await runProgram(programThat('static char line[65536]; memset(line, \'x\', sizeof line); for (long i = 0; i < 16384; i++) fwrite(line, 1, sizeof line, stdout);'));
    const c = checkResult(r, 'cwd-outside');
    expect(c.limit).toBe('output');
    expect(c.reason).toMatch(/output limit/);
    expect(c.output.length).toBeGreaterThan(100_000);
    expect(c.output.length).toBeLessThanOrEqual(256 * 1024);
  });

  it('a program that eats memory is stopped by the memory limit', async () => {
    const r = await runProgram(programThat('for (;;) { char *p = malloc(1 << 20); if (p) memset(p, 1, 1 << 20); }'));
    expect(checkResult(r, 'cwd-outside')).toMatchObject({ limit: 'memory', reason: expect.stringMatching(/memory limit \(64 MiB\)/) });
  });

  it('after all that, the server still serves a good run', async () => {
    const r = await runProgram(firstSolution());
    expect(r.finished.outcome).toBe('passed');
  });
});
