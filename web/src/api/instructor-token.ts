import { InstructorToken } from '@jaillab/protocol';

/**
 * The instructor token, once an instructor typed it on /instructor. It is the
 * server's secret (printed where to find it by `npm start`), kept only in
 * this browser and sent only in `hello`; a learner's browser never has one.
 */
const KEY = 'jaillab.instructorToken';

export function loadInstructorToken(): string | undefined {
  try {
    const t = localStorage.getItem(KEY);
    return t !== null && InstructorToken.safeParse(t).success ? t : undefined;
  } catch {
    return undefined;
  }
}

export function saveInstructorToken(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, token);
  } catch {
    // not kept: the instructor types it again next time
  }
}
