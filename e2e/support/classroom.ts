import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test';

/** The e2e server's instructor token: it keeps it in its data directory (playwright.config.ts sets that). */
export function instructorToken(dataDir = process.env.JAILLAB_E2E_DATA_DIR!): string {
  return readFileSync(join(dataDir, 'instructor-token'), 'utf8').trim();
}

/** An instructor in a browser of their own: signs in with the token and starts a workshop; returns its join code. */
export async function startWorkshop(page: Page, token: string, title: string): Promise<string> {
  await page.goto('/instructor');
  await page.getByTestId('instructor-token').fill(token);
  await page.getByTestId('instructor-sign-in').click();
  await page.getByTestId('workshop-title').fill(title);
  await page.getByTestId('create-workshop').click();
  await expect(page.getByTestId('dashboard')).toBeVisible();
  return ((await page.getByTestId('join-code-big').textContent()) ?? '').replace(/\s+/g, '');
}

/** A student in a browser of their own joins with the code and a name; lands on the workshop's first lesson. */
export async function joinAs(browser: Browser, baseURL: string, code: string, name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto(`/join/${code}`);
  await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-button').click();
  await expect(page.getByTestId('workshop-name')).toHaveText(name);
  await expect(page.getByTestId('run-button')).toBeEnabled();
  return { context, page };
}

/** The dashboard's cell for a student and a lesson. */
export const cell = (page: Page, student: string, lessonId: string) => page.locator(`[data-testid="room-row"][data-name="${student}"] [data-testid="room-cell"][data-lesson="${lessonId}"]`);
