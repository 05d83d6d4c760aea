import { CourseOutline, LessonView } from '@jaillab/protocol';

/**
 * The read-only HTTP API (GET /api/...): the course outline and one lesson.
 * (A lesson's solution comes over the socket, where looking at it is
 * recorded.) Every answer is checked against the protocol's schemas before
 * the page uses it.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Lesson ids contain slashes that are part of the path: encode each segment, keep the slashes. */
function lessonPath(lessonId: string): string {
  return lessonId.split('/').map(encodeURIComponent).join('/');
}

async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new HttpError(0, 'the JailLab server cannot be reached');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
    throw new HttpError(res.status, typeof body?.error === 'string' ? body.error : `the server answered ${res.status}`);
  }
  return res.json();
}

export async function fetchOutline(signal?: AbortSignal): Promise<CourseOutline> {
  const parsed = CourseOutline.safeParse(await getJson('/api/lessons', signal));
  if (!parsed.success) throw new HttpError(0, 'the course outline from the server is not in the expected shape');
  return parsed.data;
}

export async function fetchLesson(lessonId: string, signal?: AbortSignal): Promise<LessonView> {
  const parsed = LessonView.safeParse(await getJson(`/api/lessons/${lessonPath(lessonId)}`, signal));
  if (!parsed.success) throw new HttpError(0, 'the lesson from the server is not in the expected shape');
  return parsed.data;
}


