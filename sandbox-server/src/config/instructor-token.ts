import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.js';

export const INSTRUCTOR_TOKEN_FILE = 'instructor-token';

/**
 * The instructor token: JAILLAB_INSTRUCTOR_TOKEN if set, otherwise a random one
 * kept in the data directory (mode 0600), where the CLI on the same machine
 * finds it. It is never sent to a browser.
 */
export async function loadInstructorToken(config: Config): Promise<string> {
  if (config.instructorToken) return config.instructorToken;
  const path = join(config.dataDir, INSTRUCTOR_TOKEN_FILE);
  if (existsSync(path)) {
    const token = (await readFile(path, 'utf8')).trim();
    if (token.length >= 16) return token;
  }
  const token = randomBytes(24).toString('base64url');
  await writeFile(path, token + '\n', { mode: 0o600 });
  return token;
}
