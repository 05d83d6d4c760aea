import { expect, test } from '@playwright/test';
import { instructorToken, joinAs } from '../support/classroom.js';

/**
 * Issue #25: a room size the instructor sets. Set at the start, shown on the
 * dashboard, changed from it; a student beyond it is told the room is full,
 * and gets in once the instructor makes room.
 */
test('the instructor sets the room size; a student beyond it is told the room is full, and gets in when it grows', async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto('/instructor');
  await page.getByTestId('instructor-token').fill(instructorToken());
  await page.getByTestId('instructor-sign-in').click();
  await page.getByTestId('workshop-title').fill('A room of one');
  await page.getByTestId('workshop-room-size').fill('1');
  await page.getByTestId('create-workshop').click();
  await expect(page.getByTestId('dashboard')).toBeVisible();
  await expect(page.locator('.dashboard-meta')).toContainText('0 of 1 student ·');
  const code = ((await page.getByTestId('join-code-big').textContent()) ?? '').replace(/\s+/g, '');

  await joinAs(browser, baseURL!, code, 'Ada');
  await expect(page.locator('.dashboard-meta')).toContainText('1 of 1 student ·');

  // The second is turned away, in words.
  const context = await browser.newContext({ baseURL });
  const late = await context.newPage();
  await late.goto(`/join/${code}`);
  await late.getByTestId('join-name').fill('Bob');
  await late.getByTestId('join-button').click();
  await expect(late.getByRole('alert')).toContainText(/full/i);

  // The instructor makes room; Bob tries again and is in.
  await page.getByTestId('room-size-input').fill('2');
  await page.getByTestId('room-size-set').click();
  await expect(page.locator('.dashboard-meta')).toContainText('of 2 students');
  await late.getByTestId('join-button').click();
  await expect(late.getByTestId('workshop-name')).toHaveText('Bob');
  await expect(page.locator('.dashboard-meta')).toContainText('2 of 2 students');
});
