import type { CheckInfo } from '@jaillab/protocol';
import type { CheckDisplay, CheckFinished, RunState } from '../run/run-state.js';
import { checkStateLabel, KIND_LABEL, stillOpenLabel } from './check-labels.js';
import { Evidence } from './Evidence.js';
import { ReplaySummary } from '../replay/ReplaySummary.js';
import { Link } from '../app/Link.js';
import { lessonPath } from '../app/router.js';

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function exitText(r: CheckFinished): string | null {
  if (r.exit.signal) return `killed by ${r.exit.signal}`;
  if (r.exit.code !== null) return `exit ${r.exit.code}`;
  return null;
}

/** A shape beside the state's word, so a verdict never rests on its colour alone (WCAG 1.4.1); the word is what is read. */
const STATE_ICON: Partial<Record<CheckDisplay, string>> = { escaped: '✗', failed: '✗', error: '!', contained: '✓', passed: '✓' };

interface Props {
  info: CheckInfo;
  display: CheckDisplay;
  result: CheckFinished | undefined;
  state: RunState;
  expanded: boolean;
  onToggle(): void;
  /** Open this check's replay at its highlighted step. */
  onReplay(): void;
}

/**
 * One check in the verdict panel: a line with what it is and how it went,
 * which opens to the detail — what it tries, or the evidence, the reason and
 * how the program ended.
 */
export function CheckRow({ info, display, result, state, expanded, onToggle, onReplay }: Props) {
  const trace = state.traces[info.index];
  const detailId = `check-detail-${info.index}`;
  // The reason already names a limit that stopped the program; the meta line adds how it ended and how long it took.
  const meta = result ? [exitText(result), seconds(result.durationMs)].filter(Boolean).join(' · ') : null;
  const open = stillOpenLabel(info, display);
  return (
    <li className={`check-row state-${display}${open ? ' still-open' : ''}`} data-testid="check-row" data-check-id={info.id} data-index={info.index} data-verdict={display} aria-busy={display === 'running'}>
      <button type="button" className="check-head" data-testid="check-toggle" aria-expanded={expanded} aria-controls={detailId} onClick={onToggle} title={`${KIND_LABEL[info.kind]}: ${info.summary}`}>
        <span className="check-index" aria-hidden="true">
          {info.index + 1}
        </span>
        <span className="check-title">{info.title}</span>
        {STATE_ICON[display] && (
          <span className="check-state-icon" aria-hidden="true">
            {STATE_ICON[display]}
          </span>
        )}
        <span className="check-state" data-testid="check-state">
          {display === 'running' && <span className="spinner" aria-hidden="true" />}
          {open ?? checkStateLabel(display, state)}
        </span>
        <span className="check-chevron" aria-hidden="true" />
      </button>
      {expanded && (
        <div className="check-detail" id={detailId}>
          {!result && (
            <p className="check-summary">
              <span className="check-kind">{KIND_LABEL[info.kind]}</span> {info.summary}
            </p>
          )}
          {info.closedIn && (
            <p className="check-open-note" data-testid="check-open-note">
              This lesson's defence does not reach this one: it gets out even against the solution. It is closed in{' '}
              <Link href={lessonPath(info.closedIn.lesson)} data-testid="closed-in-link">
                {info.closedIn.title}
              </Link>
              .
            </p>
          )}
          {result && (
            <>
              {result.evidence && (result.verdict === 'escaped' || result.verdict === 'passed') && <Evidence text={result.evidence} escaped={result.verdict === 'escaped'} />}
              <p className="check-reason">
                {result.reason.charAt(0).toUpperCase() + result.reason.slice(1)}
                {meta && <span className="check-meta"> — {meta}</span>}
              </p>
              {trace && <ReplaySummary trace={trace} />}
              {trace && (
                <button type="button" className="button button-quiet replay-open" data-testid="replay-open" onClick={onReplay}>
                  See how it went: {trace.steps.length} steps
                </button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}
