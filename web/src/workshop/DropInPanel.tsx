import type { RunEvent, RunRecord } from '@jaillab/protocol';
import { useEffect, useState } from 'react';
import type { DropIn } from '../api/workshop-client.js';
import { useConnection } from '../app/connection.js';
import { plainOutput } from '../text/plain-output.js';

type CheckFinished = Extract<RunEvent, { type: 'check-finished' }>;
type Created = Extract<RunEvent, { type: 'created' }>;
type Finished = Extract<RunEvent, { type: 'finished' }>;


interface Props {
  workshopId: string;
  learnerId: string;
  lessonId: string;
  lessonTitle: string;
  /** Runs in the student's cell: when it changes, the last run is read again. */
  runs: number;
  onClose(): void;
}

/**
 * Dropping in on a student: their code in the lesson, live and read-only, and
 * their last run's verdicts and output, as the server keeps them.
 */
export function DropInPanel({ workshopId, learnerId, lessonId, lessonTitle, runs, onClose }: Props) {
  const { workshops, workspace } = useConnection();
  const [drop, setDrop] = useState<DropIn | null>(null);
  const [record, setRecord] = useState<RunRecord | null>(null);

  useEffect(() => {
    setDrop(null);
    workshops.follow({ workshopId, learnerId, lessonId }, setDrop);
    return () => workshops.follow(null);
  }, [workshops, workshopId, learnerId, lessonId]);
  useEffect(() => {
    let live = true;
    workspace.runRecord(lessonId, learnerId).then(
      (r) => live && setRecord(r),
      () => live && setRecord(null),
    );
    return () => {
      live = false;
    };
  }, [workspace, learnerId, lessonId, runs]);

  const created = record?.events.find((e): e is Created => e.type === 'created');
  const finished = record?.events.find((e): e is Finished => e.type === 'finished');
  const checks = record?.events.filter((e): e is CheckFinished => e.type === 'check-finished') ?? [];
  return (
    <aside className="drop-in" data-testid="drop-in" aria-label={`Drop in on ${drop?.name ?? 'a student'}`}>
      <header>
        <h2>
          {drop?.name ?? '…'} · {lessonTitle}
        </h2>
        <button type="button" className="button button-quiet button-small" onClick={onClose}>
          Close
        </button>
      </header>
      <h3>Their code (live, read-only)</h3>
      {/* A box that scrolls takes focus, so its text can be scrolled with the keyboard too (WCAG 2.1.1). */}
      <pre className="drop-in-code" data-testid="drop-in-code" tabIndex={0} aria-label="Their code">
        {drop ? (drop.code ?? '(nothing saved in this lesson yet)') : 'Loading…'}
      </pre>
      <h3>Their last run{record ? ` (${new Date(record.createdAt).toLocaleTimeString()})` : ''}</h3>
      {!record ? (
        <p>No run of this lesson yet.</p>
      ) : (
        <>
          {finished && (
            <p className={`drop-in-outcome outcome-${finished.outcome}`} data-testid="drop-in-outcome">
              {finished.message}
            </p>
          )}
          <ul className="drop-in-checks">
            {checks.map((c) => (
              <li key={c.index} className={`verdict-${c.verdict}`}>
                <strong>{created?.checks[c.index]?.title ?? `check ${c.index + 1}`}</strong>: {c.verdict} — {c.reason}
              </li>
            ))}
          </ul>
          <details>
            <summary>Output</summary>
            <pre className="drop-in-output" tabIndex={0} aria-label="Their last run's output">{record.output.map((o) => `── ${created?.checks[o.checkIndex]?.id ?? o.checkIndex}\n${plainOutput(o.data)}`).join('\n')}</pre>
          </details>
        </>
      )}
    </aside>
  );
}
