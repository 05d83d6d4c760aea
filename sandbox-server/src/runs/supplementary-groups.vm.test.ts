import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { JailLabClient } from '../client/jaillab-client.js';
import { outcomesOf } from '../lessons/lesson-verdicts.js';

/**
 * "setgid() leaves the supplementary groups; setgroups(0, NULL) clears them": a trap only where the jail
 * program starts with some. The dropping-privileges lesson starts it as root from a login shell does (group 0
 * among its supplementary groups); other lessons start it with none, as the agent itself runs. The same
 * program — the lesson's solution without its setgroups() — must be escaped by root-comes-back in the first
 * world and contained in the second.
 */
const solution = readFileSync(join(LESSONS_DIR, '02-root-in-the-jail', '02-dropping-privileges', '_solution', 'jail.c'), 'utf8');
const withoutSetgroups = solution.replace('setgroups(0, NULL) != 0 || ', '');

const rootComesBack = async (lessonId: string): Promise<{ verdict: string; reason: string }> => {
  const client = await JailLabClient.connect(inject('serverUrl'));
  try {
    const r = await client.run(lessonId, withoutSetgroups);
    const outcome = outcomesOf(r.events).find((o) => o.probe === 'root-comes-back');
    if (!outcome) throw new Error(`${lessonId}: root-comes-back never finished (${r.finished.outcome}: ${r.finished.message})`);
    return outcome;
  } finally {
    client.close();
  }
};

describe('supplementary groups of the jail program', () => {
  it('the program under test is the solution with its setgroups() taken out', () => {
    expect(withoutSetgroups).not.toBe(solution);
    expect(withoutSetgroups).not.toMatch(/setgroups\(/);
  });

  it('dropping-privileges starts it with group 0: a jail that never calls setgroups() is escaped', async () => {
    expect((await rootComesBack('root-in-the-jail/dropping-privileges')).verdict).toBe('escaped');
  }, 300_000);

  it('a lesson that states no groups starts it with none: the same jail is contained there', async () => {
    const r = await rootComesBack('root-in-the-jail/device-nodes');
    expect(r.verdict, r.reason).toBe('contained');
  }, 300_000);
});
