import type { TraceStep, TraceWhere } from '@jaillab/protocol';
import { markWords } from './step-words.js';
import { stepWhy } from './step-why.js';
import { callText, type Mark, stepDetail } from './trace-view.js';
import { WherePicture } from './WherePicture.js';

interface Props {
  step: TraceStep;
  marks: readonly Mark[];
  place: { root: TraceWhere | null; cwd: TraceWhere | null } | undefined;
  selected: boolean;
  onSelect(i: number): void;
  /** The whole trace's steps: why a step matters may rest on an earlier one (who opened a descriptor). */
  steps: readonly TraceStep[];
}

/** One step of the timeline: who, the call and its result, what it touched, where root and cwd are afterwards. */
export function TraceStepRow({ step, marks, place, selected, onSelect, steps }: Props) {
  const failed = step.errno !== null;
  const more = stepDetail(step);
  // One line per highlight saying why it matters (step-why.ts); the same line twice only once.
  const why = [...new Set(marks.map((m) => stepWhy(step, m, steps, place?.cwd ?? null)).filter((w): w is string => w !== null))];
  return (
    <li
      className={`trace-step${failed ? ' trace-failed' : ''}${marks.length ? ' trace-marked' : ''}${selected ? ' trace-selected' : ''}`}
      data-testid="trace-step"
      data-step={step.i}
      data-call={step.call}
      data-mark={marks.join(' ') || undefined}
      aria-current={selected ? 'step' : undefined}
    >
      <button type="button" className="trace-step-main" onClick={() => onSelect(step.i)}>
        <span className="trace-index">{step.i + 1}</span>
        <span className={`trace-proc proc-${step.proc}`} title={`pid ${step.pid}`}>
          {step.proc} {step.pid}
        </span>
        <code className="trace-call">{callText(step)}</code>
        <WherePicture root={place?.root ?? null} cwd={place?.cwd ?? null} />
      </button>
      {(more || marks.length > 0) && (
        <div className="trace-step-detail">
          {marks.map((m) => (
            <span key={m} className={`trace-badge badge-${m}`} data-testid="trace-badge">
              {markWords(m, step)}
            </span>
          ))}
          {more && <span className="trace-detail-text">{more}</span>}
          {why.map((w) => (
            <p key={w} className="trace-why" data-testid="trace-why">
              {w}
            </p>
          ))}
        </div>
      )}
    </li>
  );
}
