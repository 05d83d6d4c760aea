import type { Hint } from '@jaillab/protocol';
import type { RunState } from '../run/run-state.js';

/**
 * Which hints a learner may reveal now: the general ones, and those keyed to a
 * check that went wrong in the last run (a probe that escaped, a service check
 * that failed). Order is the lesson's: hints are progressive.
 */
export function relevantHints(hints: Hint[], state: RunState): number[] {
  const wrong = new Set<string>();
  for (const r of state.results) if (r && (r.verdict === 'escaped' || r.verdict === 'failed')) wrong.add(state.checks[r.index]?.id ?? '');
  const out: number[] = [];
  hints.forEach((h, i) => {
    if (h.probe === undefined ? state.finished !== null && state.finished.outcome !== 'passed' : wrong.has(h.probe)) out.push(i);
  });
  return out;
}

/** The next hint to reveal, or null when every relevant one is shown. */
export function nextHint(relevant: number[], revealed: ReadonlySet<number>): number | null {
  return relevant.find((i) => !revealed.has(i)) ?? null;
}
