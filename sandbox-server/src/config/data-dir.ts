import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
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
 * Makes sure the data directory exists and this user may write in it, before
 * anything else starts (VMs, the database), so the operator gets one clear line.
 */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('it is not a directory');
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new DataDirError(`the data directory ${dir} is not writable (${why}); set JAILLAB_DATA_DIR to a directory this user (uid ${process.getuid?.() ?? '?'}) can write`);
  }
}
