import { test } from '@playwright/test';
import { closeShell, floodIsHeldByAcks, shellRunsTheJailAndResizes } from '../support/shell-checks.js';

/**
 * Issue #4: the interactive shell — a busybox shell in a fresh VM with the
 * learner's program and the lesson's jail in place — and a flood of output
 * that must not freeze the page. The same checks run against a shell on a
 * runner in remote-shell.spec.ts.
 */
test('the shell runs ls /, then the learner\'s jail by hand shows the jail\'s view; resize reaches the pty', async ({ page }, testInfo) => {
  const shell = await shellRunsTheJailAndResizes(page);
  await page.screenshot({ path: testInfo.outputPath('interactive-shell.png') });
  await closeShell(page, shell);
});

test('a flood of shell output keeps the page responsive: a click answers while it streams, throttled by acks, nothing dropped', async ({ page }) => {
  await floodIsHeldByAcks(page);
});
