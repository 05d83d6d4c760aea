import { expect, test } from '@playwright/test';
import { audit } from '../support/axe.js';
import { sidewaysOverflow } from '../support/layout.js';
import { lessonFile } from '../support/lesson-files.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue 28, how the page is shown: at 200 % zoom on a 1280 px screen (640
 * CSS pixels at two device pixels each) nothing is lost — the lesson can be
 * edited and run, every verdict is read in words and shapes, nothing runs
 * off the side; and a system asking for reduced motion gets none; and
 * xterm.js's screen reader mode is a setting that is kept.
 */
const LESSON_1 = 'first-jail/a-jail-that-leaks';
const solution = lessonFile('01-first-jail/01-a-jail-that-leaks', '_solution/jail.c');

test.describe('at 200 % zoom on a 1280×800 screen', () => {
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });

  test('the lesson is edited, run and passed, nothing cut off at the side, verdicts in words and shapes', async ({ page }) => {
    test.setTimeout(180_000);
    const ws = new Workspace(page);
    await ws.open(LESSON_1);
    // Not the phone's read-only page: this is a laptop, zoomed.
    await expect(page.getByTestId('read-only-notice')).toHaveCount(0);
    await ws.runButton.scrollIntoViewIfNeeded();
    await expect(ws.runButton).toBeVisible();
    expect(await sidewaysOverflow(page)).toEqual([]);

    await ws.replaceCode(solution);
    await ws.runButton.click();
    expect(await ws.runOutcome()).toBe('passed');
    const probe = ws.check('cwd-outside');
    await probe.scrollIntoViewIfNeeded();
    await expect(probe.getByTestId('check-state')).toHaveText('contained');
    await expect(probe.locator('.check-state-icon')).toHaveText('✓');
    const next = page.getByTestId('next-lesson-link');
    await next.scrollIntoViewIfNeeded();
    await expect(next).toBeVisible();
    // Down the whole page, nothing reaches past the right edge.
    const scroller = page.locator('.lesson-workspace');
    const height = await scroller.evaluate((el) => el.scrollHeight);
    for (let y = 0; y < height; y += 300) {
      await scroller.evaluate((el, top) => (el.scrollTop = top), y);
      expect(await sidewaysOverflow(page), `scrolled to ${y}`).toEqual([]);
    }
    await audit(page, 'zoom: lesson 1 passed at 200 % (640 CSS px)');
  });
});

test('with reduced motion asked for, nothing spins or slides; without, it does', async ({ page }) => {
  const ws = new Workspace(page);
  await ws.open(LESSON_1);
  // The chevron of a check row turns when it opens: a transition.
  const chevron = page.locator('.check-chevron').first();
  expect(await chevron.evaluate((el) => getComputedStyle(el).transitionDuration)).not.toBe('0s');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect.poll(() => chevron.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
  // A spinner, as a running check shows one, stands still.
  const spinning = await page.evaluate(() => {
    const s = document.createElement('span');
    s.className = 'spinner';
    document.body.append(s);
    const duration = getComputedStyle(s).animationDuration;
    s.remove();
    return duration;
  });
  expect(spinning).toBe('0s');
});

test('xterm.js’s screen reader mode is a setting, kept across a reload', async ({ page }) => {
  const ws = new Workspace(page);
  await ws.open(LESSON_1);
  const setting = page.getByTestId('screen-reader-mode');
  await expect(setting).not.toBeChecked();
  // xterm.js builds its accessibility tree (rows a screen reader reads) only in that mode.
  await expect(ws.terminal.locator('.xterm-accessibility-tree')).toHaveCount(0);
  await setting.check();
  await expect(ws.terminal.locator('.xterm-accessibility-tree')).toHaveCount(1);
  await ws.open(LESSON_1);
  await expect(page.getByTestId('screen-reader-mode')).toBeChecked();
  await expect(ws.terminal.locator('.xterm-accessibility-tree')).toHaveCount(1);
  await expect(page.getByTestId('shell-terminal').locator('.xterm-accessibility-tree')).toHaveCount(1);
});
