import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { guardAgainstEscapes } from './escape-guard.js';
import { darkTerminalTheme, lightTerminalTheme } from './terminal-theme.js';

/** Keys the terminal leaves to the page (see TerminalView). */
export function passesThrough(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, keepsKeys: boolean): boolean {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return true;
  if (e.key === 'F6') return true;
  return !keepsKeys && (e.key === 'Tab' || e.key === 'Escape');
}

/**
 * One xterm.js terminal in a host element, sized to it. Everything written goes
 * through xterm's write queue — including clearing — so text, program output
 * and the write callbacks that drive flow control stay in order.
 *
 * Output-only unless `interactive` (the interactive shell): then keystrokes
 * go to `onData` and size changes to `onResize`.
 *
 * Keys that belong to the page pass through (WCAG 2.1.2, no keyboard trap):
 * Ctrl/Cmd+Enter (Run) and F6 (the next pane) always; in the output-only
 * terminal, which takes no input, Tab and Escape too, so Tab moves on as it
 * does anywhere else. The shell keeps Tab (completion) and Escape; F6 is
 * its way out.
 */
export class TerminalView {
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly resize: ResizeObserver;
  private frame = 0;
  /** Whether Tab and Escape go to the terminal (a shell is running in it), or on to the page. */
  private keepsKeys: boolean;

  constructor(
    private readonly host: HTMLElement,
    dark: boolean,
    interactive = false,
    screenReaderMode = false,
  ) {
    this.keepsKeys = interactive;
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
      // xterm.js keeps an accessibility tree of the rows and announces new output (a setting: ui/use-screen-reader-mode.ts).
      screenReaderMode,
    });
    guardAgainstEscapes(this.term);
    this.term.loadAddon(this.fit);
    // Returning false leaves the key to the browser and the page: xterm neither handles nor cancels it.
    this.term.attachCustomKeyEventHandler((e) => !passesThrough(e, this.keepsKeys));
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

  /** An interactive terminal with no shell in it yet (or any more) lets Tab move on: there is nothing to complete. */
  setKeepsKeys(on: boolean): void {
    this.keepsKeys = on;
  }

  setScreenReaderMode(on: boolean): void {
    this.term.options.screenReaderMode = on;
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
