import { expect, type Locator, type Page } from '@playwright/test';

/** The interactive shell tab of the lesson page. */
export class ShellTab {
  readonly terminal: Locator;
  readonly openButton: Locator;

  constructor(readonly page: Page) {
    this.terminal = page.getByTestId('shell-terminal');
    this.openButton = page.getByTestId('open-shell');
  }

  /** Opens a shell and waits for its prompt. The button that starts one is in the shell's tab, so that tab comes first. */
  async open(): Promise<void> {
    await this.page.getByTestId('tab-shell').click();
    await this.openButton.click();
    await expect(this.terminal.locator('.xterm-rows')).toContainText('jaillab:~#', { timeout: 60_000 });
  }

  /** Types a line into the shell, as keystrokes. */
  async type(line: string): Promise<void> {
    await this.terminal.locator('.xterm').click();
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }

  /** The terminal's visible text, row by row. */
  async rows(): Promise<string[]> {
    return this.terminal.locator('.xterm-rows > div').allTextContents();
  }

  /** Waits until the screen shows `re` (rows joined with newlines) and returns that text. */
  async waitFor(re: RegExp, timeout = 30_000): Promise<string> {
    let text = '';
    await expect
      .poll(
        async () => {
          text = (await this.rows()).map((r) => r.replace(/\u00a0/g, ' ').trimEnd()).join('\n');
          return re.test(text);
        },
        { timeout },
      )
      .toBe(true);
    return text;
  }
}
