import { expect, type Locator, type Page } from '@playwright/test';

/** The focused element's test id, id, or tag: what a keyboard test checks focus against. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    return el.dataset.testid ?? (el.id || el.tagName.toLowerCase());
  });
}

/** Whether the focused element is inside `container`. */
export async function focusIsIn(container: Locator): Promise<boolean> {
  return container.evaluate((c) => c.contains(document.activeElement));
}

/**
 * Presses `key` until `target` has focus, as a keyboard user tabs through a
 * page, at most `limit` times; fails if it never gets there. Returns how many presses it took.
 */
export async function pressUntilFocused(page: Page, key: string, target: Locator, limit = 40): Promise<number> {
  for (let n = 1; n <= limit; n++) {
    await page.keyboard.press(key);
    if (await target.evaluate((el) => el === document.activeElement)) return n;
  }
  await expect(target, `${key} ×${limit} never reached it`).toBeFocused();
  return limit;
}
