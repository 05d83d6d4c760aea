import type { RunState } from '../run/run-state.js';
import { OUTCOME_TITLE, runPhaseTitle, runProgressLabel } from './check-labels.js';

/**
 * The run's one-line result (from the `finished` event) or what it is doing.
 * data-outcome: none | running | refused | a RunOutcome.
 */
export function RunSummary({ state }: { state: RunState }) {
  let outcome: string;
  let title: string;
  let message: string;
  if (state.finished) {
    outcome = state.finished.outcome;
    title = OUTCOME_TITLE[state.finished.outcome];
    message = state.finished.message;
    if (outcome === 'compile-error') {
      const errors = state.compile?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
      if (errors) message += ` ${errors} error${errors === 1 ? ' is' : 's are'} marked in the editor (F8 jumps to the next).`;
    }
  } else if (state.phase === 'refused') {
    // A run the server cut off or forgot (it restarted while we were away) did start; anything else never did.
    const interrupted = state.refusal?.code === 'run-interrupted';
    outcome = interrupted ? 'interrupted' : 'refused';
    title = interrupted ? 'Run interrupted' : state.refusal?.code === 'unknown-run' ? 'Run lost' : 'Not run';
    message = state.refusal?.message ?? 'The run could not be started.';
  } else if (state.phase === 'idle') {
    outcome = 'none';
    title = 'Not run yet';
    message = 'Press Run (Ctrl+Enter) to compile your jail and let the probes try it.';
  } else {
    outcome = 'running';
    title = runPhaseTitle(state);
    message = runProgressLabel(state) ?? '';
  }
  return (
    <div className={`run-summary outcome-${outcome}`} data-testid="run-summary" data-outcome={outcome} role="status" aria-live="polite">
      <strong className="run-summary-title">{title}</strong>
      <span className="run-summary-message">{message}</span>
    </div>
  );
}
