/**
 * The id of the last run started from this tab, per lesson. After a reload the
 * page watches it again (the server keeps runs for a while and replays them from
 * the start), so a run in progress — or its verdicts — is not lost to F5.
 * Per tab on purpose (sessionStorage): another tab has its own runs.
 */
const key = (lessonId: string): string => `jaillab.last-run.v1:${lessonId}`;

export function loadLastRunId(lessonId: string): string | null {
  try {
    return sessionStorage.getItem(key(lessonId));
  } catch {
    return null;
  }
}

export function saveLastRunId(lessonId: string, runId: string | null): void {
  try {
    if (runId === null) sessionStorage.removeItem(key(lessonId));
    else sessionStorage.setItem(key(lessonId), runId);
  } catch {
    // Without storage a reload just starts with no run shown.
  }
}
