import { LearnerToken } from '@jaillab/protocol';
import { storedValue } from './stored-value.js';

/**
 * The anonymous learner's secret. The server makes one on the first `hello`
 * without a token; keeping it in localStorage is what lets the same browser be
 * the same learner tomorrow. It is never shown or sent anywhere but `hello`.
 */
const stored = storedValue('jaillab.learnerToken', LearnerToken);

export function loadLearnerToken(): string | undefined {
  return stored.load();
}

/** Kept for tomorrow; with storage disabled or full this tab still works, and the next one is a new learner. */
export function saveLearnerToken(token: string): void {
  stored.save(token);
}
