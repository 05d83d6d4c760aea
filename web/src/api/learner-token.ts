import { LearnerToken } from '@jaillab/protocol';

/**
 * The anonymous learner's secret. The server makes one on the first `hello`
 * without a token; keeping it in localStorage is what lets the same browser be
 * the same learner tomorrow. It is never shown or sent anywhere but `hello`.
 */
const KEY = 'jaillab.learnerToken';

export function loadLearnerToken(): string | undefined {
  try {
    const token = localStorage.getItem(KEY);
    // A damaged value would make every hello fail validation: start afresh instead.
    return token !== null && LearnerToken.safeParse(token).success ? token : undefined;
  } catch {
    return undefined; // storage disabled: the server will make a new learner each time
  }
}

export function saveLearnerToken(token: string): void {
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // Storage disabled or full: this tab still works, the next one will be a new learner.
  }
}
