import { expect, type Page, test } from '@playwright/test';
import { OUTPUT_HIGH_WATER_BYTES } from '@jaillab/protocol';
import { clickTabs, FLOOD_LESSON, FLOOD_LINE, instrument, startFlood, watchSocket } from './flood.js';
import { lessonFile } from './lesson-files.js';
import { ShellTab } from './shell.js';
import { Workspace } from './workspace.js';

/**
 * What a shell must do wherever it runs — in the server's own VMs (the local
 * project's workspace-shell.spec.ts) or on a runner behind Redis (the remote
 * project's remote-shell.spec.ts): the page cannot tell, and these checks are
 * the same for both.
 */
/** The server coalesces output into frames of at most this much (sandbox-server/src/ws/flow-control.ts). */
const MAX_FRAME_BYTES = 64 << 10;
const starter = lessonFile('01-first-jail/01-a-jail-that-leaks', '_files/jail.c');

/** Opens a shell, runs ls /, then the learner's jail by hand (the jail's view); resizing reaches the pty. Leaves it open. */
export async function shellRunsTheJailAndResizes(page: Page): Promise<ShellTab> {
  const ws = new Workspace(page);
  await ws.open(FLOOD_LESSON);
  await ws.replaceCode(starter);
  const shell = new ShellTab(page);
  await shell.open();
  await expect(page.getByTestId('shell-message')).toContainText(/without input/);

  await shell.type('ls /');
  await shell.waitFor(/\bjail\b[\s\S]*\boutside\b/);

  // '' splits the marker in the echoed command line, so only the output line matches.
  await shell.type('jailer /jail /bin/sh');
  await shell.waitFor(/chroot\("\/jail"\) done/);
  await shell.type("echo JAIL''VIEW; ls /; echo END''VIEW");
  const text = await shell.waitFor(/JAILVIEW\n[\s\S]*\nENDVIEW/);
  const view = text.slice(text.lastIndexOf('JAILVIEW'), text.lastIndexOf('ENDVIEW'));
  expect(view).toMatch(/\bbin\b/);
  expect(view).toMatch(/\bdata\b/);
  expect(view).not.toMatch(/\boutside\b/);

  // Resizing the window refits the terminal; the shell's pty gets the new size.
  await shell.type("echo SIZE''A $(stty size)");
  const before = (await shell.waitFor(/SIZEA \d+ \d+/)).match(/SIZEA (\d+) (\d+)/)!;
  await page.setViewportSize({ width: 1100, height: 700 });
  await expect
    .poll(async () => {
      await shell.type("echo SIZE''B $(stty size)");
      const m = (await shell.waitFor(/SIZEB \d+ \d+/)).match(/SIZEB (\d+) (\d+)(?![\s\S]*SIZEB)/);
      return m ? `${m[1]} ${m[2]}` : '';
    })
    .not.toBe(`${before[1]} ${before[2]}`);
  return shell;
}

/** Closes the shell from its bar and sees it say so. */
export async function closeShell(page: Page, shell: ShellTab): Promise<void> {
  await page.getByTestId('close-shell').click();
  await shell.waitFor(/You closed the shell/);
  await expect(shell.openButton).toBeVisible();
}

/**
 * A flood of shell output keeps the page responsive: a click answers while it streams, the page never holds more
 * unacknowledged output than the high-water mark plus a frame, and nothing is dropped. Ends with the flood stopped.
 */
export async function floodIsHeldByAcks(page: Page): Promise<void> {
  const ledger = watchSocket(page);
  const shell = await startFlood(page);
  await instrument(page);

  // Every click is answered, and painted, while the flood goes on: a page that froze would answer none. How fast is
  // the UI benchmark's question (`npm run bench:ui`), never this test's.
  const sample = await clickTabs(page, 6, 20_000);
  test.info().annotations.push({ type: 'flood', description: `click ${sample.clickMs.join(', ')} ms; click to paint ${sample.paintMs.join(', ')} ms; long tasks ${sample.longTasks.join(', ') || 'none'} ms` });
  expect(sample.paintMs).toHaveLength(6);

  // Throttled by acknowledgements: the page never holds more unacknowledged output than the server's
  // high-water mark plus one frame, however fast the VM writes.
  // More than one high-water mark must have got through (so acks were flowing): waited for, not assumed after the
  // clicks — through a runner and Redis the flood may still be under it then (it was once, in CI: 214550 bytes).
  await expect.poll(() => ledger.received, { timeout: 30_000 }).toBeGreaterThan(OUTPUT_HIGH_WATER_BYTES);
  expect(ledger.maxOutstanding).toBeLessThanOrEqual(OUTPUT_HIGH_WATER_BYTES + MAX_FRAME_BYTES);

  // And not dropped: it keeps flowing, and every whole line on screen is a whole flood line.
  await page.getByTestId('tab-shell').click();
  const before = ledger.received;
  await expect.poll(() => ledger.received, { timeout: 30_000 }).toBeGreaterThan(before + OUTPUT_HIGH_WATER_BYTES);
  const rows = (await shell.rows()).map((r) => r.replace(/\u00a0/g, ' ').trimEnd()).filter(Boolean);
  expect(rows.slice(0, -1).every((r) => r === FLOOD_LINE)).toBe(true);

  await shell.terminal.locator('.xterm').click();
  await page.keyboard.press('Control+C');
  await shell.type("echo STOP''PED");
  await shell.waitFor(/STOPPED/, 60_000);
}
