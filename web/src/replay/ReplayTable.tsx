import type { TraceStep, TraceWhere } from '@jaillab/protocol';
import { markWords, resultText, whereWords } from './step-words.js';
import { type Mark, stepDetail, type TimelineRow } from './trace-view.js';

interface Props {
  title: string;
  rows: readonly TimelineRow[];
  marks: ReadonlyMap<number, Mark[]>;
  places: ReadonlyMap<number, { root: TraceWhere | null; cwd: TraceWhere | null }>;
  selected: number | null;
  onSelect(i: number): void;
  onOpenRepeat(first: number): void;
}

/**
 * The replay as a data table: one row per step (the same rows as the
 * timeline: filtered, loops folded), with headers a screen reader names as
 * it moves across — process, call, result, where root and cwd are (inside /
 * outside the jail, in words), and what is marked about the step.
 */
export function ReplayTable({ title, rows, marks, places, selected, onSelect, onOpenRepeat }: Props) {
  const stepRow = (step: TraceStep) => {
    const m = marks.get(step.i) ?? [];
    const place = places.get(step.i);
    const detail = [...m.map((x) => markWords(x, step)), stepDetail(step)].filter(Boolean).join(' · ');
    return (
      <tr key={step.i} data-testid="replay-table-step" data-step={step.i} data-mark={m.join(' ') || undefined} aria-current={selected === step.i ? 'step' : undefined} className={selected === step.i ? 'trace-selected' : m.length ? 'trace-marked' : undefined}>
        <th scope="row">
          <button type="button" className="replay-table-step" onClick={() => onSelect(step.i)} aria-label={`Step ${step.i + 1}: highlight it`}>
            {step.i + 1}
          </button>
        </th>
        <td>
          {step.proc} {step.pid}
        </td>
        <td>
          <code>
            {step.call}({step.args.join(', ')})
          </code>
        </td>
        <td>{resultText(step)}</td>
        <td>{place?.root ? whereWords(place.root) : ''}</td>
        <td>{place?.cwd ? whereWords(place.cwd) : ''}</td>
        <td>{detail}</td>
      </tr>
    );
  };
  return (
    <div className="replay-table-wrap">
      <table className="replay-table" data-testid="replay-table">
        <caption className="visually-hidden">Replay of {title}, one step per row</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Process</th>
            <th scope="col">Call</th>
            <th scope="col">Result</th>
            <th scope="col">Root after</th>
            <th scope="col">Cwd after</th>
            <th scope="col">Marked, touched</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) =>
            r.kind === 'step' ? (
              stepRow(r.step)
            ) : (
              <tr key={`r${r.first.i}`} data-testid="replay-table-repeat">
                <th scope="row">
                  {r.first.i + 1}–{r.steps.at(-1)!.i + 1}
                </th>
                <td>
                  {r.first.proc} {r.first.pid}
                </td>
                <td colSpan={4}>
                  <code>{r.steps.slice(0, r.period).map((s) => `${s.call}(${s.args.join(', ')})`).join('; ')}</code> repeated {r.steps.length / r.period} times
                </td>
                <td>
                  <button type="button" className="button button-quiet button-small" onClick={() => onOpenRepeat(r.first.i)}>
                    Show each step
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
