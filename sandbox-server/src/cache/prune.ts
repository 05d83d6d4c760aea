import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/** A server touches the cache entries it uses this often… */
export const IN_USE_TOUCH_MS = 5 * 60_000;
/** …and an entry touched more recently than this is in use by someone: never pruned. */
const IN_USE_WITHIN_MS = 3 * IN_USE_TOUCH_MS;

/**
 * Removes all but the `keep` newest entries of a cache folder whose names start
 * with `prefix`. Keeping more than one lets a server still running the previous
 * version of the code finish what it is doing; an entry a running server has
 * touched lately (see touchInUse) is kept whatever its age, because deleting a
 * guest image or template under a running server leaves it unable to start VMs.
 */
export async function pruneOldEntries(dir: string, prefix: string, keep: number, now = Date.now()): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  const withTimes = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })));
  withTimes.sort((a, b) => b.t - a.t);
  for (const { n, t } of withTimes.slice(keep)) if (now - t > IN_USE_WITHIN_MS) await rm(join(dir, n), { recursive: true, force: true });
}

/** Marks cache entries as in use (their mtime) until the returned function is called. */
export function touchInUse(paths: () => string[]): () => void {
  const touch = (): void => {
    const t = new Date();
    for (const p of paths()) void utimes(p, t, t).catch(() => {});
  };
  touch();
  const timer = setInterval(touch, IN_USE_TOUCH_MS);
  timer.unref();
  return () => clearInterval(timer);
}
