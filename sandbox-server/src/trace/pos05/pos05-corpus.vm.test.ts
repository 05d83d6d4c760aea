import { readFileSync } from 'node:fs';
import type { Pos05Rule } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { firstFindings } from '../../../test/first-findings.js';

/**
 * Issue #30: a finding must be true. Jail programs written in other styles
 * than the course's own, each with the findings a careful reader of its
 * source expects, in real VMs (first check of a run of the last lesson, which
 * holds a program to every rule). The self-verifying one proves its drop
 * with calls that can only fail, and must not be faulted for it.
 */
const LATE_LESSON = 'beyond-chroot/landlock';
const source = (name: string): string => readFileSync(new URL(`./corpus/${name}.c`, import.meta.url), 'utf8');

const CORPUS: Array<{ name: string; expected: Pos05Rule[]; why: string }> = [
  { name: 'cert-as-printed', expected: ['root-at-exec'], why: 'started by root, getuid() is 0: "dropping" to it keeps root' },
  { name: 'self-verifying-daemon', expected: [], why: 'every call that fails is one that may only fail once the drop is permanent' },
  { name: 'namespace-jail', expected: [], why: 'pivot_root() into its own mount namespace, then an ordinary user' },
  { name: 'checks-nothing', expected: ['not-permanent', 'setuid-before-setgid', 'unchecked-failure'], why: 'setuid() first, so setgid() fails, unseen, and gid 0 stays' },
];

describe('the POS05-C checker on jail programs written elsewhere', () => {
  it('gives each the findings a careful reader expects, and none to the one that proves its drop', async () => {
    const results = await Promise.all(CORPUS.map(async (c) => ({ c, got: (await firstFindings(LATE_LESSON, source(c.name))).rules.sort() })));
    const wrong = results.filter(({ c, got }) => got.join() !== [...c.expected].sort().join()).map(({ c, got }) => `${c.name} (${c.why}): expected [${c.expected.join(', ')}], got [${got.join(', ')}]`);
    expect(wrong, wrong.join('\n')).toEqual([]);
  }, 600_000);
});
