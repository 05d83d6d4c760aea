import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_SECRET_FILE = 'server-secret';

/**
 * The server's own key for HMACs (member keys at rest, door passes): 32 random
 * bytes made on first start and kept in the data directory, mode 0600. A copy
 * of the database alone then does not let anyone test member keys offline.
 * Losing the file makes every member key and door pass stale (members rejoin
 * from their own browser, which needs neither), nothing worse.
 */
export function loadServerSecret(dataDir: string): Buffer {
  const path = join(dataDir, SERVER_SECRET_FILE);
  if (existsSync(path)) {
    const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
    if (secret.byteLength >= 32) return secret;
  }
  const secret = randomBytes(32);
  writeFileSync(path, secret.toString('base64url') + '\n', { mode: 0o600 });
  return secret;
}
