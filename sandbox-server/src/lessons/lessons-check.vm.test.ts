import { describe, expect, inject, it } from 'vitest';
import { LESSONS_DIR } from '../../test/lesson-sources.js';
import { JailLabClient } from '../client/jaillab-client.js';
import { lessonProblems, outcomesOf, type Program } from './lesson-verdicts.js';
import { loadCourse } from './load-lessons.js';

/**
 * lessons:check (also part of `npm test`): every lesson, for real, in VMs. The
 * starter must be escaped by exactly its starterEscapes, the solution must
 * contain every probe, and both must keep the service working. Lessons run
 * concurrently; the server's run queue decides how many VMs work at once.
 */
const course = await loadCourse(LESSONS_DIR);

describe('lessons:check', () => {
  it.concurrent.each(course.lessons.map((l) => [l.id, l] as const))('%s: the starter is broken as the lesson says, the solution holds', async (_id, lesson) => {
    const client = await JailLabClient.connect(inject('serverUrl'));
    try {
      const problems: string[] = [];
      for (const [program, source] of [['starter', lesson.starter], ['solution', lesson.solution]] as Array<[Program, string]>) {
        const r = await client.run(lesson.id, source);
        if (r.finished.outcome === 'compile-error') problems.push(`${lesson.id}: ${program}: does not compile`);
        else problems.push(...lessonProblems(lesson, program, outcomesOf(r.events)));
      }
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      client.close();
    }
  }, 600_000);
});
