import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config/config.js';
import { createApp } from '../src/server.js';
import { runsLeakingSecret } from './host-canary.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    instructorToken: string;
    /** A secret in files on the host (data dir, /tmp) that no run may ever show: the VM boundary's canary. */
    hostCanary: string;
  }
}

/**
 * One real JailLab server for all integration tests: real QEMU VMs from the
 * shared template cache, a throwaway data directory (empty database). A host
 * canary is planted before it starts; when the tests are done, every run the
 * server still holds is searched for it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jaillab-test-data-'));
  const instructorToken = 'test-instructor-token-0123456789';
  const hostCanary = `HOST-CANARY-${randomBytes(16).toString('hex')}`;
  const canaryFiles = [join(dataDir, 'host-canary'), join(tmpdir(), `jaillab-host-canary-${process.pid}`)];
  for (const f of canaryFiles) await writeFile(f, `${hostCanary}\n`, { mode: 0o644 });
  const app = await createApp(
    loadConfig({ ...process.env, JAILLAB_DATA_DIR: dataDir, JAILLAB_ACCEL: process.env.JAILLAB_ACCEL ?? 'auto' }, {
      port: 0,
      poolSize: 2,
      maxConcurrentRuns: 2,
      instructorToken,
      // Every test file's clients are new learners from 127.0.0.1, seconds apart: the budgets are for a classroom.
      identityBudgets: { newLearners: { burst: 10_000, perMinute: 10_000 }, newMembers: { burst: 10_000, perMinute: 10_000 } },
    }),
    (line) => {
      if (process.env.JAILLAB_TEST_LOG) console.log(line);
    },
  );
  project.provide('serverUrl', app.url);
  project.provide('instructorToken', instructorToken);
  project.provide('hostCanary', hostCanary);
  return async () => {
    const leaks = runsLeakingSecret(app.runs.all(), hostCanary);
    if (process.env.JAILLAB_TEST_LOG) console.log(`host canary: searched ${[...app.runs.all()].length} runs`);
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(canaryFiles[1]!, { force: true });
    if (leaks.length) {
      // Vitest reports an error thrown here but still exits 0: fail the whole run explicitly.
      console.error(`\nFAIL: the host canary appeared in the output of run(s) ${leaks.join(', ')}: the VM boundary leaked\n`);
      process.exitCode = 1;
    }
  };
}
