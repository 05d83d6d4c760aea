import { expect, test } from '@playwright/test';
import { lessonFile } from '../support/lesson-files.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #2's walk through the product: open lesson 1, run the leaky starter
 * and watch the cwd probe escape with the canary as evidence, fix the code in
 * Monaco, run again and see it contained — all in real VMs.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const FOLDER = '01-first-jail/01-a-jail-that-leaks';

test('lesson 1: the starter leaks, the fix holds', async ({ page }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/leak/i);

  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  const probe = ws.check('cwd-outside');
  await expect(probe).toHaveAttribute('data-verdict', 'escaped');
  // The evidence is the canary itself, a fresh SECRET-… string the probe could only read outside the jail.
  await expect(probe).toContainText(/SECRET-[0-9a-f]{24}/);
  await expect(ws.terminal).toContainText('jaillab-probe: started cwd-outside');
  await expect(page.getByTestId('accelerator')).toContainText(/tcg|kvm/i);
  await page.screenshot({ path: testInfo.outputPath('lesson-1-escaped.png') });

  const solution = lessonFile(FOLDER, '_solution/jail.c');
  await ws.replaceCode(solution);
  await expect.poll(() => ws.savedCode(LESSON)).toBe(solution);

  await page.keyboard.press('ControlOrMeta+Enter');
  expect(await ws.runOutcome()).toBe('passed');
  await expect(probe).toHaveAttribute('data-verdict', 'contained');
  await expect(ws.check('read-data')).toHaveAttribute('data-verdict', 'passed');
  await page.screenshot({ path: testInfo.outputPath('lesson-1-contained.png') });
});
