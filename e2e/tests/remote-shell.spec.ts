import { test } from '@playwright/test';
import { closeShell, floodIsHeldByAcks, shellRunsTheJailAndResizes } from '../support/shell-checks.js';

/**
 * Issue #27: the interactive shell on a runner. This project's server has no
 * VMs of its own (runs and shells go through Redis to a runner process), so a
 * shell that opens here runs on the runner; its output comes back through the
 * shell's Redis stream under the same flow control as a local one.
 */
test('a shell on a runner runs the learner\'s jail by hand, resizes, and closes', async ({ page }) => {
  const shell = await shellRunsTheJailAndResizes(page);
  await closeShell(page, shell);
});

test('a flood of output from a shell on a runner is held by the browser\'s acks, and nothing is dropped', async ({ page }) => {
  await floodIsHeldByAcks(page);
});
