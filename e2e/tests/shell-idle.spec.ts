import { expect, test } from '@playwright/test';
import { OwnServer } from '../support/own-server.js';
import { ShellTab } from '../support/shell.js';
import { Workspace } from '../support/workspace.js';

/**
 * An idle shell frees its VM. This spec runs its own server (the e2e port + 40) with a 20 s idle timeout, so the
 * shared server keeps the default one: a flood test on a loaded machine can go longer than 20 s without input,
 * and must not be cut off by an idle rule it is not testing.
 */
const LESSON = 'first-jail/a-jail-that-leaks';
const server = new OwnServer(Number(process.env.JAILLAB_E2E_PORT ?? 7899) + 40, { JAILLAB_SHELL_IDLE_MS: '20000' });

test.beforeAll(async () => {
  await server.start();
});
test.afterAll(async () => {
  await server.stop();
  server.dispose();
});

test('an idle shell is closed with a message', async ({ page }) => {
  const ws = new Workspace(page);
  await ws.open(LESSON, server.url);
  const shell = new ShellTab(page);
  await shell.open();
  await shell.waitFor(/closed after 20 s without input/, 60_000);
  await expect(page.getByTestId('shell-message')).toContainText(/without input/);
  await expect(shell.openButton).toBeVisible();
});
