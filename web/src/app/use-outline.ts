import type { CourseOutline } from '@jaillab/protocol';
import { useCallback, useEffect, useState } from 'react';
import { fetchOutline } from '../api/http-api.js';

export type Loadable<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; message: string; notFound: boolean };

/** The course outline (chapters and lessons), loaded once; `retry` after a failure. */
export function useOutline(): { outline: Loadable<CourseOutline>; retry: () => void } {
  const [outline, setOutline] = useState<Loadable<CourseOutline>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setOutline({ status: 'loading' });
    fetchOutline(abort.signal).then(
      (value) => setOutline({ status: 'ready', value }),
      (e: Error) => {
        if (!abort.signal.aborted) setOutline({ status: 'failed', message: e.message, notFound: false });
      },
    );
    return () => abort.abort();
  }, [attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { outline, retry };
}
