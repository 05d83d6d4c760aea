import type { TraceStep } from '@jaillab/protocol';
import { callText } from './trace-view.js';

interface Props {
  steps: readonly TraceStep[];
  /** How many calls the loop's body is. */
  period: number;
  onOpen(): void;
}

/** A run of alike steps folded into one row: the first of them, how many, and a button to show them all. */
export function RepeatRow({ steps, period, onOpen }: Props) {
  const first = steps[0]!;
  const last = steps.at(-1)!;
  return (
    <li className="trace-repeat" data-testid="trace-repeat" data-from={first.i} data-to={last.i} data-call={first.call}>
      <button type="button" className="trace-step-main" onClick={onOpen} title="Show these steps one by one">
        <span className="trace-index">
          {first.i + 1}–{last.i + 1}
        </span>
        <span className={`trace-proc proc-${first.proc}`}>
          {first.proc} {first.pid}
        </span>
        <code className="trace-call">{steps.slice(0, period).map(callText).join('; ')}</code>
        <span className="trace-repeat-count">× {steps.length / period}</span>
      </button>
    </li>
  );
}
