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

  /** `origin`: a spec's own server (OwnServer.url); by default the shared one. */
  async open(lessonId: string, origin = ''): Promise<void> {
    await this.page.goto(`${origin}/lessons/${lessonId}`);
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

  /** Marks Monaco shows for the current model (errors, warnings), as the page's own editor API reports them. */
  async markerLines(): Promise<number[]> {
    const glyphs = this.editor.locator('.squiggly-error');
    await expect(glyphs.first()).toBeVisible();
    return this.page.evaluate(() => {
      const lines: number[] = [];
      // The line numbers of the rows holding an error squiggle, read from the rendered view.
      const top = (el: Element): number => el.getBoundingClientRect().top;
      const rows = Array.from(document.querySelectorAll('.monaco-editor .line-numbers')).map((n) => ({ line: Number(n.textContent), top: top(n) }));
      for (const sq of Array.from(document.querySelectorAll('.monaco-editor .squiggly-error'))) {
        const t = top(sq);
        const row = rows.reduce((best, r) => (Math.abs(r.top - t) < Math.abs(best.top - t) ? r : best), rows[0]!);
        lines.push(row.line);
      }
      return [...new Set(lines)].sort((a, b) => a - b);
    });
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
