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
/** When the saved code was last edited (ms since the epoch): reconciling with the server's copy picks the newest. */
const editedAtKey = (lessonId: string): string => `jaillab.code-edited-at.v1:${lessonId}`;

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

export function saveCode(lessonId: string, code: string, editedAt: number = Date.now()): boolean {
  return write(codeKey(lessonId), code) && write(editedAtKey(lessonId), String(editedAt));
}

/** The saved code with its edit time (0 for code saved before edit times were kept). */
export function loadSavedVersion(lessonId: string): { source: string; editedAt: number } | null {
  const source = read(codeKey(lessonId));
  if (source === null) return null;
  const editedAt = Number(read(editedAtKey(lessonId)) ?? 0);
  return { source, editedAt: Number.isFinite(editedAt) ? editedAt : 0 };
}

export function loadCodeBeforeReset(lessonId: string): string | null {
  return read(beforeResetKey(lessonId));
}

export function saveCodeBeforeReset(lessonId: string, code: string | null): boolean {
  return write(beforeResetKey(lessonId), code);
}

/** Calls `listener` when another tab of this browser saves code for the lesson (the storage event). */
export function onCodeSavedElsewhere(lessonId: string, listener: (source: string) => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key === codeKey(lessonId) && e.newValue !== null) listener(e.newValue);
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}
