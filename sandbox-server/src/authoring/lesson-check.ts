import type { LessonCheckReport } from '@jaillab/protocol';
import type { Lesson } from '../lessons/lesson.js';
import { expectedVerdict, lessonProblems, outcomesOf, type Program } from '../lessons/lesson-verdicts.js';
import type { Run } from '../runs/run.js';
import type { RunService } from '../runs/run-service.js';

/**
 * lessons:check for one lesson, from the probe editor: the starter and the
 * solution each run against every check of the lesson (as it is loaded now,
 * with a probe just kept), and are held to what the lesson declares — the
 * same rule (lesson-verdicts.ts) as `npm run lessons:check`. The runs wait
 * below every student's own Run: an instructor checking a lesson in the
 * middle of a class takes no slot a student is waiting for.
 */
export async function checkLesson(runs: Pick<RunService, 'startDetached'>, owner: string, lesson: Lesson): Promise<LessonCheckReport> {
  const runOf = (program: Program): Promise<Run> =>
    new Promise((resolve) => runs.startDetached(owner, lesson, program === 'starter' ? lesson.starter : lesson.solution, lesson.checks, resolve, { background: true }));
  const [starter, solution] = await Promise.all([runOf('starter'), runOf('solution')]);
  const programs = ([['starter', starter], ['solution', solution]] as const).map(([program, run]) => {
    const outcomes = outcomesOf(run.log.events());
    return {
      program,
      outcomes,
      checks: lesson.checks.map((c) => {
        const got = outcomes.find((o) => o.probe === c.probe.id);
        return { probe: c.probe.id, verdict: got?.verdict ?? 'not run', expected: expectedVerdict(lesson, program, c.probe.id, c.kind), reason: got?.reason ?? `the run ended: ${run.outcome ?? 'unknown'}` };
      }),
    };
  });
  const problems = programs.flatMap((p) => lessonProblems(lesson, p.program, p.outcomes));
  return { lessonId: lesson.id, ok: problems.length === 0, problems, programs: programs.map(({ program, checks }) => ({ program, checks })) };
}
