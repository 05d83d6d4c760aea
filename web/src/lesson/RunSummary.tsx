import { Fragment, type ReactNode } from 'react';
import type { RunState } from '../run/run-state.js';
import { plural } from '../text/plural.js';
import { useIsPhone } from '../ui/use-phone.js';
import { OUTCOME_TITLE, runPhaseTitle, runProgressLabel } from './check-labels.js';
import { verdictClauses } from './run-sentence.js';
import { RUN_SHORTCUT_TEXT } from './run-shortcut.js';

interface Props {
  state: RunState;
  /** Opens a check's row and brings it into view (a name in the summary was chosen). */
  onShowCheck(index: number): void;
}

/**
 * The run's result (from the verdicts, naming what escaped) or what it is
 * doing. data-outcome: none | running | refused | interrupted | a RunOutcome.
 * Not a live region: RunAnnouncer says the run's moments and its ending once
 * each; this box, re-rendered on every event, would say them again.
 */
export function RunSummary({ state, onShowCheck }: Props) {
  const phone = useIsPhone();
  let outcome: string;
  let title: string;
  let message: ReactNode;
  if (state.finished) {
    outcome = state.finished.outcome;
    title = OUTCOME_TITLE[state.finished.outcome];
    // The server says when a pass came after the learner had looked at the solution.
    if (outcome === 'passed' && state.finished.withSolution === true) title = 'Passed with the solution';
    const clauses = outcome === 'passed' || outcome === 'failed' || outcome === 'error' ? verdictClauses(state.checks, state.results) : null;
    // A run that could not complete after every check was judged has nothing to name: the server's words say why.
    if (clauses && (outcome === 'passed' || clauses.some((c) => c.checks.length > 0))) {
      message = clauses.map((c, i) => (
        <span key={i} className="run-summary-clause">
          {c.text}
          {c.checks.length > 0 && ': '}
          {c.checks.map((check, j) => (
            <Fragment key={check.index}>
              {j > 0 && ', '}
              <button type="button" className="summary-check" data-testid="summary-check" data-check-id={check.id} onClick={() => onShowCheck(check.index)} title="Show this check's evidence and reason">
                {check.title}
              </button>
            </Fragment>
          ))}
          .{' '}
        </span>
      ));
    } else {
      message = state.finished.message;
      if (outcome === 'compile-error') {
        const errors = state.compile?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
        if (errors) message += ` ${plural(errors, 'error is', 'errors are')} marked in the editor (F8 jumps to the next).`;
      }
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
    // A phone has no Run button (the page is read-only there): say what a run does, not which key starts it.
    message = phone ? 'On a laptop, Run compiles the jail and lets the probes try it.' : `Press Run (${RUN_SHORTCUT_TEXT}) to compile your jail and let the probes try it.`;
  } else {
    outcome = 'running';
    title = runPhaseTitle(state);
    message = runProgressLabel(state) ?? '';
  }
  return (
    <div className={`run-summary outcome-${outcome}`} data-testid="run-summary" data-outcome={outcome}>
      <strong className="run-summary-title">{title}</strong>
      <span className="run-summary-message" data-testid="run-summary-message">
        {message}
      </span>
    </div>
  );
}
