import { accessSync, chmodSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoData = resolve(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.data'));

/** Where JailLab keeps its state (database, instructor token) unless JAILLAB_DATA_DIR says otherwise. */
export function defaultDataDir(): string {
  return repoData;
}

/**
 * Where it keeps what can always be rebuilt (guest image, VM templates, compiled
 * probes) unless JAILLAB_CACHE_DIR says otherwise. Separate from the data
 * directory so tests can start from empty state and still share the caches.
 */
export function defaultCacheDir(): string {
  return join(repoData, 'cache');
}

/** A data directory the server cannot use: a start-up error in one sentence, not a stack trace. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/**
 * Makes sure the data directory exists, this user may write in it and nobody
 * else may read it, before
 * anything else starts (VMs, the database), so the operator gets one clear line.
 */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (!st.isDirectory()) throw new Error('it is not a directory');
    accessSync(dir, constants.W_OK | constants.X_OK);
    // Learners' code and tokens, the server's secrets: for the server's user only. A directory of this user
    // that others may read is tightened; one owned by someone else is theirs to decide (and left as it is).
    if (st.uid === process.getuid?.() && (st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new DataDirError(`the data directory ${dir} is not writable (${why}); set JAILLAB_DATA_DIR to a directory this user (uid ${process.getuid?.() ?? '?'}) can write`);
  }
}
