import type { CourseOutline } from '@jaillab/protocol';
import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';
import './course-outline.css';

/** The sidebar: chapters and their lessons, the current one marked. (Progress marks will go here.) */
export function CourseOutlineNav({ outline, currentLessonId }: { outline: CourseOutline; currentLessonId: string | null }) {
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
                return (
                  <li key={lesson.id}>
                    <Link href={lessonPath(lesson.id)} className={`outline-lesson${current ? ' current' : ''}`} aria-current={current ? 'page' : undefined} title={lesson.summary}>
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
