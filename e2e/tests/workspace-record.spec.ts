import { expect, test } from '@playwright/test';
import { lessonFile } from '../support/lesson-files.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #18: the last run of a lesson comes back from the server's record —
 * in a new tab, on another device — with its verdicts, output and compile
 * markers, saying when it ran and whether the code changed since; and a pass
 * after looking at the solution is shown as a pass with the solution.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const FOLDER = '01-first-jail/01-a-jail-that-leaks';

test('a new tab shows the last run from the server: verdicts, when, whether the code changed, markers', async ({ page, context }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  await ws.replaceCode(lessonFile(FOLDER, '_files/jail.c'));
  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');

  // Another tab of the same learner (no memory of this tab's runs) gets the record from the server.
  const other = await context.newPage();
  const ws2 = new Workspace(other);
  await ws2.open(LESSON);
  await expect(other.getByTestId('restored-run')).toBeVisible();
  await expect(other.getByTestId('restored-run')).toHaveAttribute('data-changed', 'false');
  await expect(ws2.check('cwd-outside')).toHaveAttribute('data-verdict', 'escaped');
  await expect(other.getByTestId('terminal').locator('.xterm-rows')).toContainText('escaped');
  await other.screenshot({ path: testInfo.outputPath('reloaded-lesson.png') });
  // Editing there makes the record's code an older one, and the note says so.
  await ws2.replaceCode(`${lessonFile(FOLDER, '_files/jail.c')}\n// changed\n`);
  await expect(other.getByTestId('restored-run')).toHaveAttribute('data-changed', 'true');

  // A compile error's markers come back too.
  await ws.replaceCode('int main(void) {\n  return missing;\n}\n');
  await ws.run();
  expect(await ws.runOutcome()).toBe('compile-error');
  await other.reload();
  await expect(other.getByTestId('restored-run')).toBeVisible();
  expect(await ws2.markerLines()).toEqual([2]);
});

test('a pass after using the solution reads "passed with the solution", in the page and the outline', async ({ page }) => {
  const ws = new Workspace(page);
  await ws.open('first-jail/leaked-descriptors');
  await page.getByTestId('compare-solution').click();
  await page.getByTestId('use-solution').click();
  await ws.run();
  expect(await ws.runOutcome()).toBe('passed');
  await expect(page.getByTestId('next-lesson')).toHaveAttribute('data-with-solution', 'true');
  await expect(page.getByTestId('next-lesson')).toContainText('Passed with the solution');
  await expect(page.getByTestId('run-summary')).toContainText(/with the solution/);
  await expect(page.locator('[data-testid="outline-lesson"][data-lesson-id="first-jail/leaked-descriptors"] .outline-status.with-solution')).toBeVisible();
});
