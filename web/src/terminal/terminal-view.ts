import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { guardAgainstEscapes } from './escape-guard.js';
import { darkTerminalTheme, lightTerminalTheme } from './terminal-theme.js';

/**
 * One xterm.js terminal in a host element, sized to it. Everything written goes
 * through xterm's write queue — including clearing — so text, program output
 * and the write callbacks that drive flow control stay in order.
 *
 * Output-only unless `interactive` (the interactive shell): then keystrokes
 * go to `onData` and size changes to `onResize`.
 */
export class TerminalView {
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly resize: ResizeObserver;
  private frame = 0;

  constructor(
    private readonly host: HTMLElement,
    dark: boolean,
    interactive = false,
  ) {
    this.term = new Terminal({
      disableStdin: !interactive,
      convertEol: false,
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      scrollback: 5000,
      fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      lineHeight: 1.15,
      theme: dark ? darkTerminalTheme : lightTerminalTheme,
    });
    guardAgainstEscapes(this.term);
    this.term.loadAddon(this.fit);
    // Let Ctrl/Cmd+Enter reach the page (Run) instead of being eaten by the terminal.
    this.term.attachCustomKeyEventHandler((e) => !(e.key === 'Enter' && (e.ctrlKey || e.metaKey)));
    this.term.open(host);
    this.refit();
    this.resize = new ResizeObserver(() => {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.refit());
    });
    this.resize.observe(host);
  }

  get columns(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Keystrokes (interactive terminals only); returns the unsubscribe function. */
  onData(listener: (data: string) => void): () => void {
    const d = this.term.onData(listener);
    return () => d.dispose();
  }

  onResize(listener: (size: { cols: number; rows: number }) => void): () => void {
    const d = this.term.onResize(listener);
    return () => d.dispose();
  }

  focus(): void {
    this.term.focus();
  }

  showCursor(): void {
    this.term.write('\x1b[?25h');
  }

  setDark(dark: boolean): void {
    this.term.options.theme = dark ? darkTerminalTheme : lightTerminalTheme;
  }

  /** Clears screen and scrollback, in order with earlier writes. */
  clear(): void {
    // RIS resets everything (colours, modes, scrollback); then hide the cursor: nobody types here yet.
    this.term.write('\x1bc\x1b[?25l');
  }

  write(data: string | Uint8Array, written?: () => void): void {
    this.term.write(data, written);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.term.dispose();
  }

  private refit(): void {
    // A hidden or zero-sized host (e.g. while the layout settles) has nothing to fit to.
    if (this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    try {
      this.fit.fit();
    } catch {
      // xterm not ready to measure yet; the next resize will fit it.
    }
  }
}
