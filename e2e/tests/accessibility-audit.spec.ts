import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { audit, audited, auditListing } from '../support/axe.js';
import { cell, instructorToken } from '../support/classroom.js';
import { lessonFile } from '../support/lesson-files.js';
import { ShellTab } from '../support/shell.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue 28: axe-core over every page and state a user meets — a lesson
 * before and after a run (escaped, passed), its hints, its replay (timeline
 * and table), the Shell tab, the comparison with the solution, the keyboard
 * help, the capstone's nineteen checks, a phone, the dark scheme, the
 * instructor's pages, the live dashboard, dropping in, joining, and a
 * student's workshop banner with a broadcast. Zero serious or critical
 * WCAG 2.1 A/AA violations in each; the list of what was audited is printed
 * and written to .data/e2e-results/axe-audit.txt.
 */
const LESSON_1 = 'first-jail/a-jail-that-leaks';
const LESSON_1_FOLDER = '01-first-jail/01-a-jail-that-leaks';
const CAPSTONE = 'capstone/a-jail-that-holds';
const solution = lessonFile(LESSON_1_FOLDER, '_solution/jail.c');

const statesOf = (prefix: string): string[] => audited.filter((r) => r.state.startsWith(prefix)).map((r) => r.state);

test.afterAll(async ({}, testInfo) => {
  const listing = auditListing(audited);
  console.log(listing);
  writeFileSync(join(testInfo.project.outputDir, 'axe-audit.txt'), `${listing}\n`);
});

test('a learner alone: home, lesson 1 before and after a run, hints, the replay, the Shell tab, passed, dark, a phone', async ({ page }) => {
  test.setTimeout(240_000);
  const ws = new Workspace(page);
  await page.goto('/');
  await expect(page).toHaveURL(new RegExp(`/lessons/${LESSON_1}$`));
  await expect(ws.editor).toBeVisible();
  await expect(ws.runButton).toBeEnabled();
  await audit(page, 'learner: home (the first lesson, before any run)');

  await page.getByTestId('tab-shell').click();
  await expect(page.getByTestId('shell-intro')).toBeVisible();
  await audit(page, 'learner: Shell tab, before a shell');
  const shell = new ShellTab(page);
  await shell.open();
  await audit(page, 'learner: Shell tab, a shell open');
  await page.getByTestId('close-shell').click();
  await shell.waitFor(/You closed the shell/);

  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  await expect(ws.check('cwd-outside')).toHaveAttribute('data-verdict', 'escaped');
  await audit(page, 'learner: lesson 1 after a run, escaped');

  await page.getByTestId('reveal-hint').click();
  await expect(page.getByTestId('hint').first()).toBeVisible();
  await audit(page, 'learner: lesson 1, a hint shown');

  await ws.check('cwd-outside').getByTestId('replay-open').click();
  await expect(page.getByTestId('replay-dialog')).toBeVisible();
  await audit(page, 'learner: the replay open (timeline)');
  await page.getByTestId('replay-view-table').click();
  await expect(page.getByTestId('replay-table')).toBeVisible();
  await audit(page, 'learner: the replay open (table)');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('replay-dialog')).toBeHidden();

  await page.getByTestId('keyboard-help-open').click();
  await expect(page.getByTestId('keyboard-help')).toBeVisible();
  await audit(page, 'learner: the keyboard help open');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('keyboard-help')).toBeHidden();

  await page.getByTestId('compare-solution').click();
  await expect(page.getByTestId('solution-diff')).toBeVisible();
  await audit(page, 'learner: compared with the solution');
  await page.getByTestId('close-compare').click();

  await ws.replaceCode(solution);
  await ws.run();
  expect(await ws.runOutcome()).toBe('passed');
  await expect(page.getByTestId('next-lesson')).toBeVisible();
  await audit(page, 'learner: lesson 1 after a run, passed');

  await page.emulateMedia({ colorScheme: 'dark' });
  await audit(page, 'learner: lesson 1 passed, dark scheme');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId('read-only-notice')).toBeVisible();
  await audit(page, 'learner: a phone (390×844)');

  expect(statesOf('learner:')).toHaveLength(12);
});

test('the capstone: its nineteen checks before a run and after the starter escapes', async ({ page }) => {
  test.setTimeout(240_000);
  const ws = new Workspace(page);
  await ws.open(CAPSTONE);
  await expect(ws.checks).toHaveCount(19);
  await audit(page, 'capstone: 19 checks, before a run');
  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  await audit(page, 'capstone: 19 checks after a run, some escaped');
  await page.emulateMedia({ colorScheme: 'dark' });
  await audit(page, 'capstone: after a run, dark scheme');
  expect(statesOf('capstone:')).toHaveLength(3);
});

test('a workshop: the instructor’s pages, the join page, a student’s banner and broadcast, the live dashboard, drop-in', async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  await page.goto('/instructor');
  await expect(page.getByTestId('instructor-token')).toBeVisible();
  await audit(page, 'workshop: the instructor’s page, signed out');
  await page.getByTestId('instructor-token').fill(instructorToken());
  await page.getByTestId('instructor-sign-in').click();
  await expect(page.getByTestId('workshop-title')).toBeVisible();
  await audit(page, 'workshop: the instructor’s start page');
  await page.getByTestId('workshop-title').fill('Accessible jails');
  await page.getByTestId('create-workshop').click();
  await expect(page.getByTestId('dashboard')).toBeVisible();
  const code = ((await page.getByTestId('join-code-big').textContent()) ?? '').replace(/\s+/g, '');
  await audit(page, 'workshop: the live dashboard, empty');

  const student = await browser.newContext({ baseURL });
  const ada = await student.newPage();
  await ada.goto(`/join/${code}`);
  await expect(ada.getByTestId('join-name')).toBeVisible();
  await audit(ada, 'workshop: the join page');
  await ada.getByTestId('join-name').fill('Ada');
  await ada.getByTestId('join-button').click();
  await expect(ada.getByTestId('workshop-name')).toHaveText('Ada');
  const ws = new Workspace(ada);
  await expect(ws.runButton).toBeEnabled();
  await audit(ada, 'workshop: a student’s lesson with the workshop banner');

  await ws.replaceCode(solution);
  await ws.run();
  expect(await ws.runOutcome()).toBe('passed');
  await page.getByTestId('broadcast-input').fill('Ten minutes left');
  await page.getByTestId('broadcast-send').click();
  await expect(ada.getByTestId('workshop-broadcast')).toContainText('Ten minutes left');
  await audit(ada, 'workshop: the student’s banner with a broadcast');

  await expect(cell(page, 'Ada', LESSON_1)).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
  await audit(page, 'workshop: the live dashboard with a student who passed');
  await cell(page, 'Ada', LESSON_1).locator('button').click();
  await expect(page.getByTestId('drop-in-outcome')).toContainText(/passed/i);
  await audit(page, 'workshop: dropping in on a student');
  await page.emulateMedia({ colorScheme: 'dark' });
  await audit(page, 'workshop: the dashboard and drop-in, dark scheme');
  await student.close();
  expect(statesOf('workshop:')).toHaveLength(9);
});
