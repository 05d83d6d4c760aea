import type { TraceStep } from '@jaillab/protocol';
import { callText } from './trace-view.js';

interface Props {
  steps: readonly TraceStep[];
  onOpen(): void;
}

/** A run of alike steps folded into one row: the first of them, how many, and a button to show them all. */
export function RepeatRow({ steps, onOpen }: Props) {
  const first = steps[0]!;
  const last = steps.at(-1)!;
  return (
    <li className="trace-repeat" data-testid="trace-repeat" data-from={first.i} data-to={last.i} data-call={first.call}>
      <button type="button" className="trace-step-main" onClick={onOpen} title="Show these steps one by one">
        <span className="trace-index">
          {first.i}–{last.i}
        </span>
        <span className={`trace-proc proc-${first.proc}`}>
          {first.proc} {first.pid}
        </span>
        <code className="trace-call">{callText(first)}</code>
        <span className="trace-repeat-count">× {steps.length}</span>
      </button>
    </li>
  );
}
