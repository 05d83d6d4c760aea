import { z } from 'zod';

/** Ten minutes without a keystroke closes a shell (its VM counts against the same limits as runs). */
export const DEFAULT_SHELL_IDLE_MS = 10 * 60_000;

/** JAILLAB_SHELL_IDLE_MS: how long a shell may go without input before it is closed (tests set it short). */
export function shellIdleTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = z.coerce.number().int().min(1000).max(24 * 3600_000).safeParse(env.JAILLAB_SHELL_IDLE_MS ?? DEFAULT_SHELL_IDLE_MS);
  if (!parsed.success) throw new Error(`bad configuration: JAILLAB_SHELL_IDLE_MS must be a number of milliseconds between 1000 and 86400000`);
  return parsed.data;
}
