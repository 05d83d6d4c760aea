import type { LessonStatus } from '@jaillab/protocol';

export type { LessonStatus };

/**
 * A lesson's status from what the learner did: passed once any run passed (a
 * later failing run does not take it away: the learner has shown they can),
 * in progress once they saved code or ran it, otherwise not started.
 */
export function lessonStatus(before: LessonStatus | undefined, seen: { touched: boolean; passed: boolean }): LessonStatus {
  if (before === 'passed' || seen.passed) return 'passed';
  if (before === 'in-progress' || seen.touched) return 'in-progress';
  return 'not-started';
}
