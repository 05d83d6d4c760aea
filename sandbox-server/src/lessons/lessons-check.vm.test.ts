import type { RunEvent } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { JailLabClient } from '../client/jaillab-client.js';
import { lessonProblems, outcomesOf, type Program } from './lesson-verdicts.js';
import { loadCourse } from './load-lessons.js';
import { escapeProblems } from '../../test/escape-steps.js';

/**
 * lessons:check (also part of `npm test`): every lesson, for real, in VMs. The
 * starter must be escaped by exactly its starterEscapes, the solution must
 * contain every probe, and both must keep the service working. Lessons run
 * concurrently; the server's run queue decides how many VMs work at once.
 * Every run is traced (issue 16): each escape of the starter must show in its
 * replay the steps that make it (test/escape-steps.ts), and the POS05-C
 * checker must find nothing in any check of the solution.
 */
const course = await loadCourse(LESSONS_DIR);

/** The replays of the starter's escapes, and the checker's silence on the solution. */
function traceProblems(probes: string[], program: Program, events: RunEvent[]): string[] {
  const problems: string[] = [];
  for (const e of events) {
    if (e.type === 'check-findings' && program === 'solution' && e.findings.length) problems.push(`solution: ${probes[e.index]}: POS05-C findings ${e.findings.map((f) => `${f.rule} (step ${f.step})`).join(', ')}`);
    if (e.type !== 'check-trace' || program !== 'starter') continue;
    const finished = events.find((f): f is Extract<RunEvent, { type: 'check-finished' }> => f.type === 'check-finished' && f.index === e.index);
    if (finished?.verdict === 'escaped') problems.push(...escapeProblems(probes[e.index]!, e.trace).map((p) => `starter: ${p}`));
  }
  if (!events.some((e) => e.type === 'check-trace')) problems.push(`${program}: the run sent no replay`);
  return problems;
}

describe('lessons:check', () => {
  it.concurrent.each(course.lessons.map((l) => [l.id, l] as const))('%s: the starter is broken as the lesson says, the solution holds', async (_id, lesson) => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    try {
      const problems: string[] = [];
      for (const [program, source] of [['starter', lesson.starter], ['solution', lesson.solution]] as Array<[Program, string]>) {
        const r = await client.run(lesson.id, source);
        if (r.finished.outcome === 'compile-error') problems.push(`${lesson.id}: ${program}: does not compile`);
        else problems.push(...lessonProblems(lesson, program, outcomesOf(r.events)), ...traceProblems(lesson.checks.map((c) => c.probe.id), program, r.events));
      }
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      client.close();
    }
  }, 600_000);
});
