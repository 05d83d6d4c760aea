import { useEffect } from 'react';
import { Link } from '../app/Link.js';
import { LoadFailure } from '../ui/LoadFailure.js';
import { LessonWorkspace } from './LessonWorkspace.js';
import { useLesson } from './use-lesson.js';

/** /lessons/<id>: loads the lesson, then shows its workspace (or why it cannot). */
export function LessonPage({ lessonId }: { lessonId: string }) {
  const { lesson, retry } = useLesson(lessonId);

  useEffect(() => {
    document.title = lesson.status === 'ready' ? `${lesson.value.title} · JailLab` : 'JailLab';
  }, [lesson]);

  if (lesson.status === 'loading') return <div className="page-message" aria-busy="true">Loading the lesson…</div>;
  if (lesson.status === 'failed') {
    if (lesson.notFound)
      return (
        <div className="page-message" role="alert">
          <h1>No such lesson</h1>
          <p>
            There is no lesson <code>{lessonId}</code>. <Link href="/">Go to the first lesson</Link> or pick one from the course outline.
          </p>
        </div>
      );
    return <LoadFailure what="this lesson" message={lesson.message} onRetry={retry} />;
  }
  return <LessonWorkspace key={lesson.value.id} lesson={lesson.value} />;
}
