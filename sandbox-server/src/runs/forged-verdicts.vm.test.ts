import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { JailLabClient } from '../client/jaillab-client.js';
import { checkResult, type CheckFinished } from '../../test/run-result.js';
import { runProgram } from '../../test/run-program.js';

/**
 * Programs that want the grade without the work (the threat model in
 * docs/security.md): each builds no jail and fakes, hides, kills, filters or
 * replaces what a verdict could rest on. None may get "contained" or
 * "passed", with the replay on or off, and the reason says what it did. Each
 * runs in a real VM on lesson 1 (cwd-outside, then the read-data service).
 */
const FORGERS = fileURLToPath(new URL('../../test/programs/forgers', import.meta.url));
const COMMON = readFileSync(join(FORGERS, 'common.h'), 'utf8');
/** The learner's program is one file: the forgers' shared header goes in place. */
const forger = (name: string): string => readFileSync(join(FORGERS, `${name}.c`), 'utf8').replace('#include "common.h"', COMMON);

type Expect = Partial<Pick<CheckFinished, 'verdict'>> & { reason?: RegExp; not?: CheckFinished['verdict'] };
const cases: Record<string, { escape: Expect; service: Expect }> = {
  'prints-start-line': { escape: { verdict: 'error', reason: /exited with status 0 without starting the probe/ }, service: { verdict: 'failed', reason: /without starting the service/ } },
  'prints-ticket': { escape: { verdict: 'error', reason: /without starting the probe/ }, service: { verdict: 'failed', reason: /printed the ticket itself/ } },
  // Its ptrace fails (the agent traces every process) and the real probe runs unjailed: it escapes.
  'kills-probe': { escape: { verdict: 'escaped' }, service: { not: 'passed' } },
  // The sibling is held from the probe's exec on: it never gets to stop or kill it.
  'stops-probe': { escape: { verdict: 'escaped' }, service: { not: 'passed' } },
  'filters-output': { escape: { verdict: 'error', reason: /another stdout than the check's terminal \(pipe:/ }, service: { verdict: 'failed', reason: /another stdout/ } },
  'replaces-probe': { escape: { verdict: 'error', reason: /which is not the probe/ }, service: { verdict: 'failed', reason: /which is not the service/ } },
  // Held while the probe runs, it deletes the proof only after the agent has read it; the secret was seen anyway.
  'deletes-proof': { escape: { verdict: 'escaped' }, service: { not: 'passed' } },
  'hides-secret': { escape: { verdict: 'error', reason: /removed or hid \/outside\/secret before it started the probe/ }, service: { not: 'passed' } },
  'mounts-over-outside': { escape: { verdict: 'error', reason: /mounted, unmounted or remounted something on \/ or \/outside/ }, service: { not: 'passed' } },
};

function expectCheck(c: CheckFinished, want: Expect): void {
  expect(c.verdict).not.toBe('contained');
  if (want.verdict) expect(c.verdict, c.reason).toBe(want.verdict);
  if (want.not) expect(c.verdict, c.reason).not.toBe(want.not);
  if (want.reason) expect(c.reason).toMatch(want.reason);
}

describe('a verdict no program can forge', () => {
  it('has a case for every forger in test/programs/forgers', () => {
    const files = readdirSync(FORGERS).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).filter((f) => f !== 'prints-secret-itself');
    expect(files.sort()).toEqual(Object.keys(cases).sort());
  });

  for (const trace of [true, false]) {
    for (const [name, want] of Object.entries(cases)) {
      it(`${name} (${trace ? 'traced' : 'untraced'}) gets no contained and no passed`, async () => {
        const r = await runProgram(forger(name), { trace });
        const escape = checkResult(r, 'cwd-outside');
        const service = checkResult(r, 'read-data');
        expectCheck(escape, want.escape);
        expect(service.verdict).not.toBe('passed');
        expectCheck(service, want.service);
      });
    }
  }

  it('a program that prints the secret itself is told that is no escape; its proper jail still holds', async () => {
    const r = await runProgram(forger('prints-secret-itself'), { trace: false });
    expect(checkResult(r, 'cwd-outside')).toMatchObject({ verdict: 'contained', reason: expect.stringMatching(/your program printed the secret itself before it started the probe/) });
    expect(checkResult(r, 'read-data').verdict).toBe('passed');
  });

  it('on the capstone, printing every probe\'s lines and the ticket passes nothing', async () => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    try {
      const r = await client.run('capstone/a-jail-that-holds', forger('prints-ticket'), { trace: false });
      const verdicts = r.events.filter((e): e is CheckFinished => e.type === 'check-finished').map((e) => e.verdict);
      expect(verdicts.length).toBe(19);
      expect(verdicts.filter((v) => v === 'contained' || v === 'passed')).toEqual([]);
      expect(r.events.find((e) => e.type === 'finished')).toMatchObject({ outcome: expect.not.stringMatching(/^passed$/) });
    } finally {
      client.close();
    }
  });
});
