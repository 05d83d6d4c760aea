import type { Hint } from '@jaillab/protocol';
import { Fragment, type ReactNode } from 'react';
import type { RunState } from '../run/run-state.js';
import { nextHint, relevantHints } from './hint-selection.js';

/** Hint texts are short markdown; `code` is the only markup they use, rendered without HTML injection. */
function renderHint(text: string): ReactNode {
  return text.split(/(`[^`]+`)/).map((part, i) => (part.startsWith('`') && part.endsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : <Fragment key={i}>{part}</Fragment>));
}

interface Props {
  hints: Hint[];
  state: RunState;
  revealed: ReadonlySet<number>;
  checkTitle(probeId: string): string;
  onReveal(index: number): void;
}

/**
 * Progressive hints, keyed to what went wrong in the last run: one at a time,
 * on request (each reveal is recorded on the server). Revealed hints stay.
 */
export function HintsPanel({ hints, state, revealed, checkTitle, onReveal }: Props) {
  const relevant = relevantHints(hints, state);
  const next = nextHint(relevant, revealed);
  const shown = hints.map((h, i) => ({ h, i })).filter(({ i }) => revealed.has(i));
  if (shown.length === 0 && next === null) return null;
  return (
    <section className="hints-panel" aria-labelledby="hints-heading" data-testid="hints-panel">
      <h2 id="hints-heading">Hints</h2>
      {shown.length > 0 && (
        <ol className="hint-list">
          {shown.map(({ h, i }) => (
            <li key={i} className="hint" data-testid="hint">
              {h.probe && <span className="hint-probe">{checkTitle(h.probe)}</span>}
              <p>{renderHint(h.text)}</p>
            </li>
          ))}
        </ol>
      )}
      {next !== null && (
        <button type="button" className="button" data-testid="reveal-hint" onClick={() => onReveal(next)}>
          {shown.length === 0 ? 'Show a hint' : 'Show the next hint'}
          <span className="hint-count"> ({relevant.filter((i) => !revealed.has(i)).length} left)</span>
        </button>
      )}
    </section>
  );
}
