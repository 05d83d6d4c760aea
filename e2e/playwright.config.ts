import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { REMOTE_INSTRUCTOR_TOKEN } from './support/remote.js';

/**
 * The e2e suite drives Debian's Chromium (/usr/bin/chromium, installed by
 * scripts/prepare.sh — Playwright's own browser download is not reachable
 * from our machines) against a real JailLab server: real compiler, real VMs.
 * The server gets its own port and a throwaway data directory, so a test
 * never sees a developer's saved code; the guest image and VM templates come
 * from the shared cache that `npm test` has already built.
 */
const port = Number(process.env.JAILLAB_E2E_PORT ?? 7899);
/** The remote project's server: runs go through Redis to a runner process (docs/scaling.md). */
const remotePort = port + 30; // +10 and +20 are the restart tests' own servers, +40 the shell-idle test's
const dataDir = process.env.JAILLAB_E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'jaillab-e2e-'));
process.env.JAILLAB_E2E_DATA_DIR = dataDir; // workers re-load this file: keep one directory

export default defineConfig({
  testDir: 'tests',
  outputDir: '../.data/e2e-results',
  // One server with a small VM pool on a 2-core machine: tests take turns.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.JAILLAB_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'local', testIgnore: /remote-.*\.spec\.ts/ },
    // The run path and the shell again, against a server whose runs and shells go to a runner through Redis: the browser sees no difference.
    { name: 'remote', testMatch: /(run-path|remote-runners|remote-shell)\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${remotePort}` } },
  ],
  webServer: [
    {
    command: 'npm run -s -w sandbox-server serve',
    cwd: '..',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // Shells keep the default idle timeout (10 min): a flood test on a loaded machine may go a while without input.
    // The idle test runs a server of its own with a short one (shell-idle.spec.ts).
    env: { JAILLAB_PORT: String(port), JAILLAB_HOST: '127.0.0.1', JAILLAB_DATA_DIR: dataDir },
    },
    {
      command: 'npm run -s -w sandbox-server remote-cluster',
      cwd: '..',
      url: `http://127.0.0.1:${remotePort}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      env: { JAILLAB_CLUSTER_PORT: String(remotePort), JAILLAB_CLUSTER_RUNNERS: 'e2e-runner', JAILLAB_CLUSTER_SLOTS: '2', JAILLAB_HOST: '127.0.0.1', JAILLAB_INSTRUCTOR_TOKEN: REMOTE_INSTRUCTOR_TOKEN },
    },
  ],
});
