import { timingSafeEqual } from 'node:crypto';
import { MAX_SOURCE_BYTES, type ServerMessage } from '@jaillab/protocol';
import { DEFAULT_LIMITS } from '../lessons/lesson.js';
import type { Learner, Store } from '../store/store.js';
import type { RunExecutor } from '../execution/run-executor.js';

export interface HelloDeps {
  store: Store;
  executor: Pick<RunExecutor, 'capacity'>;
  instructorToken: string;
}

export type Greeting = { ok: true; learner: Learner; instructor: boolean; welcome: Extract<ServerMessage, { type: 'welcome' }> } | { ok: false; code: 'forbidden' | 'rate-limited'; message: string };

/** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

/**
 * A socket's `hello`: who this is (the learner whose token it brings, or a new
 * one, if `mayCreate` allows), and whether it holds the instructor token. A wrong instructor token
 * is refused outright rather than quietly downgraded, so a mistyped token is
 * noticed.
 */
export function greet(learnerToken: string | undefined, instructorToken: string | undefined, d: HelloDeps, mayCreate: () => string | null = () => null): Greeting {
  if (instructorToken !== undefined && !sameToken(instructorToken, d.instructorToken)) return { ok: false, code: 'forbidden', message: 'wrong instructor token' };
  let learner = learnerToken ? d.store.findLearner(learnerToken) : null;
  let newToken: string | undefined;
  if (!learner) {
    // A new learner is a row kept for good and a queue place of its own: one address may make only so many.
    const refusal = mayCreate();
    if (refusal) return { ok: false, code: 'rate-limited', message: refusal };
    const created = d.store.createLearner();
    learner = created.learner;
    newToken = created.token;
  }
  const instructor = instructorToken !== undefined;
  return {
    ok: true,
    learner,
    instructor,
    welcome: {
      type: 'welcome',
      learnerId: learner.id,
      ...(newToken ? { learnerToken: newToken } : {}),
      instructor,
      accelerator: d.executor.capacity().accelerator,
      limits: {
        maxSourceBytes: MAX_SOURCE_BYTES,
        wallTimeMsPerCheck: DEFAULT_LIMITS.wallTimeMs,
        memoryBytes: DEFAULT_LIMITS.memoryBytes,
        processes: DEFAULT_LIMITS.processes,
        outputBytesPerCheck: DEFAULT_LIMITS.outputBytes,
      },
    },
  };
}
