import { expect, test } from '@playwright/test';
import { lessonFile } from '../support/lesson-files.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue 16's replay in the browser: the escape of a real probe against a real
 * starter, step by step, with the step where it got out highlighted; and a
 * long trace (a jail program looping over a traced call) folded and filtered.
 */
const LEAKED = 'first-jail/leaked-descriptors';

test('the replay of an escape shows the step where the probe got out', async ({ page }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LEAKED);
  await expect(page.getByTestId('trace-toggle')).toBeChecked();
  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  const probe = ws.check('leaked-fd');
  await expect(probe).toHaveAttribute('data-verdict', 'escaped');

  // The checker names the leak once for the run (it is the program's, not one probe's), with the lesson that teaches the fix.
  const finding = page.getByTestId('findings').locator('[data-testid="finding"][data-rule="dir-fd-leak"]');
  await expect(page.locator('[data-testid="check-row"] [data-testid="finding"]')).toHaveCount(0);
  await expect(finding).toBeVisible();
  await expect(finding.getByTestId('finding-lesson')).toHaveAttribute('href', `/lessons/${LEAKED}`);

  await probe.getByTestId('replay-open').click();
  const dialog = page.getByTestId('replay-dialog');
  await expect(dialog).toBeVisible();
  const outside = dialog.locator('[data-testid="trace-step"][data-mark~="outside"]');
  await expect(outside).toHaveCount(1);
  await expect(outside).toHaveAttribute('data-call', 'fchdir');
  await expect(outside.getByTestId('where-cwd')).toHaveAttribute('data-place', 'outside');
  // The fchdir names no path: the row says where the inherited descriptor took the cwd.
  await expect(outside).toContainText(/cwd → \/\S* \(outside\)/);
  await expect(dialog.locator('[data-testid="trace-step"][data-mark~="secret"]')).toHaveAttribute('data-call', /^open/);
  await dialog.getByTestId('trace-jump').click();
  await expect(outside).toHaveAttribute('aria-current', 'step');
  await expect(outside).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('leaked-fd-replay.png') });
  // Issue 32, item 11: each highlighted step says why, in one line: the descriptor the jail program left open.
  await expect(outside.getByTestId('trace-why')).toHaveText(/^fchdir\(\) moved the cwd outside the jail, to \S+, through descriptor \d+, which the jail program opened at step \d+ and left open: /);
  const opener = Number(/opened at step (\d+)/.exec((await outside.getByTestId('trace-why').textContent())!)![1]);
  await expect(dialog.locator(`[data-testid="trace-step"][data-step="${opener - 1}"]`)).toHaveAttribute('data-call', /^open/);
  await expect(dialog.locator('[data-testid="trace-step"][data-mark~="secret"]').getByTestId('trace-why')).toContainText('opened the outside secret');
  await page.screenshot({ path: testInfo.outputPath('11-after.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a long trace is folded, and filtered by call', async ({ page }) => {
  const ws = new Workspace(page);
  await ws.open('first-jail/a-jail-that-leaks');
  // The solution, after 900 opens (and closes) of a file that is not there: 1,800 traced steps before the jail is made.
  const solution = lessonFile('01-first-jail/01-a-jail-that-leaks', '_solution/jail.c');
  const looping = solution.replace(/int main\(([^)]*)\) \{/, (m) => `${m}\n  for (int k = 0; k < 900; k++) close(open("/no-such-file", 0));`);
  expect(looping).not.toBe(solution);
  await ws.replaceCode(`#include <fcntl.h>\n${looping}`);
  await ws.run();
  expect(await ws.runOutcome()).toBe('passed');
  const probe = ws.check('cwd-outside');
  await probe.getByTestId('replay-open').click();
  const dialog = page.getByTestId('replay-dialog');
  expect(Number(await dialog.getByTestId('trace-timeline').getAttribute('data-steps'))).toBeGreaterThanOrEqual(1800);
  // Folded: the loop is a handful of rows, not 1,800.
  const repeat = dialog.getByTestId('trace-repeat').first();
  await expect(repeat).toBeVisible();
  expect(await dialog.locator('[data-testid="trace-step"], [data-testid="trace-repeat"]').count()).toBeLessThan(200);

  await dialog.getByTestId('trace-filter').locator('[data-call="chroot"]').click();
  const shown = dialog.getByTestId('trace-step');
  await expect(shown.first()).toBeVisible();
  const calls = await shown.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call')));
  // Only chroot, and highlighted steps (always kept).
  expect(calls.filter((c) => c !== 'chroot').length).toBeLessThanOrEqual(3);
  expect(calls).toContain('chroot');
  await expect(dialog.getByTestId('trace-repeat')).toHaveCount(0);
});

test('a run with Replay off records no trace, and the choice is kept across a reload', async ({ page }) => {
  const ws = new Workspace(page);
  await ws.open('first-jail/a-jail-that-leaks');
  const toggle = page.getByTestId('trace-toggle');
  await toggle.uncheck();
  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  // The verdict is the same as with tracing; only the replay is missing.
  const probe = ws.check('cwd-outside');
  await expect(probe).toHaveAttribute('data-verdict', 'escaped');
  await expect(page.getByTestId('replay-open')).toHaveCount(0);

  await ws.open('first-jail/a-jail-that-leaks'); // a fresh page load
  await expect(page.getByTestId('trace-toggle')).not.toBeChecked();
  await page.getByTestId('trace-toggle').check();
  await ws.run();
  // Only the new, traced run can bring a replay (the page may show the last run again after the load).
  await expect(ws.check('cwd-outside').getByTestId('replay-open')).toBeVisible({ timeout: 90_000 });
});
