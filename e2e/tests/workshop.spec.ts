import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cell, instructorToken, joinAs, startWorkshop } from '../support/classroom.js';
import { lessonFile } from '../support/lesson-files.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #14: a workshop in three browsers — the instructor starts it, two
 * students join with the code, one passes lesson 1 and the dashboard shows
 * it without a reload; the instructor drops in on that student's code,
 * broadcasts to both, and exports the CSV.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const solution = lessonFile('01-first-jail/01-a-jail-that-leaks', '_solution/jail.c');

test('an instructor runs a room of two: join, pass, live dashboard, drop in, broadcast, CSV', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const code = await startWorkshop(page, instructorToken(), 'Jails at noon');
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
  await expect(page.getByTestId('join-link')).toHaveText(`${new URL(baseURL!).origin}/join/${code}`);
  await expect(page.locator('.join-qr svg')).toBeVisible();

  const ada = await joinAs(browser, baseURL!, code, 'Ada');
  const bob = await joinAs(browser, baseURL!, code, 'Bob');
  await expect(page.getByTestId('room-row')).toHaveCount(2);
  await expect(cell(page, 'Ada', LESSON)).toHaveAttribute('data-status', 'not-started');

  // Ada passes lesson 1; the instructor's page never reloads.
  const adaWs = new Workspace(ada.page);
  await adaWs.replaceCode(solution);
  await adaWs.run();
  expect(await adaWs.runOutcome()).toBe('passed');
  await expect(cell(page, 'Ada', LESSON)).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
  await expect(page.locator(`[data-testid="lesson-stat"][data-lesson="${LESSON}"] .stat-passed`)).toHaveText('1');
  await page.screenshot({ path: testInfo.outputPath('workshop-dashboard.png'), fullPage: true });

  // Drop in on Ada: her code, as she has it, and her last run.
  await cell(page, 'Ada', LESSON).locator('button').click();
  await expect(page.getByTestId('drop-in-code')).toContainText('chdir("/")');
  await expect(page.getByTestId('drop-in-outcome')).toContainText(/passed/i);

  // A broadcast reaches both students' workspaces.
  await page.getByTestId('broadcast-input').fill('Five minutes left on lesson 1');
  await page.getByTestId('broadcast-send').click();
  for (const s of [ada, bob]) await expect(s.page.getByTestId('workshop-broadcast')).toContainText('Five minutes left on lesson 1');

  // The CSV has the right rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
  // Every field quoted (issue 25: no separator, whichever a spreadsheet splits on, breaks a field open).
  expect(csv[0]).toBe('"student","lesson","passed","runs","first_pass_at","hints_used","solution_shown_before_passing"');
  expect(csv).toContainEqual(expect.stringMatching(new RegExp(`^"Ada","${LESSON}","yes","1","\\d{4}-\\d\\d-\\d\\dT.*","0","no"$`)));
  expect(csv).toContainEqual(`"Bob","${LESSON}","no","0","","0",""`);
  for (const s of [ada, bob]) await s.context.close();
});

// Issue 32, items 8 and 10: a lesson the instructor locks again says so (not "not opened yet"); the lock and the
// broadcast's megaphone are icons that ship with the app, each with words beside it, in the outline and the dashboard.
test('a re-locked lesson says it was locked again; lock and broadcast icons are the app’s own, with words', async ({ page, browser, baseURL }, testInfo) => {
  const code = await startWorkshop(page, instructorToken(), 'Locks and icons');
  const ada = await joinAs(browser, baseURL!, code, 'Ada');
  const toggle = page.locator(`[data-testid="lesson-toggle"][data-lesson="${LESSON}"]`);
  await toggle.locator('input').click();
  await expect(toggle.getByTestId('lesson-toggle-state')).toHaveText('locked');

  // The student, in the lesson they had open: locked again, in words; Run cannot go.
  const notice = ada.page.getByTestId('run-blocked');
  await expect(notice).toHaveText('Locked again by your instructor for now: your code here is kept, and runs once they open the lesson again.');
  await expect(ada.page.getByTestId('run-button')).toBeDisabled();
  await expect(ada.page.locator('body')).not.toContainText('not opened');

  // The outline's lock: an SVG icon that draws without any emoji font, and the word beside it.
  const entry = ada.page.locator(`[data-testid="outline-lesson"][data-lesson-id="${LESSON}"]`);
  await expect(entry).toHaveAttribute('data-locked', 'true');
  const lock = entry.locator('svg[data-icon="lock"]');
  await expect(lock).toBeVisible();
  expect((await lock.boundingBox())!.width).toBeGreaterThan(8);
  await expect(entry.locator('.outline-locked')).toHaveText('locked');
  await expect(entry).toContainText('locked by your instructor');
  // The dashboard's column head says it too.
  const head = page.locator(`[data-testid="room-lesson-head"][data-lesson="${LESSON}"]`);
  await expect(head.locator('svg[data-icon="lock"]')).toBeVisible();
  await expect(head).toContainText('locked');

  // A broadcast: the app's megaphone, and who it is from in words.
  await page.getByTestId('broadcast-input').fill('Lesson 1 is closed for a moment');
  await page.getByTestId('broadcast-send').click();
  const broadcast = ada.page.getByTestId('workshop-broadcast');
  await expect(broadcast).toContainText('Your instructor: Lesson 1 is closed for a moment');
  await expect(broadcast.locator('svg[data-icon="megaphone"]')).toBeVisible();
  // No emoji left to draw as empty boxes, on either page.
  for (const p of [ada.page, page]) expect(await p.locator('body').textContent()).not.toMatch(/[\u{1F300}-\u{1FAFF}]/u);
  await ada.page.screenshot({ path: testInfo.outputPath('08-after.png') });
  await ada.page.screenshot({ path: testInfo.outputPath('10-after.png') });
  await page.screenshot({ path: testInfo.outputPath('10-after-dashboard.png') });

  // Opened again, the lesson runs again.
  await toggle.locator('input').click();
  await expect(ada.page.getByTestId('run-button')).toBeEnabled();
  await ada.context.close();
});
