import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    instructorToken: string;
  }
}

/**
 * One real JailLab server for all integration tests: real QEMU VMs from the
 * shared template cache, a throwaway data directory (empty database).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-test-data-'));
  const instructorToken = 'test-instructor-token-0123456789';
  const app = await createApp(
    loadConfig({ ...process.env, JAILLAB_DATA_DIR: dataDir, JAILLAB_ACCEL: process.env.JAILLAB_ACCEL ?? 'auto' }, { port: 0, poolSize: 2, maxConcurrentRuns: 2, instructorToken }),
    (line) => {
      if (process.env.JAILLAB_TEST_LOG) console.log(line);
    },
  );
  project.provide('serverUrl', app.url);
  project.provide('instructorToken', instructorToken);
  return async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
