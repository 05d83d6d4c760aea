import type { LessonView } from '@jaillab/protocol';
import { useCallback, useEffect, useState } from 'react';
import { fetchLesson, HttpError } from '../api/http-api.js';
import type { Loadable } from '../app/use-outline.js';

/** One lesson from GET /api/lessons/<id>; `retry` after a failure. */
export function useLesson(lessonId: string): { lesson: Loadable<LessonView>; retry: () => void } {
  const [lesson, setLesson] = useState<Loadable<LessonView>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setLesson({ status: 'loading' });
    fetchLesson(lessonId, abort.signal).then(
      (value) => setLesson({ status: 'ready', value }),
      (e: Error) => {
        if (abort.signal.aborted) return;
        setLesson({ status: 'failed', message: e.message, notFound: e instanceof HttpError && e.status === 404 });
      },
    );
    return () => abort.abort();
  }, [lessonId, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { lesson, retry };
}
