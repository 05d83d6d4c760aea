/**
 * SQLite answers SQLITE_BUSY (or LOCKED) when another connection holds the
 * write lock for longer than busy_timeout: an instructor's CLI, a backup, a
 * second server. A run's result must not be lost to that: try again a few
 * times, with growing pauses, off the run's own path.
 */
const BUSY = /^SQLITE_(BUSY|LOCKED)/;

export function isBusyError(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && BUSY.test((e as { code: string }).code);
}

export interface RetryOptions {
  attempts: number;
  firstDelayMs: number;
  onRetry?: (attempt: number, error: Error) => void;
}

export async function retryWhenBusy<T>(write: () => T, o: RetryOptions = { attempts: 6, firstDelayMs: 250 }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return write();
    } catch (e) {
      if (!isBusyError(e) || attempt >= o.attempts) throw e;
      o.onRetry?.(attempt, e as Error);
      await new Promise((r) => setTimeout(r, o.firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}
