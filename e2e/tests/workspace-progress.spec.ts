import { expect, test } from '@playwright/test';
import { lessonFile } from '../support/lesson-files.js';
import { OwnServer } from '../support/own-server.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #4: progress is kept on the server — through a reload, a clean
 * restart and a crash — and a run cut off by a crash shows as interrupted,
 * with the learner's code intact. This spec runs its own server (port = the
 * e2e port + 10) so it can stop and crash it.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const FOLDER = '01-first-jail/01-a-jail-that-leaks';
const solution = lessonFile(FOLDER, '_solution/jail.c');
const server = new OwnServer(Number(process.env.JAILLAB_E2E_PORT ?? 7899) + 10);

test.beforeAll(async () => {
  await server.start();
});
test.afterAll(async () => {
  await server.stop();
  server.dispose();
});

test('progress survives a reload and a server restart; edits made offline reach the server; a run cut off by a crash shows as interrupted, code intact', async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);
  const ws = new Workspace(page);
  const outlineEntry = page.locator(`[data-testid="outline-lesson"][data-lesson-id="${LESSON}"]`);
  const connection = page.getByTestId('connection-status');
  await page.goto(`${server.url}/lessons/${LESSON}`);
  await expect(ws.runButton).toBeEnabled();
  await expect(outlineEntry).toHaveAttribute('data-status', 'not-started');

  await ws.replaceCode(solution);
  await ws.run();
  expect(await ws.runOutcome()).toBe('passed');
  await expect(outlineEntry).toHaveAttribute('data-status', 'passed');
  await expect(page.getByTestId('next-lesson')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('lesson-passed.png') });

  await page.reload();
  await expect(outlineEntry).toHaveAttribute('data-status', 'passed');

  // A clean restart: the page notices, says so, reconnects by itself, and the progress is still there.
  await server.stop();
  await expect(connection).not.toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('connection-banner')).toBeVisible();
  // Typing while the server is away: kept in the browser, sent once the connection is back.
  await ws.editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.type('// typed while offline\n');
  await expect(page.getByTestId('server-save')).toHaveText('Saving…');
  await server.start();
  await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
  await expect(page.getByTestId('server-save')).toHaveText('Saved');
  const token = await page.evaluate(() => localStorage.getItem('jaillab.learnerToken'));
  const other = await browser.newContext();
  await other.addInitScript((t) => {
    if (!localStorage.getItem('jaillab.learnerToken')) localStorage.setItem('jaillab.learnerToken', t);
  }, token!);
  const elsewhere = await other.newPage();
  await elsewhere.goto(`${server.url}/lessons/${LESSON}`);
  await expect(elsewhere.locator('.monaco-editor').first()).toContainText('typed while offline');
  await expect(elsewhere.locator(`[data-testid="outline-lesson"][data-lesson-id="${LESSON}"]`)).toHaveAttribute('data-status', 'passed');
  await other.close();
  await page.reload();
  await expect(outlineEntry).toHaveAttribute('data-status', 'passed');

  // A run in progress when the server crashes: after it comes back, the run says it was interrupted.
  const slow = '/* slow on purpose */\n' + solution.replace(/int main\(int argc, char \*argv\[\]\) \{/, 'int main(int argc, char *argv[]) {\n  sleep(4);');
  expect(slow).toContain('sleep(4);');
  await ws.replaceCode(slow);
  await ws.run();
  await expect(ws.checks.first()).toHaveAttribute('data-verdict', 'running', { timeout: 60_000 });
  await server.crash();
  await expect(connection).not.toHaveAttribute('data-state', 'connected');
  await server.start();
  await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
  const summary = page.getByTestId('run-summary');
  await expect(summary).toHaveAttribute('data-outcome', 'interrupted');
  await expect(summary).toContainText(/interrupted/i);
  expect(await ws.savedCode(LESSON)).toBe(slow);
  await ws.editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await expect(ws.editor).toContainText('slow on purpose');
  await page.screenshot({ path: testInfo.outputPath('run-interrupted.png') });

  // A reload shows the same, and the lesson stays passed.
  await page.reload();
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-outcome', 'interrupted');
  await expect(outlineEntry).toHaveAttribute('data-status', 'passed');
});
