import type { CheckTrace } from '@jaillab/protocol';
import { useEffect, useMemo, useRef, useState } from 'react';
import { RepeatRow } from './RepeatRow.js';
import { ReplayTable } from './ReplayTable.js';
import { stepSentence } from './step-words.js';
import { TraceFilter } from './TraceFilter.js';
import { TraceStepRow } from './TraceStepRow.js';
import { callCounts, filterSteps, firstHighlight, marksOf, placesAfter, timelineRows } from './trace-view.js';

interface Props {
  /** The check's title, for the table's caption. */
  title: string;
  trace: CheckTrace;
  /** The step to show first (a finding's step); otherwise the first highlighted one. */
  focusStep: number | null;
}

type View = 'timeline' | 'table';

/**
 * A check's replay: its steps in order, runs of the same call folded, a
 * filter by call, and a button that brings the highlighted step into view.
 * The same rows show as the timeline (with the root/cwd picture) or as a
 * data table; the step highlighted is said in a polite live region.
 */
export function TraceTimeline({ title, trace, focusStep }: Props) {
  const marks = useMemo(() => marksOf(trace), [trace]);
  const places = useMemo(() => placesAfter(trace), [trace]);
  const calls = useMemo(() => callCounts(trace.steps), [trace]);
  const [filter, setFilter] = useState<ReadonlySet<string>>(new Set());
  const [fold, setFold] = useState(true);
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  const [selected, setSelected] = useState<number | null>(focusStep ?? firstHighlight(trace));
  const [view, setView] = useState<View>('timeline');
  const listRef = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => {
    const kept = filterSteps(trace.steps, filter, marks);
    return timelineRows(kept, marks, fold).flatMap((r) => (r.kind === 'repeat' && opened.has(r.first.i) ? r.steps.map((step) => ({ kind: 'step' as const, step })) : [r]));
  }, [trace, filter, marks, fold, opened]);

  // Bring the selected step into view whenever it changes (the highlighted step at first).
  useEffect(() => {
    if (selected === null) return;
    listRef.current?.querySelector<HTMLElement>(`[data-step="${selected}"]`)?.scrollIntoView({ block: 'center' });
  }, [selected, view]);

  const highlight = firstHighlight(trace);
  const selectedStep = selected === null ? undefined : trace.steps.find((st) => st.i === selected);
  const openRepeat = (first: number) => setOpened((o) => new Set(o).add(first));
  return (
    <div className="trace-timeline" data-testid="trace-timeline" data-steps={trace.steps.length}>
      <div className="trace-tools">
        <button type="button" className="button" data-testid="trace-jump" disabled={highlight === null} onClick={() => setSelected(highlight)}>
          Jump to highlighted step
        </button>
        <label className="trace-fold">
          <input type="checkbox" checked={fold} onChange={(e) => setFold(e.target.checked)} data-testid="trace-fold" /> fold repeats
        </label>
        <div className="replay-view" role="group" aria-label="Show the replay as">
          {(['timeline', 'table'] as const).map((v) => (
            <button key={v} type="button" className="button button-small" aria-pressed={view === v} data-testid={`replay-view-${v}`} onClick={() => setView(v)}>
              {v === 'timeline' ? 'Timeline' : 'Table'}
            </button>
          ))}
        </div>
        <span className="trace-count" data-testid="trace-shown">
          {rows.length} rows · {trace.steps.length} steps
        </span>
      </div>
      {calls.length > 1 && <TraceFilter calls={calls} selected={filter} onChange={setFilter} />}
      {trace.secondRun && (
        <p className="trace-note" data-testid="trace-second-run">
          Recorded on a second run of this check: its verdict comes from the first run, which the agent watched without
          recording each call. {trace.secondRun.verdict === 'escaped' ? 'The second run escaped the same way.' : `The second run ended ${trace.secondRun.verdict}, so this replay may not show the escape.`}
        </p>
      )}
      {trace.truncated && (
        <p className="trace-note" data-testid="trace-truncated">
          Recorded in full up to step {trace.truncated.afterSteps}; after that only the steps that change where a process is. {trace.truncated.dropped} steps were left out.
        </p>
      )}
      {trace.notes.map((n) => (
        <p key={n} className="trace-note">
          {n}
        </p>
      ))}
      <p className="visually-hidden" aria-live="polite" data-testid="replay-announcer">
        {selectedStep ? stepSentence(selectedStep, marks.get(selectedStep.i) ?? [], places.get(selectedStep.i)) : ''}
      </p>
      <div className="trace-rows" ref={listRef}>
        {view === 'table' ? (
          <ReplayTable title={title} rows={rows} marks={marks} places={places} selected={selected} onSelect={setSelected} onOpenRepeat={openRepeat} />
        ) : (
          <ol className="trace-steps">
            {rows.map((r) =>
              r.kind === 'step' ? (
                <TraceStepRow key={r.step.i} step={r.step} marks={marks.get(r.step.i) ?? []} place={places.get(r.step.i)} selected={selected === r.step.i} onSelect={setSelected} steps={trace.steps} />
              ) : (
                <RepeatRow key={`r${r.first.i}`} steps={r.steps} period={r.period} onOpen={() => openRepeat(r.first.i)} />
              ),
            )}
          </ol>
        )}
      </div>
    </div>
  );
}
