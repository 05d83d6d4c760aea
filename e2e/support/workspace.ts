import { expect, type Locator, type Page } from '@playwright/test';

/** The lesson page as a learner sees it: the handful of controls the tests use. */
export class Workspace {
  readonly runButton: Locator;
  readonly checks: Locator;
  readonly editor: Locator;
  readonly terminal: Locator;

  constructor(readonly page: Page) {
    this.runButton = page.getByTestId('run-button');
    this.checks = page.getByTestId('check-row');
    this.editor = page.locator('.monaco-editor').first();
    this.terminal = page.locator('.xterm').first();
  }

  async open(lessonId: string): Promise<void> {
    await this.page.goto(`/lessons/${lessonId}`);
    await expect(this.editor).toBeVisible();
    await expect(this.runButton).toBeEnabled();
  }

  check(id: string): Locator {
    return this.page.locator(`[data-testid="check-row"][data-check-id="${id}"]`);
  }

  /**
   * Replaces the editor's whole text the way a learner pastes a fix: select all, paste.
   * (Typed text would get Monaco's auto-indent on every newline; a paste is taken as is.)
   */
  async replaceCode(text: string): Promise<void> {
    await this.editor.locator('.view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.evaluate((t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
  }

  /** The editor's text, as the app saved it (every change is saved locally at once). */
  async savedCode(lessonId: string): Promise<string | null> {
    return this.page.evaluate((id) => localStorage.getItem(`jaillab.code.v1:${id}`), lessonId);
  }

  async run(): Promise<void> {
    await this.runButton.click();
  }

  /** Waits for the run in progress to finish and returns its outcome (passed, failed, compile-error, …). */
  async runOutcome(): Promise<string> {
    const summary = this.page.getByTestId('run-summary');
    await expect(summary).not.toHaveAttribute('data-outcome', /^(none|running)$/, { timeout: 90_000 });
    return (await summary.getAttribute('data-outcome')) ?? '';
  }
}
