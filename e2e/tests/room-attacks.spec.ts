import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { audit } from '../support/axe.js';
import { instructorToken, joinAs, startWorkshop } from '../support/classroom.js';
import { lessonFile } from '../support/lesson-files.js';
import { OwnServer } from '../support/own-server.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #26: an instructor writes a probe in the browser, tries it against a
 * lesson's solution, keeps it (the files appear under lessons/ and the loader
 * takes them), and fires it at a room of three students with different jails:
 * the dashboard's column fills in live with the right verdicts, and each
 * student sees their result with its replay. Its own server (port = the e2e
 * port + 50) on a copy of lessons/, so a kept probe never touches the repo.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const FOLDER = '01-first-jail/01-a-jail-that-leaks';
const starter = lessonFile(FOLDER, '_files/jail.c');
const solution = lessonFile(FOLDER, '_solution/jail.c');
/** Another jail that holds: into the directory first, then chroot("."). */
const chdirFirst = solution.replace('if (chroot(jail) != 0) {', 'if (chdir(jail) != 0 || chroot(".") != 0) {');
const PROBE = `#include "probe.h"

int main(int argc, char **argv) {
  probe_start(argc, argv, "dotdot-walk");
  /* From a working directory left outside the jail, enough ".." reaches the real root. */
  if (probe_try_read("walking up from the working directory", "../../../../../../outside/secret")) return PROBE_ESCAPED;
  return PROBE_CONTAINED;
}
`;

const lessonsDir = mkdtempSync(join(tmpdir(), 'jaillab-e2e-lessons-'));
cpSync(new URL('../../lessons/', import.meta.url).pathname, lessonsDir, { recursive: true });
const server = new OwnServer(Number(process.env.JAILLAB_E2E_PORT ?? 7899) + 50, { JAILLAB_LESSONS_DIR: lessonsDir, JAILLAB_POOL_SIZE: '2' });

test.beforeAll(async () => {
  await server.start();
});
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server-log', { body: server.output, contentType: 'text/plain' });
});
test.afterAll(async () => {
  await server.stop();
  server.dispose();
  rmSync(lessonsDir, { recursive: true, force: true });
});

/** Replaces Monaco's text the way a paste does (typed text would be auto-indented). */
async function paste(page: Page, text: string, editor = 'probe-code'): Promise<void> {
  await page.locator(`[data-testid="${editor}"] .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('an instructor writes a probe, tries it, keeps it and fires it at a room of three', async ({ browser }, testInfo) => {
  test.setTimeout(420_000);
  const teacherContext = await browser.newContext({ baseURL: server.url });
  const teacher = await teacherContext.newPage();
  const code = await startWorkshop(teacher, instructorToken(server.dataDir), 'Attack drill');
  const dashboardUrl = teacher.url();

  // Three students, three jails, each saved on the server.
  const students = [
    { name: 'Ada', jail: `${starter}\n// Ada: the starter as it is\n`, verdict: 'escaped' },
    { name: 'Bob', jail: solution, verdict: 'contained' },
    { name: 'Cy', jail: chdirFirst, verdict: 'contained' },
  ];
  const joined = [];
  for (const s of students) {
    const j = await joinAs(browser, server.url, code, s.name);
    await new Workspace(j.page).replaceCode(s.jail);
    await expect(j.page.getByTestId('server-save')).toHaveText('Saved');
    joined.push({ ...s, ...j });
  }

  // The probe editor: a probe written in the browser, gcc's word on it, probe.h documented beside it.
  await teacher.goto('/instructor/probes');
  await expect(teacher.getByTestId('probe-helpers')).toContainText('probe_try_read');
  await teacher.getByTestId('probe-id').fill('dotdot-walk');
  await teacher.getByTestId('probe-title').fill('Walking up with ..');
  await teacher.getByTestId('probe-explanation').fill('Walks up from the working directory with "..": a jail that never moved it leaves the real root in reach.');
  await paste(teacher, PROBE.replace('return PROBE_CONTAINED;', 'return PROBE_CONTAINED')); // a typo first
  await expect(teacher.getByTestId('probe-compile-status')).toHaveText(/Does not compile/);
  await expect(teacher.locator('[data-testid="probe-code"] .squiggly-error').first()).toBeVisible();
  await paste(teacher, PROBE);
  await expect(teacher.getByTestId('probe-compile-status')).toHaveText(/^Compiles/);

  // Try it against the lesson's solution (it holds) and its starter (it falls): the learner's run view.
  await teacher.getByTestId('try-lesson').selectOption(LESSON);
  await teacher.getByTestId('try-solution').check();
  await teacher.getByTestId('try-run').click();
  const tried = teacher.locator('[data-testid="probe-try"] [data-testid="check-row"]');
  await expect(tried).toHaveCount(1);
  await expect(tried).toHaveAttribute('data-verdict', 'contained', { timeout: 90_000 });
  await teacher.getByTestId('try-starter').check();
  await teacher.getByTestId('try-run').click();
  await expect(tried).toHaveAttribute('data-verdict', 'escaped', { timeout: 90_000 });
  await teacher.screenshot({ path: testInfo.outputPath('probe-editor.png'), fullPage: true });
  await audit(teacher, 'probe editor, after Try it');

  // Keep it, added to lesson 1 (its starter falls to it): the files appear and the loader takes them.
  await teacher.getByTestId('keep-lesson').selectOption(LESSON);
  await teacher.getByTestId('keep-submit').click();
  await expect(teacher.getByTestId('keep-done')).toContainText('probes/dotdot-walk/probe.md');
  const probeDir = join(lessonsDir, 'probes', 'dotdot-walk');
  expect(readFileSync(join(probeDir, 'probe.c'), 'utf8')).toBe(PROBE);
  expect(readFileSync(join(probeDir, 'probe.md'), 'utf8')).toMatch(/^---\ntitle: Walking up with \.\.\nkind: escape\nsummary: '?Walks up from the working directory with "\.\.": a jail that never moved it leaves the real root in reach\.'?\n/);
  expect(readFileSync(join(lessonsDir, FOLDER, 'lesson.md'), 'utf8')).toMatch(/probes: \[ cwd-outside, dotdot-walk \]/);
  // Keeping it again under the same name is refused, and nothing changes.
  await teacher.getByTestId('keep-submit').click();
  await expect(teacher.getByTestId('keep-error')).toContainText('exists already');
  expect(existsSync(join(probeDir, 'probe.c'))).toBe(true);
  // lessons:check for the lesson, from the page: the starter falls to it as declared, the solution holds.
  await teacher.getByTestId('keep-lesson').selectOption(LESSON);
  await teacher.getByTestId('keep-replace').check();
  await teacher.getByTestId('keep-submit').click();
  await teacher.getByTestId('keep-check').click();
  await expect(teacher.getByTestId('lesson-check')).toHaveAttribute('data-ok', 'true', { timeout: 180_000 });
  await expect(teacher.locator('[data-testid="lesson-check-row"][data-program="starter"][data-probe="dotdot-walk"]')).toHaveAttribute('data-verdict', 'escaped');

  // Fire it at the room from the dashboard: the column fills in, live.
  await teacher.goto(dashboardUrl);
  await expect(teacher.getByTestId('dashboard')).toBeVisible();
  await teacher.getByTestId('fire-probe-open').click();
  await teacher.getByTestId('fire-lesson').selectOption(LESSON);
  await teacher.getByTestId('fire-probe-choice').selectOption('dotdot-walk');
  await teacher.getByTestId('fire-submit').click();
  await expect(teacher.getByTestId('fire-status')).toContainText('Fired at 3 students');
  await expect(teacher.getByTestId('attack-col')).toHaveAttribute('data-probe', 'dotdot-walk');
  await expect(teacher.getByTestId('attack-col-progress')).toHaveText('3 of 3', { timeout: 180_000 });
  for (const s of joined) await expect(teacher.locator(`[data-testid="room-row"][data-name="${s.name}"] [data-testid="attack-cell"]`)).toHaveAttribute('data-verdict', s.verdict);
  // The replay is one click away for the instructor.
  await teacher.locator('[data-testid="room-row"][data-name="Ada"] [data-testid="attack-cell"] button').click();
  await expect(teacher.getByTestId('attack-run-verdict')).toContainText('escaped');
  await teacher.screenshot({ path: testInfo.outputPath('dashboard-fired.png'), fullPage: true });
  await audit(teacher, 'dashboard with a fired probe\'s column and a run open');

  // Each student sees their own result in their workspace, with its replay; the source only once it is shown.
  for (const s of joined) {
    const notice = s.page.getByTestId('attack-notice');
    await expect(notice).toHaveAttribute('data-verdict', s.verdict);
    await expect(notice).toContainText('Walking up with ..');
    await expect(s.page.getByTestId('attack-notice-source')).toHaveCount(0);
  }
  const ada = joined[0]!.page;
  await ada.getByTestId('attack-notice-open').click();
  await expect(ada.getByTestId('attack-run-verdict')).toContainText('escaped');
  await audit(ada, 'a student\'s workspace with a fired probe\'s result open');
  await ada.getByTestId('attack-replay').click();
  await expect(ada.getByTestId('replay-dialog')).toBeVisible();
  await ada.screenshot({ path: testInfo.outputPath('student-replay.png') });
  await ada.getByTestId('replay-close').click();
  await teacher.getByTestId('attack-show-source').click();
  await expect(ada.getByTestId('attack-notice-source')).toContainText('dotdot-walk');

  // The CSV gains the probe's column.
  const [download] = await Promise.all([teacher.waitForEvent('download'), teacher.getByTestId('export-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
  expect(csv[0]).toMatch(/,"probe: Walking up with \.\. \(.+\)"$/);
  for (const s of students) expect(csv).toContainEqual(expect.stringMatching(new RegExp(`^"${s.name}","${LESSON}",.*,"${s.verdict}"$`)));
  for (const s of joined) await s.context.close();
  await teacherContext.close();
});

test('a break-it round of three: one student\'s probe breaks a weak jail and not a strong one, within the budget, sources hidden until revealed', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const teacherContext = await browser.newContext({ baseURL: server.url });
  const teacher = await teacherContext.newPage();
  const code = await startWorkshop(teacher, instructorToken(server.dataDir), 'Break-it drill');
  const ada = await joinAs(browser, server.url, code, 'Ada');
  const bob = await joinAs(browser, server.url, code, 'Bob');
  const cy = await joinAs(browser, server.url, code, 'Cy');
  for (const [s, jail] of [[ada, `${starter}\n// Ada's weak jail\n`], [bob, solution]] as const) {
    await new Workspace(s.page).replaceCode(jail);
    await expect(s.page.getByTestId('server-save')).toHaveText('Saved');
  }

  // The instructor opens a round on lesson 1: 20 minutes, 2 runs each.
  await teacher.getByTestId('round-controls-open').click();
  await teacher.getByTestId('round-lesson').selectOption(LESSON);
  await teacher.getByTestId('round-budget').fill('2');
  await teacher.getByTestId('round-open').click();
  await expect(teacher.getByTestId('round-summary')).toContainText('0 of 0 jails standing');
  for (const s of [ada, bob]) {
    await s.page.getByTestId('round-submit').click();
    await expect(s.page.getByTestId('round-submitted')).toHaveText('Your jail is in the round.');
  }
  await expect(teacher.getByTestId('round-summary')).toContainText('2 of 2 jails standing');

  // Cy writes a probe and fires it at Ada's jail, then at Bob's: the scoreboards follow without a reload.
  await cy.page.getByTestId('round-probe-title').fill('Walking up');
  // The same editor as the instructor's: gcc's markers as it is typed, probe.h's helpers beside it.
  await paste(cy.page, PROBE.replace('return PROBE_CONTAINED;', 'return PROBE_CONTAINED'), 'round-probe-code');
  await expect(cy.page.getByTestId('round-compile-status')).toHaveText(/Does not compile/);
  await expect(cy.page.locator('[data-testid="round-probe-code"] .squiggly-error').first()).toBeVisible();
  await paste(cy.page, PROBE, 'round-probe-code');
  await expect(cy.page.getByTestId('round-compile-status')).toHaveText(/^Compiles/);
  await expect(cy.page.getByTestId('probe-helpers')).toContainText('probe_try_read');
  await cy.page.getByTestId('round-target').selectOption({ label: "Ada's jail" });
  await cy.page.getByTestId('round-fire').click();
  await expect(cy.page.locator('[data-testid="round-fired"]')).toHaveAttribute('data-verdict', 'escaped', { timeout: 90_000 });
  for (const p of [teacher, cy.page, bob.page]) {
    await expect(p.getByTestId('round-summary')).toContainText('1 of 2 jails standing');
    await expect(p.getByTestId('round-first-blood')).toHaveText("first blood: Cy broke Ada's jail");
  }
  await cy.page.getByTestId('round-target').selectOption({ label: "Bob's jail" });
  await cy.page.getByTestId('round-fire').click();
  await expect(cy.page.locator('[data-testid="round-fired"]').first()).toHaveAttribute('data-verdict', 'contained', { timeout: 90_000 });
  // The budget is spent: no third shot.
  await expect(cy.page.getByTestId('round-fire')).toHaveText('Fire (0 of 2 left)');
  await expect(cy.page.getByTestId('round-fire')).toBeDisabled();
  await expect(teacher.locator('[data-testid="round-row"][data-name="Cy"]')).toHaveAttribute('data-escapes', '1');
  await expect(teacher.locator('[data-testid="round-row"][data-name="Bob"]')).toHaveAttribute('data-standing', 'true');

  // Ada sees which probe broke her jail and how (its replay); neither side sees the other's source yet.
  const received = ada.page.getByTestId('round-received');
  await expect(received).toHaveAttribute('data-verdict', 'escaped');
  await expect(received).toContainText("Cy's probe “Walking up” at your jail");
  await received.getByTestId('round-shot-open').click();
  await expect(ada.page.getByTestId('attack-run-verdict')).toContainText('escaped');
  await ada.page.getByTestId('attack-replay').click();
  await expect(ada.page.getByTestId('replay-dialog')).toBeVisible();
  await ada.page.screenshot({ path: testInfo.outputPath('round-student.png') });
  await ada.page.getByTestId('replay-close').click();
  for (const p of [ada.page, cy.page]) await expect(p.getByTestId('round-other-source')).toHaveCount(0);

  // The instructor ends the round and reveals: now each side sees the other's source.
  await teacher.getByTestId('round-end').click();
  await expect(teacher.getByTestId('round-time')).toHaveText('over');
  await teacher.getByTestId('round-reveal').click();
  await expect(ada.page.getByTestId('round-other-source')).toContainText('dotdot-walk');
  await expect(cy.page.getByTestId('round-other-source').last()).toContainText("Ada's weak jail");
  await teacher.screenshot({ path: testInfo.outputPath('round-dashboard.png'), fullPage: true });
  await audit(cy.page, 'a break-it round, over and revealed, from the attacker\'s page');
  const [download] = await Promise.all([teacher.waitForEvent('download'), teacher.getByTestId('round-export').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
  expect(csv).toContainEqual(expect.stringMatching(/^"Cy","Ada","Walking up","escaped"/));
  expect(csv).toContainEqual(expect.stringMatching(/^"Cy","Bob","Walking up","contained"/));
  for (const s of [ada, bob, cy]) await s.context.close();
  await teacherContext.close();
});
