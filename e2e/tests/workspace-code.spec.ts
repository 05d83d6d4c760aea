import { expect, test } from '@playwright/test';
import { lessonFile } from '../support/lesson-files.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #4: the learner's code is never lost, the editor shows gcc's errors
 * where they are, hints come after a failed run, and the solution can be
 * compared and used without losing one's own code.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const FOLDER = '01-first-jail/01-a-jail-that-leaks';
const starter = lessonFile(FOLDER, '_files/jail.c');
const solution = lessonFile(FOLDER, '_solution/jail.c');

test('code typed, tab closed, reopened: still there — and on the server for a fresh browser', async ({ page, browser }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  await ws.replaceCode(starter.replace('return 2;', 'return 2; /* typed by me */'));
  // Typing on the first line, key by key, as a learner does (the top stays on screen when reopened).
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.type('// my own note 4242\n');
  await expect.poll(() => ws.savedCode(LESSON)).toContain('my own note 4242');
  await expect(page.getByTestId('server-save')).toHaveText('Saved');
  const token = await page.evaluate(() => localStorage.getItem('jaillab.learnerToken'));
  const context = page.context();
  await page.close();

  const again = await context.newPage();
  const ws2 = new Workspace(again);
  await ws2.open(LESSON);
  await expect(ws2.editor).toContainText('my own note 4242');
  await again.screenshot({ path: testInfo.outputPath('workspace-reopened.png') });
  await again.close();

  // Another browser (empty localStorage) with the same learner token: the server's copy comes back.
  const fresh = await browser.newContext();
  await fresh.addInitScript((t) => {
    if (!localStorage.getItem('jaillab.learnerToken')) localStorage.setItem('jaillab.learnerToken', t);
  }, token!);
  const other = await fresh.newPage();
  const ws3 = new Workspace(other);
  await ws3.open(LESSON);
  await expect(ws3.editor).toContainText('my own note 4242');
  await expect(other.locator('.toolbar-notice')).toContainText(/from the server/);
  await expect.poll(() => ws3.savedCode(LESSON)).toContain('my own note 4242');
  await fresh.close();
});

test('a compile error is marked on the line gcc named', async ({ page }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  // Line 25 (the printf after chroot) loses its semicolon.
  const broken = starter.split('\n');
  const line = broken.findIndex((l) => l.includes('chroot(\\"%s\\") done')) + 1;
  broken[line - 1] = broken[line - 1]!.replace(/;\s*$/, '');
  await ws.replaceCode(broken.join('\n'));
  await ws.run();
  expect(await ws.runOutcome()).toBe('compile-error');
  // gcc reports a missing ';' at the start of the next statement or the end of this one.
  const lines = await ws.markerLines();
  expect(lines.some((l) => l === line || l === line + 1)).toBe(true);
  // F8 (go to the next problem) shows the marker's message under its line.
  await ws.editor.locator('.view-lines').click();
  await page.keyboard.press('F8');
  await expect(page.locator('.marker-widget')).toContainText(/expected ';'/);
  await page.screenshot({ path: testInfo.outputPath('compile-error-marker.png') });
});

test('hints appear after a failed run, one at a time, and stay revealed after a reload', async ({ page }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  await ws.replaceCode(starter);
  await expect(page.getByTestId('hints-panel')).toHaveCount(0);
  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  const reveal = page.getByTestId('reveal-hint');
  await expect(reveal).toContainText('Show a hint');
  await reveal.click();
  await expect(page.getByTestId('hint')).toHaveCount(1);
  await expect(page.getByTestId('hint').first()).toContainText('working directory');
  await reveal.click();
  await expect(page.getByTestId('hint')).toHaveCount(2);
  await expect(page.getByTestId('hint').nth(1)).toContainText('chdir');
  await expect(reveal).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('hints.png') });
  await page.reload();
  await expect(page.getByTestId('hint')).toHaveCount(2);
});

test('compare with the solution, use it, and get my own code back', async ({ page }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  const mine = starter.replace('return 2;', 'return 2; /* mine, keep me */');
  await ws.replaceCode(mine);
  await expect.poll(() => ws.savedCode(LESSON)).toBe(mine);

  await page.getByTestId('compare-solution').click();
  const diff = page.getByTestId('solution-diff');
  await expect(diff).toBeVisible();
  await expect(diff).toContainText('mine, keep me');
  // The diff marks what the solution adds (chdir and its check) and what mine has that it lacks.
  await expect(diff.locator('.line-insert, .char-insert').first()).toBeVisible();
  await expect(diff.locator('.line-delete, .char-delete').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('compare-with-solution.png') });

  await page.getByTestId('use-solution').click();
  await expect(diff).toHaveCount(0);
  await expect.poll(() => ws.savedCode(LESSON)).toBe(solution);
  await expect(page.getByTestId('restore-button')).toBeVisible();

  await page.getByTestId('restore-button').click();
  await expect.poll(() => ws.savedCode(LESSON)).toBe(mine);
  await expect(ws.editor).toContainText('mine, keep me');
  // Restoring swapped: the solution is now the version one click away.
  await page.getByTestId('restore-button').click();
  await expect.poll(() => ws.savedCode(LESSON)).toBe(solution);
});

// Issue 32, item 6: the bar's words match the diff shown (inline: removed and added lines, no left and right), and
// the diff opens at the first change even when it is below the fold (the starter differs from the solution at line 24).
test('compare with the solution names removed and added lines, and opens at the first change', async ({ page }, testInfo) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  await ws.replaceCode(starter);
  await page.getByTestId('compare-solution').click();
  const diff = page.getByTestId('solution-diff');
  await expect(diff).toBeVisible();
  const words = page.getByTestId('solution-bar-text');
  await expect(words).toContainText('removed lines (−) are your code, added lines (+) the solution');
  await expect(words).not.toContainText(/left|right/);
  await expect(diff.locator('.monaco-diff-editor')).not.toHaveClass(/side-by-side/);
  // The first change is where the solution adds chdir("/"): the diff is scrolled there, its lines in view.
  await expect(diff).toHaveAttribute('data-first-change', /^\d+$/);
  const firstChange = Number(await diff.getAttribute('data-first-change'));
  expect(firstChange).toBeGreaterThan(20);
  await expect(diff.locator('.line-insert').first()).toBeInViewport();
  await expect(diff.locator('.view-line', { hasText: 'perror("chdir")' })).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('06-after.png') });
});

test('on a phone the workspace is readable but read-only', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/lessons/${LESSON}`);
  const ws = new Workspace(page);
  await expect(ws.editor).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(ws.runButton).toBeHidden();
  const before = await ws.savedCode(LESSON);
  await ws.editor.locator('.view-lines').click();
  await page.keyboard.type('typed on a phone');
  await expect(ws.editor).not.toContainText('typed on a phone');
  expect(await ws.savedCode(LESSON)).toBe(before);
  await page.screenshot({ path: testInfo.outputPath('phone.png'), fullPage: true });
});

test('two tabs on the same lesson follow each other: no keystroke from either is lost', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  const wa = new Workspace(a);
  const wb = new Workspace(b);
  await wa.open(LESSON);
  await wa.replaceCode(starter);
  await wb.open(LESSON);
  await wa.editor.locator('.view-lines').click();
  await a.keyboard.press('ControlOrMeta+Home');
  await a.keyboard.type('// from tab A\n');
  await expect(wb.editor).toContainText('from tab A');
  await wb.editor.locator('.view-lines').click();
  await b.keyboard.press('ControlOrMeta+Home');
  await b.keyboard.type('// from tab B\n');
  await expect(wa.editor).toContainText('from tab B');
  await expect.poll(() => wa.savedCode(LESSON)).toMatch(/from tab B[\s\S]*from tab A/);
  await expect(wa.editor).toContainText('from tab A');
});

test('the terminal tabs work with the keyboard alone: one tab stop, arrows and Home/End switch', async ({ page }) => {
  const ws = new Workspace(page);
  await ws.open(LESSON);
  const output = page.getByTestId('tab-output');
  const shell = page.getByTestId('tab-shell');
  await expect(output).toHaveAttribute('tabindex', '0');
  await expect(shell).toHaveAttribute('tabindex', '-1');
  await output.focus();
  await page.keyboard.press('ArrowRight');
  await expect(shell).toBeFocused();
  await expect(shell).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('shell-terminal')).toBeVisible();
  await page.keyboard.press('Home');
  await expect(output).toBeFocused();
  await expect(output).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('shell-terminal')).toBeHidden();
});
