/**
 * The learner's code lives in localStorage, per lesson, saved on every change:
 * closing the tab, a crash or a server restart never loses it. "Reset to
 * starter" first moves the replaced code to a second slot, so it can be
 * restored (and restoring swaps back, so nothing is ever dropped silently).
 *
 * Keys carry a version so a future format can move old entries over.
 */
const codeKey = (lessonId: string): string => `jaillab.code.v1:${lessonId}`;
const beforeResetKey = (lessonId: string): string => `jaillab.code-before-reset.v1:${lessonId}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Returns false when the browser refused to store (storage disabled or full). */
function write(key: string, value: string | null): boolean {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function loadSavedCode(lessonId: string): string | null {
  return read(codeKey(lessonId));
}

export function saveCode(lessonId: string, code: string): boolean {
  return write(codeKey(lessonId), code);
}

export function loadCodeBeforeReset(lessonId: string): string | null {
  return read(beforeResetKey(lessonId));
}

export function saveCodeBeforeReset(lessonId: string, code: string | null): boolean {
  return write(beforeResetKey(lessonId), code);
}
