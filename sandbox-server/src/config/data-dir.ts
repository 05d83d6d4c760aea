import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where JailLab keeps its state unless JAILLAB_DATA_DIR says otherwise: `.data/` at the repository root. */
export function defaultDataDir(): string {
  return resolve(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.data'));
}
