import type { KeyboardEvent, RefObject } from 'react';
import type { ShellState } from '../shell/use-shell.js';
import { TerminalPane } from '../terminal/TerminalPane.js';
import type { TerminalView } from '../terminal/terminal-view.js';

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

/**
 * Below the editor: the run's output and the interactive shell, as two tabs
 * (both terminals stay alive, so switching loses nothing).
 */
export function TerminalTabs(p: Props) {
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
  return (
    <div className="terminal-stack">
      <div className="terminal-tabs">
        <div role="tablist" aria-label="Terminals" onKeyDown={onKeyDown}>
          <button type="button" {...tabProps('output')} data-testid="tab-output">
            Run output
          </button>
          <button type="button" {...tabProps('shell')} data-testid="tab-shell">
            Shell{p.shell.phase === 'open' ? ' ●' : ''}
          </button>
        </div>
        <div className="shell-controls">
          {p.shell.message && (
            <span className="shell-message" data-testid="shell-message">
              {p.shell.message}
            </span>
          )}
          {p.shell.phase === 'closed' ? (
            <button type="button" className="button button-quiet" data-testid="open-shell" onClick={p.onOpenShell} disabled={!p.connected} title="A busybox shell in a fresh VM with your program and the lesson's jail in place">
              Interactive shell
            </button>
          ) : (
            <button type="button" className="button button-quiet" data-testid="close-shell" onClick={p.onCloseShell}>
              Close shell
            </button>
          )}
        </div>
      </div>
      <div id="terminal-panel-output" role="tabpanel" aria-labelledby="terminal-tab-output" className="terminal-pane-wrap" style={{ display: p.tab === 'output' ? 'contents' : 'none' }}>
        <TerminalPane viewRef={p.outputRef} />
      </div>
      <div id="terminal-panel-shell" role="tabpanel" aria-labelledby="terminal-tab-shell" style={{ display: p.tab === 'shell' ? 'contents' : 'none' }}>
        <TerminalPane viewRef={p.shellRef} label="Interactive shell" interactive testId="shell-terminal" />
      </div>
    </div>
  );
}
