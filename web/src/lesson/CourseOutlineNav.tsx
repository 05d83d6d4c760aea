import type { CourseOutline, WorkshopView } from '@jaillab/protocol';
import { useConnection } from '../app/connection.js';
import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';
import { STATUS_LABEL, useProgress } from '../app/use-progress.js';
import { LockIcon } from '../ui/icons.js';
import './course-outline.css';

const STATUS_MARK = { 'not-started': '○', 'in-progress': '◐', passed: '✓' } as const;

/**
 * The sidebar: chapters and their lessons, the current one marked, each with the learner's progress
 * (a pass after looking at the solution says so). In a workshop, its lessons only, locked ones marked.
 */
export function CourseOutlineNav({ outline, currentLessonId, workshop = null }: { outline: CourseOutline; currentLessonId: string | null; workshop?: WorkshopView | null }) {
  const progress = useProgress();
  const { workspace } = useConnection();
  const inWorkshop = workshop ? new Map(workshop.lessons.map((l) => [l.id, l.open])) : null;
  const chapters = inWorkshop ? outline.chapters.map((c) => ({ ...c, lessons: c.lessons.filter((l) => inWorkshop.has(l.id)) })).filter((c) => c.lessons.length > 0) : outline.chapters;
  return (
    <nav className="course-outline" aria-label="Course">
      <ol className="outline-chapters">
        {chapters.map((chapter, ci) => (
          <li key={chapter.id} className="outline-chapter">
            <h2 className="outline-chapter-title">
              <span className="outline-chapter-number">{ci + 1}</span> {chapter.title}
            </h2>
            <ol className="outline-lessons">
              {chapter.lessons.map((lesson) => {
                const current = lesson.id === currentLessonId;
                const status = progress[lesson.id] ?? 'not-started';
                const locked = inWorkshop?.get(lesson.id) === false;
                const withSolution = status === 'passed' && workspace.passedWithSolution(lesson.id);
                return (
                  <li key={lesson.id}>
                    <Link
                      href={lessonPath(lesson.id)}
                      className={`outline-lesson status-${status}${current ? ' current' : ''}`}
                      aria-current={current ? 'page' : undefined}
                      title={lesson.summary}
                      data-testid="outline-lesson"
                      data-lesson-id={lesson.id}
                      data-status={status}
                      data-locked={locked || undefined}
                    >
                      <span className={`outline-status status-${status}${withSolution ? ' with-solution' : ''}`} aria-hidden="true" title={withSolution ? 'passed with the solution' : undefined}>
                        {locked ? <LockIcon /> : STATUS_MARK[status]}
                      </span>
                      <span className="visually-hidden">
                        {locked ? 'locked by your instructor: ' : ''}
                        {withSolution ? 'passed with the solution' : STATUS_LABEL[status]}:{' '}
                      </span>
                      <span className="outline-lesson-title">
                        {lesson.title}
                        {/* The lock in words too, for eyes (the hidden text above says it to screen readers). */}
                        {locked && (
                          <span className="outline-locked" aria-hidden="true">
                            locked
                          </span>
                        )}
                      </span>
                      <span className="outline-lesson-summary">{lesson.summary}</span>
                    </Link>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </nav>
  );
}
