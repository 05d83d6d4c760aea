import { expect, test } from '@playwright/test';
import { cell, instructorToken, joinAs, startWorkshop } from '../support/classroom.js';
import { focusIsIn, pressUntilFocused } from '../support/keyboard.js';
import { ShellTab } from '../support/shell.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue 28, keyboard all the way: lesson 1 from a cold page to passed and
 * on to lesson 2 with no mouse — the skip link, F6 between panes, Monaco's
 * Ctrl+M, a splitter, Run by Ctrl+Enter, a hint, the replay dialog and
 * Escape, the next lesson — while the run's live region says each verdict
 * with its text. Then the ways out of the terminals, and the dashboard grid
 * by arrow keys and Enter.
 */
const LESSON_1 = 'first-jail/a-jail-that-leaks';

test('lesson 1 from cold to passed with the keyboard alone, each verdict heard in the live region', async ({ page }) => {
  test.setTimeout(240_000);
  const ws = new Workspace(page);
  await page.goto(`/lessons/${LESSON_1}`);
  await expect(ws.runButton).toBeEnabled();
  const announcer = page.getByTestId('run-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');

  // The first Tab offers the skip link, seen; it jumps past the top bar and the outline's lessons.
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // F6 goes round the panes: the lesson text, the checks, the editor.
  await page.keyboard.press('F6');
  await expect(page.locator('#lesson-text')).toBeFocused();
  await page.keyboard.press('F6');
  await expect(page.locator('#verdict-heading')).toBeFocused();
  await page.keyboard.press('F6');
  await expect.poll(() => focusIsIn(ws.editor)).toBe(true);

  // Monaco keeps Tab for indenting; Ctrl+M, named beside the editor, lets Tab out — to the splitter, which arrows move.
  const editorKeys = page.getByTestId('editor-keys');
  await expect(editorKeys).toContainText('Ctrl+M');
  await page.keyboard.press('Control+M');
  await expect(editorKeys).toHaveAttribute('data-tab-moves-focus', 'true');
  await page.keyboard.press('Tab');
  const splitter = page.getByTestId('terminal-splitter');
  await expect(splitter).toBeFocused();
  const size = Number(await splitter.getAttribute('aria-valuenow'));
  await page.keyboard.press('ArrowUp');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(size + 2));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Tab');
  await expect.poll(() => focusIsIn(ws.editor)).toBe(true);
  await page.keyboard.press('Control+M');
  await expect(editorKeys).toHaveAttribute('data-tab-moves-focus', 'false');

  // Run the starter from the editor: the probe escapes, and the live region says so with the reason.
  await page.keyboard.press('Control+Enter');
  expect(await ws.runOutcome()).toBe('failed');
  const probe = ws.check('cwd-outside');
  await expect(probe).toHaveAttribute('data-verdict', 'escaped');
  const title = (await probe.locator('.check-title').textContent())!;
  const shownReason = (await probe.locator('.check-reason').textContent())!.split(' — ')[0]!;
  const reason = shownReason.charAt(0).toLowerCase() + shownReason.slice(1);
  await expect(announcer).toContainText(`${title} escaped: ${reason}`);
  await expect(announcer).toContainText('Not yet.');

  // Back to the checks (Shift+F6 from the editor).
  await page.keyboard.press('Shift+F6');
  await expect(page.locator('#verdict-heading')).toBeFocused();
  // The replay: opened from the check, closed with Escape; focus comes back to its button.
  const replayOpen = probe.getByTestId('replay-open');
  await pressUntilFocused(page, 'Tab', replayOpen);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('replay-dialog');
  await expect(dialog).toBeVisible();
  await expect.poll(() => focusIsIn(dialog)).toBe(true);
  await pressUntilFocused(page, 'Tab', dialog.getByTestId('trace-jump'));
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('replay-announcer')).toContainText(/^Step \d+, \w+ \d+: .*First step outside the jail/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(replayOpen).toBeFocused();
  // A hint, by Tab on from there.
  const hint = page.getByTestId('reveal-hint');
  await pressUntilFocused(page, 'Tab', hint);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('hint').first()).toBeVisible();

  // The fix, typed: find the line after chroot(), and add the chdir("/") that lesson 1 is about.
  await page.keyboard.press('F6'); // lesson → checks
  await page.keyboard.press('F6'); // → editor
  await expect.poll(() => focusIsIn(ws.editor)).toBe(true);
  await page.keyboard.press('Control+F');
  await page.keyboard.type('done\\n');
  await page.keyboard.press('Escape');
  await expect.poll(() => focusIsIn(ws.editor)).toBe(true);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('if (chdir("/") != 0) return 1;');
  await expect.poll(() => ws.savedCode(LESSON_1)).toContain('if (chdir("/") != 0) return 1;');

  await page.keyboard.press('Control+Enter');
  expect(await ws.runOutcome()).toBe('passed');
  await expect(probe).toHaveAttribute('data-verdict', 'contained');
  await expect(announcer).toContainText(`${title} contained:`);
  await expect(announcer).toContainText('Lesson passed.');

  // On to lesson 2 by its link, reached with Tab from the lesson text.
  await page.keyboard.press('Shift+F6'); // editor → checks
  await pressUntilFocused(page, 'Tab', page.getByTestId('next-lesson-link'));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\/first-jail\/leaked-descriptors$/);
});

test('no keyboard trap in the terminals: Tab and Escape leave the run output, F6 leaves the shell', async ({ page }) => {
  test.setTimeout(180_000);
  const ws = new Workspace(page);
  await ws.open(LESSON_1);
  const outputPanel = page.locator('#terminal-panel-output');
  const shellPanel = page.locator('#terminal-panel-shell');

  // F6 from the editor reaches the terminals' tabs; Tab goes into the run output (past the screen reader setting) and Tab goes on out of it.
  await ws.editor.locator('.view-lines').click();
  await page.keyboard.press('F6');
  await expect(page.getByTestId('tab-output')).toBeFocused();
  const outputInput = outputPanel.locator('textarea');
  await pressUntilFocused(page, 'Tab', outputInput, 5);
  await page.keyboard.press('Tab');
  await expect.poll(() => focusIsIn(outputPanel)).toBe(false);
  await pressUntilFocused(page, 'Shift+Tab', outputInput, 6);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tab-output')).toBeFocused();

  // The shell's tab by arrow key; before a shell, Tab passes the empty terminal on to "Start a shell".
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-shell')).toBeFocused();
  await pressUntilFocused(page, 'Tab', page.getByTestId('open-shell'), 6);
  await page.keyboard.press('Enter');
  const shell = page.getByTestId('shell-terminal');
  await expect(shell.locator('.xterm-rows')).toContainText('jaillab:~#', { timeout: 60_000 });
  await expect(page.getByTestId('shell-keys')).toContainText('F6 leaves the shell');
  // In the shell, Tab is the shell's (completion): focus stays; F6 leaves for the next pane (round to the lesson text).
  await expect.poll(() => focusIsIn(shellPanel)).toBe(true);
  await page.keyboard.type('echo keyboard-ok');
  await page.keyboard.press('Tab');
  await expect.poll(() => focusIsIn(shellPanel)).toBe(true);
  await page.keyboard.press('Enter');
  await new ShellTab(page).waitFor(/^keyboard-ok\s*$/m);
  await page.keyboard.press('F6');
  await expect(page.locator('#lesson-text')).toBeFocused();
});

test('the dashboard grid by keyboard: arrow keys between cells, Enter drops in', async ({ page, browser, baseURL }) => {
  const code = await startWorkshop(page, instructorToken(), 'Keys only');
  const ada = await joinAs(browser, baseURL!, code, 'Ada');
  const bob = await joinAs(browser, baseURL!, code, 'Bob');
  await expect(page.getByTestId('room-row')).toHaveCount(2);
  await page.getByTestId('room-sort').selectOption('name');

  // The grid is one Tab stop: the first cell; the others are reached with the arrows.
  const first = cell(page, 'Ada', LESSON_1).locator('button');
  await pressUntilFocused(page, 'Tab', first, 80);
  await expect(page.locator('[data-testid="room-cell"] button[tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await expect(cell(page, 'Bob', LESSON_1).locator('button')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  const second = page.locator('[data-testid="room-row"][data-name="Bob"] [data-testid="room-cell"][data-col="1"]');
  await expect(second.locator('button')).toBeFocused();
  const lessonId = (await second.getAttribute('data-lesson'))!;
  await page.keyboard.press('Enter');
  const dropIn = page.getByTestId('drop-in');
  await expect(dropIn).toBeVisible();
  await expect(dropIn.locator('h2')).toContainText('Bob');
  await expect(second).toHaveClass(/selected/);
  expect(lessonId).not.toBe(LESSON_1);
  // Tab from the grid goes on past it (one stop), not through every cell.
  await second.locator('button').focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="room-cell"]') === null)).toBe(true);
  for (const s of [ada, bob]) await s.context.close();
});
