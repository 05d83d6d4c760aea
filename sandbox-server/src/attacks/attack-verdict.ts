import type { AttackVerdict, RunEvent } from '@jaillab/protocol';

/**
 * What one student's run against a fired probe says of their jail. The run
 * has one check (the probe); its verdict is the answer. A run that never got
 * to the probe — the jail did not compile, the VM failed, it was cancelled —
 * says nothing about the jail, and is an error with the run's own words.
 */
export function attackVerdictOf(events: readonly RunEvent[]): { verdict: AttackVerdict; reason: string } {
  const check = events.find((e): e is Extract<RunEvent, { type: 'check-finished' }> => e.type === 'check-finished' && e.index === 0);
  if (check?.verdict === 'escaped' || check?.verdict === 'contained') return { verdict: check.verdict, reason: check.reason };
  const finished = events.find((e): e is Extract<RunEvent, { type: 'finished' }> => e.type === 'finished');
  if (finished?.outcome === 'compile-error') return { verdict: 'error', reason: 'their jail program does not compile' };
  if (check) return { verdict: 'error', reason: check.reason };
  return { verdict: 'error', reason: finished?.message ?? 'the run did not finish' };
}
