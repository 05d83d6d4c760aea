import { expect, test } from '@playwright/test';
import { lessonFile } from '../support/lesson-files.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #3: a learner walks two lessons in a row. Lesson 1 is solved, the
 * "Next lesson" link leads to lesson 2, whose new probe (a leaked descriptor)
 * escapes the starter while the cwd probe from lesson 1 stays contained; the
 * fix passes. Real VMs, real Chromium.
 */
test('a learner solves lesson 1, follows "Next lesson" and solves lesson 2', async ({ page }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open('first-jail/a-jail-that-leaks');
  await ws.replaceCode(lessonFile('01-first-jail/01-a-jail-that-leaks', '_solution/jail.c'));
  await ws.run();
  expect(await ws.runOutcome()).toBe('passed');
  await expect(ws.check('cwd-outside')).toHaveAttribute('data-verdict', 'contained');

  // The call to action that appears once the lesson is passed (the text's pager has a "Next lesson" link too).
  await page.getByTestId('next-lesson').getByRole('link', { name: /next lesson/i }).click();
  await expect(page).toHaveURL(/\/lessons\/first-jail\/leaked-descriptors$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Leaked descriptors');
  await expect(ws.runButton).toBeEnabled();
  // Lesson 2 runs lesson 1's probe again, plus the new one.
  await expect(ws.check('cwd-outside')).toBeVisible();
  await expect(ws.check('leaked-fd')).toBeVisible();

  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  await expect(ws.check('leaked-fd')).toHaveAttribute('data-verdict', 'escaped');
  await expect(ws.check('leaked-fd')).toContainText(/SECRET-[0-9a-f]{24}/);
  await expect(ws.check('cwd-outside')).toHaveAttribute('data-verdict', 'contained');
  await expect(ws.terminal).toContainText('jaillab-probe: started leaked-fd');
  await page.screenshot({ path: testInfo.outputPath('lesson-2-escaped.png') });

  await ws.replaceCode(lessonFile('01-first-jail/02-leaked-descriptors', '_solution/jail.c'));
  await ws.run();
  expect(await ws.runOutcome()).toBe('passed');
  await expect(ws.check('leaked-fd')).toHaveAttribute('data-verdict', 'contained');
  await expect(ws.check('read-data')).toHaveAttribute('data-verdict', 'passed');
  await page.screenshot({ path: testInfo.outputPath('lesson-2-contained.png') });
});
