import { expect, test } from '@playwright/test';
import { cell, instructorToken, joinAs, startWorkshop } from '../support/classroom.js';
import { lessonFile } from '../support/lesson-files.js';
import { OwnServer } from '../support/own-server.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue #14: a server restart in the middle of a workshop loses nothing, and
 * everyone reconnects by themselves: the dashboard comes back with the room,
 * the student with their workshop and their code. Its own server (port = the
 * e2e port + 20), so it can be restarted.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const starter = lessonFile('01-first-jail/01-a-jail-that-leaks', '_files/jail.c');
const server = new OwnServer(Number(process.env.JAILLAB_E2E_PORT ?? 7899) + 20);

test.beforeAll(async () => {
  await server.start();
});
test.afterAll(async () => {
  await server.stop();
  server.dispose();
});

test('a restart mid-workshop: instructor and student reconnect by themselves, nothing lost', async ({ browser }) => {
  test.setTimeout(240_000);
  const teacherContext = await browser.newContext({ baseURL: server.url });
  const teacher = await teacherContext.newPage();
  const code = await startWorkshop(teacher, instructorToken(server.dataDir), 'Restart drill');
  const ada = await joinAs(browser, server.url, code, 'Ada');
  const ws = new Workspace(ada.page);
  const mine = `${starter}\n// Ada's own line, kept through a restart\n`;
  await ws.replaceCode(mine);
  await ws.run();
  expect(await ws.runOutcome()).toBe('failed');
  await expect(cell(teacher, 'Ada', LESSON)).toHaveAttribute('data-status', 'in-progress');
  await expect(ada.page.getByTestId('server-save')).toHaveText('Saved');

  await server.stop();
  for (const p of [teacher, ada.page]) await expect(p.getByTestId('connection-status')).not.toHaveAttribute('data-state', 'connected');
  await server.start();
  for (const p of [teacher, ada.page]) await expect(p.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });

  // The room is all there, on a dashboard that re-watched by itself.
  await expect(teacher.getByTestId('room-row')).toHaveCount(1);
  await expect(cell(teacher, 'Ada', LESSON)).toHaveAttribute('data-status', 'in-progress');
  // So is the student's workshop, and her code, on the page and on a fresh load.
  await expect(ada.page.getByTestId('workshop-name')).toHaveText('Ada');
  await ada.page.reload();
  await expect(ada.page.getByTestId('workshop-name')).toHaveText('Ada');
  await expect.poll(() => ws.savedCode(LESSON)).toContain("Ada's own line");
  // And the room goes on: a broadcast after the restart reaches her.
  await teacher.getByTestId('broadcast-input').fill('We are back');
  await teacher.getByTestId('broadcast-send').click();
  await expect(ada.page.getByTestId('workshop-broadcast')).toContainText('We are back');
  await ada.context.close();
  await teacherContext.close();
});
