import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';

/** Shown once the lesson is passed: where to go next (or that the course is done). */
export function NextLesson({ next }: { next: string | null }) {
  return (
    <div className="next-lesson" data-testid="next-lesson" role="status">
      <span>✓ Lesson passed: every probe contained, and the jail still does its job.</span>
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
