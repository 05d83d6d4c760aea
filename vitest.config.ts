import { defineConfig } from 'vitest/config';

/**
 * One run for every unit and integration test. Tests sit beside the code they
 * test; `*.vm.test.ts` ones drive real VMs through one shared server that the
 * global setup starts (booting templates once instead of per file).
 */
export default defineConfig({
  test: {
    include: ['protocol/src/**/*.test.ts', 'deploy/**/*.test.ts', 'sandbox-server/src/**/*.test.ts', 'sandbox-server/guest/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['sandbox-server/test/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
