import type { CheckTrace, Pos05Rule } from '@jaillab/protocol';
import type { TraceFacts } from './trace-facts.js';

/** What one rule found: the step that shows it, and what the program did in its own values. */
export interface RuleHit {
  step: number | null;
  explanation: string;
}

/** One rule: null when the trace gives no evidence of breaking it. */
export type RuleCheck = (facts: TraceFacts, trace: CheckTrace) => RuleHit | null;

export type RuleChecks = Partial<Record<Pos05Rule, RuleCheck>>;

/** "step 4" as a learner counts them (from 1). */
export const stepName = (i: number): string => `step ${i + 1}`;

/** A call as the replay shows it: chroot("/jail"). */
export const callText = (s: { call: string; args: readonly string[] }): string => `${s.call}(${s.args.join(', ')})`;
