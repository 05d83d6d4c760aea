import type { CheckInfo } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { initialRunState, runReducer } from '../run/run-state.js';
import { nextHint, relevantHints } from './hint-selection.js';

const checks: CheckInfo[] = [
  { index: 0, id: 'cwd-outside', kind: 'escape', title: 'cwd', summary: 's' },
  { index: 1, id: 'read-data', kind: 'service', title: 'data', summary: 's' },
];
const hints = [{ probe: 'cwd-outside', text: 'a' }, { probe: 'cwd-outside', text: 'b' }, { probe: 'read-data', text: 'c' }, { text: 'general' }];

function afterRun(verdicts: Array<'escaped' | 'contained' | 'passed' | 'failed'>, outcome: 'passed' | 'failed') {
  let s = initialRunState(checks);
  verdicts.forEach((verdict, index) => {
    s = runReducer(s, { type: 'event', event: { type: 'check-finished', index, verdict, evidence: null, reason: '', exit: { code: 0, signal: null }, limit: null, durationMs: 1 } });
  });
  return runReducer(s, { type: 'event', event: { type: 'finished', outcome, message: '', accelerator: 'tcg', durationMs: 1 } });
}

describe('hints', () => {
  it('offer nothing before a run, and the escaped probe\'s hints in order after one', () => {
    expect(relevantHints(hints, initialRunState(checks))).toEqual([]);
    const rel = relevantHints(hints, afterRun(['escaped', 'passed'], 'failed'));
    expect(rel).toEqual([0, 1, 3]);
    expect(nextHint(rel, new Set([0]))).toBe(1);
    expect(nextHint(rel, new Set([0, 1, 3]))).toBeNull();
  });

  it('offer the service check\'s hints when the jail stopped doing its job, and none after a pass', () => {
    expect(relevantHints(hints, afterRun(['contained', 'failed'], 'failed'))).toEqual([2, 3]);
    expect(relevantHints(hints, afterRun(['contained', 'passed'], 'passed'))).toEqual([]);
  });
});
