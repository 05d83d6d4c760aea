import type { Accelerator } from '@jaillab/protocol';
import { checkDisplay, type RunState } from '../run/run-state.js';
import { AcceleratorBadge } from './AcceleratorBadge.js';
import { CheckRow } from './CheckRow.js';
import { RunSummary } from './RunSummary.js';
import './verdict-panel.css';

interface Props {
  state: RunState;
  /** The server's accelerator from `welcome`, shown until a run reports its own. */
  serverAccelerator: Accelerator | null;
}

/**
 * The checks and their verdicts. Before any run it lists the lesson's checks
 * (what the probes will try), during a run their progress, after it the
 * verdicts with evidence and reasons.
 */
export function VerdictPanel({ state, serverAccelerator }: Props) {
  return (
    <section className="verdict-panel" aria-labelledby="verdict-heading">
      <header className="verdict-header">
        <h2 id="verdict-heading">Checks</h2>
        <AcceleratorBadge accelerator={state.accelerator ?? serverAccelerator} />
      </header>
      <RunSummary state={state} />
      {state.faults.length > 0 && (
        <ul className="vm-faults" aria-label="VM faults">
          {state.faults.map((f, i) => (
            <li key={i} className="vm-fault" data-testid="vm-fault">
              <strong>VM fault:</strong> {f.message}
            </li>
          ))}
        </ul>
      )}
      <ol className="check-list">
        {state.checks.map((info) => (
          <CheckRow key={info.id} info={info} display={checkDisplay(state, info.index)} result={state.results[info.index]} state={state} />
        ))}
      </ol>
    </section>
  );
}
