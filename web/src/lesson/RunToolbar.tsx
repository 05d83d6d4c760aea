import type { RunState } from '../run/run-state.js';
import { isRunActive } from '../run/run-state.js';
import { runButtonLabel, runProgressLabel } from './check-labels.js';
import { RUN_SHORTCUT } from './run-shortcut.js';

interface Props {
  fileName: string;
  run: RunState;
  connected: boolean;
  /** Bytes of the current source and the limit, to warn before the server would refuse. */
  sourceBytes: number;
  maxSourceBytes: number;
  canReset: boolean;
  canRestore: boolean;
  /** A short message after reset/restore, read out to screen readers. */
  notice: string | null;
  /** The server has the code as it is now (saves are debounced and wait for the connection). */
  savedOnServer: boolean;
  /** The solution comparison is showing. */
  comparing: boolean;
  /** Why Run is closed here (a workshop's locked lesson, a workshop that ended), or null. */
  blocked?: string | null;
  /** The editor's Tab moves focus instead of indenting (Monaco's Ctrl+M). */
  tabMovesFocus: boolean;
  /** Record the escape replay of each check (sent with the run). */
  tracing: boolean;
  onTracing(on: boolean): void;
  onRun(): void;
  onCancel(): void;
  onReset(): void;
  onRestore(): void;
  onCompare(): void;
}

/**
 * Above the editor: a row of actions (Run / Cancel, compare, restore, reset)
 * and below it a status line (the run's progress or the last notice, and
 * whether the server has the code). The status has a line of its own so it
 * is never squeezed between buttons and cut off; it wraps when it is long.
 */
export function RunToolbar(p: Props) {
  const active = isRunActive(p.run);
  const progress = runProgressLabel(p.run);
  const tooLarge = p.sourceBytes > p.maxSourceBytes;
  const nearLimit = !tooLarge && p.sourceBytes > p.maxSourceBytes * 0.8;
  const runTitle = !p.connected ? 'Not connected to the server: waiting to reconnect' : active ? `Start over with the code as it is now (${RUN_SHORTCUT})` : `Compile and run the checks (${RUN_SHORTCUT})`;
  return (
    <div className="run-toolbar" aria-label="Run and code">
      <div className="run-toolbar-actions">
        <span className="file-name" title="The file JailLab compiles">
          {p.fileName}
        </span>
        <button type="button" className="button button-primary run-button" data-testid="run-button" onClick={p.onRun} disabled={!p.connected || !!p.blocked} title={p.blocked ?? runTitle} aria-keyshortcuts="Control+Enter Meta+Enter">
          <span aria-hidden="true" className="run-icon">
            ▶
          </span>
          <span className="run-label">{runButtonLabel(p.run)}</span>
          <kbd className="shortcut">{RUN_SHORTCUT}</kbd>
        </button>
        {active && (
          <button type="button" className="button" data-testid="cancel-button" onClick={p.onCancel} title="Stop this run">
            Cancel
          </button>
        )}
        <label className="trace-toggle" title="Record each check's system calls, to replay how it went (runs are a little faster without)">
          <input type="checkbox" data-testid="trace-toggle" checked={p.tracing} onChange={(e) => p.onTracing(e.target.checked)} /> Replay
        </label>
        <span className="toolbar-spacer" />
        {(tooLarge || nearLimit) && (
          <span className={`size-warning${tooLarge ? ' size-too-large' : ''}`} data-testid="size-warning">
            {Math.ceil(p.sourceBytes / 1024)} / {p.maxSourceBytes / 1024} KiB
          </span>
        )}
        <button type="button" className="button button-quiet" data-testid="compare-solution" aria-pressed={p.comparing} onClick={p.onCompare} title="Show your code side by side with the lesson's solution">
          {p.comparing ? 'Hide solution' : 'Compare with solution'}
        </button>
        {p.canRestore && (
          <button type="button" className="button button-quiet" data-testid="restore-button" onClick={p.onRestore} title="Bring back the code you had before the last reset">
            Restore my code
          </button>
        )}
        <button type="button" className="button button-quiet" data-testid="reset-button" onClick={p.onReset} disabled={!p.canReset} title="Replace the editor's contents with the lesson's starter code (yours is kept: Restore my code)">
          Reset to starter
        </button>
      </div>
      <div className="run-status-line">
        {/* The run's progress is said by RunAnnouncer; only the notices here (reset, restore, why Run is closed) are live. */}
        <span className="run-progress" data-testid="run-progress">
          {progress && (
            <>
              <span className="spinner" aria-hidden="true" />
              <span className="run-progress-text">{progress}</span>
            </>
          )}
          <span className="run-notice" aria-live="polite">
            {!progress && p.blocked && (
              <span className="toolbar-notice" data-testid="run-blocked">
                {p.blocked}
              </span>
            )}
            {!progress && !p.blocked && p.notice && <span className="toolbar-notice">{p.notice}</span>}
          </span>
        </span>
        {/* Monaco keeps Tab for indenting; its own toggle out of that is named here, where a keyboard user sees it. */}
        <span className="editor-keys" data-testid="editor-keys" data-tab-moves-focus={p.tabMovesFocus}>
          {p.tabMovesFocus ? (
            <>
              Tab moves focus · <kbd>Ctrl+M</kbd>: Tab indents
            </>
          ) : (
            <>
              Tab indents · <kbd>Ctrl+M</kbd>: Tab moves focus
            </>
          )}
        </span>
        <span className="server-save" data-testid="server-save" data-saved={p.savedOnServer} title={p.savedOnServer ? 'Your code is saved on the server (and in this browser)' : 'Saved in this browser; it goes to the server as soon as it can'}>
          {p.savedOnServer ? 'Saved' : 'Saving…'}
        </span>
      </div>
    </div>
  );
}
