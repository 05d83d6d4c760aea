import { expect, test } from '@playwright/test';
import { Workspace } from '../support/workspace.js';

/**
 * A program whose output tries to hijack the learner's terminal and page:
 * a window title, a clipboard write (OSC 52), a hyperlink, terminal queries.
 * In the real browser, after a real run, none of it may take effect; the text
 * around the sequences still shows.
 */
const LESSON = 'first-jail/a-jail-that-leaks';

const HOSTILE = `#include <stdio.h>
int main(void) {
  printf("before-the-escapes ");
  printf("\\033]0;pwned title\\007\\033]2;pwned again\\033\\\\");
  printf("\\033]52;c;aGlqYWNrZWQ=\\007");
  printf("\\033]8;;https://evil.example/\\007click-me\\033]8;;\\007");
  printf("\\033[6n\\033[c\\033[18t\\033P$qm\\033\\\\");
  printf(" \\033]4;1;rgb:12/34/56\\007\\033[31mpalette-probe\\033[0m");
  printf(" after-the-escapes\\n");
  return 0;
}
`;

test('program output cannot set the title, the clipboard or links, nor make the terminal answer', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const ws = new Workspace(page);
  await ws.open(LESSON);
  await page.evaluate(() => navigator.clipboard.writeText('the learner copied this'));
  const title = await page.title();

  await ws.replaceCode(HOSTILE);
  await expect.poll(() => ws.savedCode(LESSON)).toBe(HOSTILE);
  await ws.run();
  await ws.runOutcome();
  await expect(ws.terminal).toContainText('before-the-escapes click-me palette-probe after-the-escapes');

  // What an unguarded xterm does visibly in the page: OSC 4 repaints its palette, so the red text would be #123456.
  const probeColour = await ws.terminal.locator('span', { hasText: 'palette-probe' }).last().evaluate((el) => getComputedStyle(el).color);
  expect(probeColour).not.toBe('rgb(18, 52, 86)');
  expect(await page.title()).toBe(title);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('the learner copied this');
  await expect(ws.terminal.locator('a[href]')).toHaveCount(0);
  expect(await page.evaluate(() => document.querySelectorAll('a[href^="https://evil"]').length)).toBe(0);
});
