import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../src/config/config.js';
import { type App, createApp } from '../src/server.js';

/**
 * A real JailLab server inside the test's own process, for tests that must
 * reach into it (its QEMU processes, its memory) or that would disturb the
 * shared one (filling an address's socket quota). Same caches, own data dir.
 */
export async function startOwnServer(overrides: Partial<Config> = {}, log: (line: string) => void = () => {}): Promise<App & { logs: string[]; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-own-data-'));
  const logs: string[] = [];
  const app = await createApp(
    loadConfig({ ...process.env, JAILLAB_DATA_DIR: dataDir }, {
      port: 0,
      poolSize: 1,
      maxConcurrentRuns: 1,
      instructorToken: 'own-server-instructor-token-0123',
      // Tests open many new learners from 127.0.0.1 in seconds; what the budgets do is tested on their own.
      identityBudgets: { newLearners: { burst: 10_000, perMinute: 10_000 }, newMembers: { burst: 10_000, perMinute: 10_000 } },
      ...overrides,
    }),
    (line) => {
      logs.push(line);
      log(line);
    },
  );
  return {
    ...app,
    logs,
    async stop() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
