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
