import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';

/**
 * Shown once the lesson is passed: where to go next (or that the course is done), and whether the solution helped.
 * A lesson that leaves some probes open on purpose passes with those escaping, so it does not claim "every probe".
 */
export function NextLesson({ next, withSolution = false, leavesProbesOpen = false }: { next: string | null; withSolution?: boolean; leavesProbesOpen?: boolean }) {
  return (
    <div className={`next-lesson${withSolution ? ' with-solution' : ''}`} data-testid="next-lesson" data-with-solution={withSolution} role="status">
      <span>
        {withSolution
          ? '✓ Passed with the solution: you had looked at it before this lesson passed (the outline and your instructor see it that way too).'
          : leavesProbesOpen
            ? '✓ Lesson passed: every probe this lesson closes is contained, and the jail still does its job.'
            : '✓ Lesson passed: every probe contained, and the jail still does its job.'}
      </span>
      {next ? (
        <Link href={lessonPath(next)} className="button button-primary" data-testid="next-lesson-link">
          Next lesson →
        </Link>
      ) : (
        <span>That was the last lesson of the course.</span>
      )}
    </div>
  );
}
