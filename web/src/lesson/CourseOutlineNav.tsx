import type { CourseOutline } from '@jaillab/protocol';
import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';
import { STATUS_LABEL, useProgress } from '../app/use-progress.js';
import './course-outline.css';

const STATUS_MARK = { 'not-started': '○', 'in-progress': '◐', passed: '✓' } as const;

/** The sidebar: chapters and their lessons, the current one marked, each with the learner's progress. */
export function CourseOutlineNav({ outline, currentLessonId }: { outline: CourseOutline; currentLessonId: string | null }) {
  const progress = useProgress();
  return (
    <nav className="course-outline" aria-label="Course">
      <ol className="outline-chapters">
        {outline.chapters.map((chapter, ci) => (
          <li key={chapter.id} className="outline-chapter">
            <h2 className="outline-chapter-title">
              <span className="outline-chapter-number">{ci + 1}</span> {chapter.title}
            </h2>
            <ol className="outline-lessons">
              {chapter.lessons.map((lesson) => {
                const current = lesson.id === currentLessonId;
                const status = progress[lesson.id] ?? 'not-started';
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
                    >
                      <span className={`outline-status status-${status}`} aria-hidden="true">
                        {STATUS_MARK[status]}
                      </span>
                      <span className="visually-hidden">{STATUS_LABEL[status]}: </span>
                      <span className="outline-lesson-title">{lesson.title}</span>
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
