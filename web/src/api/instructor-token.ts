import { InstructorToken } from '@jaillab/protocol';
import { storedValue } from './stored-value.js';

/**
 * The instructor token, once an instructor typed it on /instructor. It is the
 * server's secret (printed where to find it by `npm start`), kept only in
 * this browser and sent only in `hello`; a learner's browser never has one.
 */
const stored = storedValue('jaillab.instructorToken', InstructorToken);

export function loadInstructorToken(): string | undefined {
  return stored.load();
}

/** null forgets it; not kept (storage disabled), the instructor types it again next time. */
export function saveInstructorToken(token: string | null): void {
  stored.save(token);
}
