import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Removes all but the `keep` newest entries of a cache folder whose names start
 * with `prefix`. Keeping more than one lets a server still running the previous
 * version of the code finish what it is doing.
 */
export async function pruneOldEntries(dir: string, prefix: string, keep: number): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  const withTimes = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })));
  withTimes.sort((a, b) => b.t - a.t);
  for (const { n } of withTimes.slice(keep)) await rm(join(dir, n), { recursive: true, force: true });
}
