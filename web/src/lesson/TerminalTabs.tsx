import type { KeyboardEvent, RefObject } from 'react';
import type { ShellState } from '../shell/use-shell.js';
import { TerminalPane } from '../terminal/TerminalPane.js';
import type { TerminalView } from '../terminal/terminal-view.js';
import { useIsPhone } from '../ui/use-phone.js';
import { useStoredFlag } from '../ui/use-stored-flag.js';
import { ShellIntro } from './ShellIntro.js';

export type TerminalTab = 'output' | 'shell';
const TABS: readonly TerminalTab[] = ['output', 'shell'];

interface Props {
  tab: TerminalTab;
  onTab(tab: TerminalTab): void;
  outputRef: RefObject<TerminalView | null>;
  shellRef: RefObject<TerminalView | null>;
  shell: ShellState;
  connected: boolean;
  onOpenShell(): void;
  onCloseShell(): void;
}

/** xterm.js's screen reader mode, for both terminals; off by default (it costs a little on floods of output). */
const SCREEN_READER_KEY = 'jaillab.terminal.screen-reader';

const SHELL_TAB_STATUS: Record<ShellState['phase'], string | null> = { closed: null, opening: 'starting…', open: 'open' };

/**
 * Below the editor: the run's output and the interactive shell, as two tabs
 * (both terminals stay alive, so switching loses nothing). The shell's own
 * controls live in its panel: an introduction with a Start button before the
 * first shell, then a bar with what the shell is doing and Close / Start.
 */
export function TerminalTabs(p: Props) {
  const phone = useIsPhone();
  const [screenReader, setScreenReader] = useStoredFlag(SCREEN_READER_KEY, false);
  // The WAI-ARIA tabs pattern: one tab stop for the list (the selected tab), arrows and Home/End move between tabs.
  const select = (tab: TerminalTab) => {
    p.onTab(tab);
    document.getElementById(`terminal-tab-${tab}`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.indexOf(p.tab);
    const next = { ArrowRight: TABS[(i + 1) % TABS.length], ArrowLeft: TABS[(i + TABS.length - 1) % TABS.length], Home: TABS[0], End: TABS[TABS.length - 1] }[e.key];
    if (!next) return;
    e.preventDefault();
    select(next);
  };
  const tabProps = (tab: TerminalTab) => ({
    role: 'tab',
    id: `terminal-tab-${tab}`,
    'aria-selected': p.tab === tab,
    'aria-controls': `terminal-panel-${tab}`,
    tabIndex: p.tab === tab ? 0 : -1,
    className: 'terminal-tab',
    onClick: () => p.onTab(tab),
  });
  // Every shell that ends leaves a message, so none means no shell was ever started on this page.
  const neverStarted = p.shell.phase === 'closed' && p.shell.message === null;
  const shellStatus = SHELL_TAB_STATUS[p.shell.phase];
  return (
    <div className="terminal-stack" id="terminal-stack">
      <div className="terminal-tabs">
        <div role="tablist" aria-label="Terminals" onKeyDown={onKeyDown}>
          <button type="button" {...tabProps('output')} data-testid="tab-output">
            Run output
          </button>
          <button type="button" {...tabProps('shell')} data-testid="tab-shell">
            <span className="shell-tab-icon" aria-hidden="true">
              $_
            </span>
            Interactive shell
            {shellStatus && <span className={`shell-tab-status shell-tab-${p.shell.phase}`}> · {shellStatus}</span>}
          </button>
        </div>
        <label className="terminal-setting" title="Lets a screen reader read the terminals' rows and hear new output (xterm.js's screen reader mode); kept in this browser">
          <input type="checkbox" data-testid="screen-reader-mode" checked={screenReader} onChange={(e) => setScreenReader(e.target.checked)} /> Screen reader mode
        </label>
      </div>
      <div id="terminal-panel-output" role="tabpanel" aria-labelledby="terminal-tab-output" className="terminal-panel" hidden={p.tab !== 'output'}>
        <TerminalPane viewRef={p.outputRef} screenReader={screenReader} escapeTo="terminal-tab-output" keysHint="Read-only. Tab or Escape leaves it; F6 moves to the next pane." />
      </div>
      <div id="terminal-panel-shell" role="tabpanel" aria-labelledby="terminal-tab-shell" className="terminal-panel" hidden={p.tab !== 'shell'}>
        {!neverStarted && (
          <div className="shell-bar">
            <span className="shell-message" data-testid="shell-message">
              {p.shell.message}
            </span>
            {p.shell.phase === 'open' && (
              <span className="shell-keys" data-testid="shell-keys">
                <kbd>Tab</kbd> completes · <kbd>F6</kbd> leaves the shell
              </span>
            )}
            {phone ? null : p.shell.phase === 'closed' ? (
              <button type="button" className="button button-primary button-small" data-testid="open-shell" onClick={p.onOpenShell} disabled={!p.connected}>
                Start a new shell
              </button>
            ) : (
              <button type="button" className="button button-small" data-testid="close-shell" onClick={p.onCloseShell}>
                Close shell
              </button>
            )}
          </div>
        )}
        <TerminalPane viewRef={p.shellRef} label="Interactive shell" interactive keepsKeys={p.shell.phase === 'open'} screenReader={screenReader} keysHint="Tab completes in the shell; F6 leaves it for the next pane, Shift+F6 for the one before." testId="shell-terminal" />
        {neverStarted && <ShellIntro connected={p.connected} phone={phone} onOpen={p.onOpenShell} />}
      </div>
    </div>
  );
}
