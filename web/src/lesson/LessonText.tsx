import type { LessonView } from '@jaillab/protocol';
import type { MouseEvent } from 'react';
import { Link } from '../app/Link.js';
import { followLink, lessonPath } from '../app/router.js';
import './lesson-text.css';

/**
 * The lesson's text. LessonView.html is rendered by our own server from the
 * course's markdown (trusted content, not learner input), so it is inserted
 * as HTML. Links to other lessons inside it route within the page.
 */
export function LessonText({ lesson }: { lesson: LessonView }) {
  const onClick = (e: MouseEvent<HTMLElement>) => {
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href');
    if (href?.startsWith('/lessons/')) followLink(e, href);
  };
  return (
    // tabIndex -1: F6 brings focus here (use-pane-keys.ts), and the skip link's target is inside.
    <article className="lesson-text" id="lesson-text" aria-labelledby="lesson-title" tabIndex={-1}>
      <p className="lesson-chapter">{lesson.chapterTitle}</p>
      {/* The html has its own <h1>; this id names the article for screen readers. */}
      <div id="lesson-title" className="visually-hidden">
        {lesson.title}
      </div>
      <div className="lesson-html" onClick={onClick} dangerouslySetInnerHTML={{ __html: lesson.html }} />
      {(lesson.previous || lesson.next) && (
        <nav className="lesson-pager" aria-label="Lessons">
          {lesson.previous ? (
            <Link href={lessonPath(lesson.previous)} rel="prev">
              ← Previous lesson
            </Link>
          ) : (
            <span />
          )}
          {lesson.next && (
            <Link href={lessonPath(lesson.next)} rel="next">
              Next lesson →
            </Link>
          )}
        </nav>
      )}
    </article>
  );
}
