import { expect, test } from '@playwright/test';
import { REMOTE_INSTRUCTOR_TOKEN } from '../support/remote.js';
import { startWorkshop } from '../support/classroom.js';

/** Remote mode, as the instructor sees it: the dashboard names the runners serving the room, their accelerator and load. */
test('the dashboard lists the runners that are up', async ({ page }) => {
  await startWorkshop(page, REMOTE_INSTRUCTOR_TOKEN, 'Remote room');
  const runner = page.getByTestId('runner');
  await expect(runner).toHaveCount(1);
  await expect(runner).toContainText(/e2e-runner \((tcg|kvm)\): 0 of 2 busy/);
  await expect(page.getByTestId('capacity')).toContainText(/^Running \d+ of 2 runs at a time, /);
});
