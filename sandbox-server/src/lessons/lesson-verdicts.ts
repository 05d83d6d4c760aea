import type { RunEvent, Verdict } from '@jaillab/protocol';
import type { Lesson } from './lesson.js';

/**
 * What lessons:check demands of a lesson's two programs. The starter must be
 * broken exactly the way the lesson says (the probes in starterEscapes escape,
 * every other probe is contained, the service still works), and the solution
 * must be escaped by exactly its solutionEscapes (the limits the lesson
 * teaches), contain every other probe and pass every service check. The lesson
 * that closes a solutionEscapes probe runs it too (the loader insists), so its
 * own check proves the probe closed there. Each problem names the lesson, the
 * program, the probe and what happened.
 */

export type Program = 'starter' | 'solution';

export interface CheckOutcome {
  probe: string;
  verdict: Verdict;
  reason: string;
}

export function expectedVerdict(lesson: Lesson, program: Program, probeId: string, kind: 'escape' | 'service'): Verdict {
  if (kind === 'service') return 'passed';
  const escapes = program === 'starter' ? lesson.meta.starterEscapes : lesson.meta.solutionEscapes.map((e) => e.probe);
  return escapes.includes(probeId) ? 'escaped' : 'contained';
}

/** The check outcomes of one run, by probe id, from its events. */
export function outcomesOf(events: readonly RunEvent[]): CheckOutcome[] {
  const created = events.find((e): e is Extract<RunEvent, { type: 'created' }> => e.type === 'created');
  const byIndex = new Map(created?.checks.map((c) => [c.index, c.id]) ?? []);
  return events
    .filter((e): e is Extract<RunEvent, { type: 'check-finished' }> => e.type === 'check-finished')
    .map((e) => ({ probe: byIndex.get(e.index) ?? `check ${e.index}`, verdict: e.verdict, reason: e.reason }));
}

export function lessonProblems(lesson: Lesson, program: Program, outcomes: readonly CheckOutcome[]): string[] {
  const problems: string[] = [];
  for (const check of lesson.checks) {
    const want = expectedVerdict(lesson, program, check.probe.id, check.kind);
    const got = outcomes.find((o) => o.probe === check.probe.id);
    if (!got) problems.push(`${lesson.id}: ${program}: ${check.probe.id}: never finished (expected ${want})`);
    else if (got.verdict !== want) problems.push(`${lesson.id}: ${program}: ${check.probe.id}: expected ${want}, got ${got.verdict} (${got.reason})`);
  }
  return problems;
}
