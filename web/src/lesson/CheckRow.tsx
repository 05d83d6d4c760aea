import type { CheckInfo } from '@jaillab/protocol';
import type { CheckFinished, CheckDisplay, RunState } from '../run/run-state.js';
import { checkStateLabel, KIND_LABEL } from './check-labels.js';
import { Evidence } from './Evidence.js';

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function exitText(r: CheckFinished): string | null {
  if (r.exit.signal) return `killed by ${r.exit.signal}`;
  if (r.exit.code !== null) return `exit ${r.exit.code}`;
  return null;
}

interface Props {
  info: CheckInfo;
  display: CheckDisplay;
  result: CheckFinished | undefined;
  state: RunState;
}

/** One check in the verdict panel: what it tries, and what happened. */
export function CheckRow({ info, display, result, state }: Props) {
  // The reason already names a limit that stopped the program; the meta line adds how it ended and how long it took.
  const meta = result ? [exitText(result), seconds(result.durationMs)].filter(Boolean).join(' · ') : null;
  return (
    <li className={`check-row state-${display}`} data-testid="check-row" data-check-id={info.id} data-verdict={display} aria-busy={display === 'running'}>
      <div className="check-head">
        <span className="check-index" aria-hidden="true">
          {info.index + 1}
        </span>
        <div className="check-titles">
          <span className="check-title">{info.title}</span>
          <span className={`check-kind kind-${info.kind}`}>{KIND_LABEL[info.kind]}</span>
        </div>
        <span className="check-state" data-testid="check-state">
          {display === 'running' && <span className="spinner" aria-hidden="true" />}
          {checkStateLabel(display, state)}
        </span>
      </div>
      {!result && <p className="check-summary">{info.summary}</p>}
      {result && (
        <div className="check-result">
          {result.evidence && (result.verdict === 'escaped' || result.verdict === 'passed') && <Evidence text={result.evidence} escaped={result.verdict === 'escaped'} />}
          <p className="check-reason">
            {result.reason.charAt(0).toUpperCase() + result.reason.slice(1)}
            {meta && <span className="check-meta"> — {meta}</span>}
          </p>
        </div>
      )}
    </li>
  );
}
