import type { Pos05Finding } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { runFindings } from './FindingsList.js';

const finding = (rule: Pos05Finding['rule'], step: number): Pos05Finding => ({ rule, title: rule, explanation: 'x', step, lesson: null });

describe("a run's findings", () => {
  it('lists each rule once, from the first check that found it, with that check for its step', () => {
    const f = runFindings([{ findings: [finding('dir-fd-leak', 3)] }, undefined, { findings: [finding('dir-fd-leak', 5), finding('root-at-exec', 2)] }]);
    expect(f.map((x) => [x.rule, x.checkIndex, x.step])).toEqual([
      ['dir-fd-leak', 0, 3],
      ['root-at-exec', 2, 2],
    ]);
  });
});
