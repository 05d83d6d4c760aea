import type { Accelerator } from '@jaillab/protocol';
import { useLayoutEffect, useRef, useState } from 'react';
import { checkDisplay, type RunState } from '../run/run-state.js';
import { revealStartWithin, revealWithin } from '../ui/reveal-within.js';
import { AcceleratorBadge } from './AcceleratorBadge.js';
import { CheckRow } from './CheckRow.js';
import { RunSummary } from './RunSummary.js';
import { ReplayDialog } from '../replay/ReplayDialog.js';
import { FindingsList, runFindings } from '../replay/FindingsList.js';
import './verdict-panel.css';

/**
 * Up to this many checks every row starts open (the first lessons: a probe or
 * two and the service check). More, and rows start as one line each, so the
 * capstone's nineteen fit on a laptop screen at once; any row opens on click.
 */
export const DETAILED_UP_TO = 3;

const rowIn = (list: HTMLElement | null, index: number): HTMLElement | null => list?.querySelector<HTMLElement>(`[data-index="${index}"]`) ?? null;

interface Props {
  state: RunState;
  /** The server's accelerator from `welcome`, shown until a run reports its own. */
  serverAccelerator: Accelerator | null;
}

/**
 * The checks and their verdicts. Before any run it lists the lesson's checks
 * (what the probes will try), during a run their progress — the list follows
 * the check that is running — after it the verdicts, with what went wrong
 * named in the summary.
 */
export function VerdictPanel({ state, serverAccelerator }: Props) {
  const listRef = useRef<HTMLOListElement>(null);
  const compact = state.checks.length > DETAILED_UP_TO;
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set(compact ? [] : state.checks.map((c) => c.index)));

  // Follow the run's progress (the furthest check reached). A layout effect, so the row is in view in the same frame it changes.
  const reached = state.reachedCheck;
  useLayoutEffect(() => {
    const list = listRef.current;
    const row = reached === null ? null : rowIn(list, reached);
    if (list && row) revealWithin(list, row);
  }, [reached]);

  // A failed run ends on the first check that broke: the list shows that row from its start (the probe's name and
  // the SECRET badge), not the last check the run reached, which can leave the escaped row's heading scrolled away.
  const firstBroken = state.finished ? state.checks.find((c) => !c.closedIn && ['escaped', 'failed'].includes(checkDisplay(state, c.index)))?.index ?? null : null;
  const finishedRun = state.finished ? state.runId : null;
  useLayoutEffect(() => {
    const list = listRef.current;
    const row = firstBroken === null ? null : rowIn(list, firstBroken);
    if (list && row) revealStartWithin(list, row);
    // Once per finished run: a learner's own scrolling afterwards is theirs.
  }, [finishedRun]);

  const [replay, setReplay] = useState<{ index: number; step: number | null } | null>(null);
  const replayed = replay ? state.traces[replay.index] : undefined;

  const toggle = (index: number) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(index)) next.add(index);
      return next;
    });

  const showCheck = (index: number) => {
    setExpanded((open) => (open.has(index) ? open : new Set(open).add(index)));
    // After the row has opened: bring it into view (the learner asked, so the page may scroll too) and move focus there.
    requestAnimationFrame(() => {
      const list = listRef.current;
      const row = rowIn(list, index);
      // Where the list scrolls on its own, from the row's start (its heading and evidence); elsewhere (one column) the page moves.
      if (list && row && list.scrollHeight > list.clientHeight) revealStartWithin(list, row);
      else row?.scrollIntoView({ block: 'nearest' });
      row?.querySelector<HTMLElement>('.check-head')?.focus({ preventScroll: true });
    });
  };

  return (
    <section className={`verdict-panel${compact ? ' verdict-compact' : ''}`} aria-labelledby="verdict-heading" data-testid="verdict-panel">
      <header className="verdict-header">
        <h2 id="verdict-heading" tabIndex={-1}>
          Checks
        </h2>
        <AcceleratorBadge accelerator={state.accelerator ?? serverAccelerator} />
      </header>
      <RunSummary state={state} onShowCheck={showCheck} />
      <FindingsList findings={runFindings(state.findings)} onShowStep={(index, step) => setReplay({ index, step })} />
      {state.faults.length > 0 && (
        <ul className="vm-faults" aria-label="VM faults">
          {state.faults.map((f, i) => (
            <li key={i} className="vm-fault" data-testid="vm-fault">
              <strong>VM fault:</strong> {f.message}
            </li>
          ))}
        </ul>
      )}
      <ol className="check-list" ref={listRef} data-testid="check-list">
        {state.checks.map((info) => (
          <CheckRow
            key={info.id}
            info={info}
            display={checkDisplay(state, info.index)}
            result={state.results[info.index]}
            state={state}
            expanded={expanded.has(info.index)}
            onToggle={() => toggle(info.index)}
            onReplay={() => setReplay({ index: info.index, step: null })}
          />
        ))}
      </ol>
      {replay && replayed && <ReplayDialog key={`${state.runId}-${replay.index}-${replay.step}`} title={state.checks[replay.index]?.title ?? ''} trace={replayed} focusStep={replay.step} onClose={() => setReplay(null)} />}
    </section>
  );
}
