/**
 * How long to wait before reconnect attempt `attempt` (0 = the first retry):
 * 0.5 s doubling up to 15 s, with ±25 % jitter so a classroom of tabs does not
 * hammer a restarting server in lockstep.
 */
export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 15_000;

export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}
