import { expect, test } from '@playwright/test';
import { cell, instructorToken, joinAs } from '../support/classroom.js';
import { joinOverSockets } from '../support/room.js';
import { Workspace } from '../support/workspace.js';

/**
 * Issue 32, items 7 and 9: the dashboard of a room of 40 (real sockets, a real run) on a 1440×900 screen. The
 * lesson toggles say open or locked; no header is cut; "stuck on" names the probe by its title; the capacity
 * line is a sentence that adds up; the create form says unchecked lessons are left out; once the room is in,
 * the join panel folds away and the grid shows the room densely, its names and headers sticky. Where students
 * scan the QR code, and on the join page, they are told a phone can watch but not run.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const ROOM = Array.from({ length: 40 }, (_, i) => `Student ${String(i + 1).padStart(2, '0')}`);

test('a room of 40 on one screen: toggles in words, whole headers, stuck-on titles, a capacity sentence, a join panel that folds', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto('/instructor');
  await page.getByTestId('instructor-token').fill(instructorToken());
  await page.getByTestId('instructor-sign-in').click();
  // The create form says what an unchecked lesson becomes: left out, not locked.
  await expect(page.getByTestId('create-lessons-hint')).toContainText('Unchecked lessons are left out of the workshop, not locked');
  await page.getByTestId('workshop-title').fill('A room of forty');
  await page.getByTestId('create-workshop').click();
  await expect(page.getByTestId('dashboard')).toBeVisible();
  const code = ((await page.getByTestId('join-code-big').textContent()) ?? '').replace(/\s+/g, '');
  // Said where the students scan: a phone watches, a laptop runs.
  await expect(page.getByTestId('join-phone-note')).toHaveText('Phones can follow the lessons and watch runs; writing and running a jail needs a laptop.');

  const room = await joinOverSockets(browser, baseURL!, code, ROOM);
  // And one in a browser who runs the starter: lesson 1's probe escapes, so the room is stuck on it.
  const ada = await joinAs(browser, baseURL!, code, 'Ada');
  const adaWs = new Workspace(ada.page);
  await adaWs.run();
  expect(await adaWs.runOutcome()).toBe('failed');
  await expect(page.getByTestId('room-row')).toHaveCount(41);
  await expect(cell(page, 'Ada', LESSON)).toHaveAttribute('data-status', /in-progress|stuck/);

  // "Stuck on" is the probe's title, whole, not its id cut short.
  const stuck = page.locator(`[data-testid="lesson-stat"][data-lesson="${LESSON}"] [data-testid="stat-escape"]`);
  await expect(stuck).toHaveText('The working directory left outside');
  await expect(stuck).toHaveAttribute('data-probe', 'cwd-outside');

  // The capacity line adds up: runs against run slots, ready VMs apart.
  await expect(page.getByTestId('capacity')).toHaveText(/^Running \d+ of \d+ runs? at a time, (none|\d+) waiting · \d+ fresh VMs? booted for the next runs(, \d+ more starting)? \((kvm|tcg)\)$/);

  // Each toggle says open or locked beside it, and changes with it.
  const toggles = page.getByTestId('lesson-toggle');
  const lessons = await toggles.count();
  expect(lessons).toBeGreaterThan(10);
  await expect(page.getByTestId('lesson-toggle-state')).toHaveText(Array(lessons).fill('open'));
  const second = toggles.nth(1);
  await second.locator('input').click();
  await expect(second.getByTestId('lesson-toggle-state')).toHaveText('locked');
  await expect(second.locator('input')).not.toBeChecked();

  // The room is in: the join panel folds to one line that still carries the code.
  await page.getByTestId('join-fold').click();
  await expect(page.getByTestId('join-panel')).toHaveAttribute('data-folded', 'true');
  await expect(page.getByTestId('join-code-small')).toHaveText(`${code.slice(0, 3)} ${code.slice(3)}`);
  await expect(page.getByTestId('join-fold')).toHaveAttribute('aria-expanded', 'false');

  // Every lesson column fits beside the names (nothing cut at the right), every header's title whole in its cell.
  const layout = await page.getByTestId('room-grid').evaluate((table) => {
    const wrap = table.parentElement!;
    const heads = Array.from(table.querySelectorAll<HTMLElement>('[data-testid="room-lesson-head"]'));
    const cut = heads.filter((th) => {
      const t = th.querySelector<HTMLElement>('.room-lesson-title')!;
      const a = th.getBoundingClientRect();
      const b = t.getBoundingClientRect();
      return t.textContent !== th.title || b.left < a.left - 0.5 || b.right > a.right + 0.5 || b.bottom > a.bottom + 0.5 || t.scrollWidth > t.clientWidth;
    });
    const rows = Array.from(table.querySelectorAll<HTMLElement>('[data-testid="room-row"]')).map((r) => r.getBoundingClientRect().height);
    return { heads: heads.length, cut: cut.map((th) => th.title), overflowX: wrap.scrollWidth - wrap.clientWidth, rowHeight: Math.max(...rows), wrapBottom: wrap.getBoundingClientRect().bottom };
  });
  expect(layout.heads).toBe(lessons);
  expect(layout.cut).toEqual([]);
  expect(layout.overflowX).toBe(0);
  // Dense rows: a room of 40 is about a screen of grid.
  expect(layout.rowHeight).toBeLessThanOrEqual(26);
  expect(layout.wrapBottom).toBeLessThanOrEqual(900);
  // The per-lesson counts (sticky at the grid's foot) are on the first screen, the page not scrolled.
  await expect(page.locator(`[data-testid="lesson-stat"][data-lesson="${LESSON}"]`)).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('07-after.png') });

  // Scrolled to the last student: the headers and the name column stay where they are.
  const wrap = page.locator('.room-grid-wrap');
  await wrap.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('[data-testid="room-row"]').last()).toBeInViewport();
  // The header row is held at the top of the grid's box (the caption above it has scrolled away).
  const wrapTop = (await wrap.boundingBox())!.y;
  const headTop = (await page.locator('[data-testid="room-lesson-head"]').first().boundingBox())!.y;
  expect(Math.abs(headTop - wrapTop)).toBeLessThan(3);
  await expect(page.locator('[data-testid="room-lesson-head"]').last()).toBeInViewport();
  await expect(page.locator('[data-testid="room-row"] .room-name-col').first()).toHaveCSS('position', 'sticky');

  await room.close();
  await ada.context.close();
});

test('the join page tells a phone, before it joins, that it can watch but not run', async ({ browser, baseURL }, testInfo) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
  const phone = await context.newPage();
  await phone.goto('/join/ABCDEF');
  const note = phone.getByTestId('join-page-phone-note');
  await expect(note).toBeInViewport({ ratio: 1 });
  await expect(note).toHaveText('Phones can follow the lessons and watch runs; writing and running a jail needs a laptop.');
  // Before the name field and the Join button: read before anyone types.
  expect((await note.boundingBox())!.y).toBeLessThan((await phone.getByTestId('join-name').boundingBox())!.y);
  await phone.screenshot({ path: testInfo.outputPath('09-after.png') });
  await context.close();
});
