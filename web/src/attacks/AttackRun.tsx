import type { RunRecord } from '@jaillab/protocol';
import { useEffect, useMemo, useState } from 'react';
import { ReplayDialog } from '../replay/ReplayDialog.js';
import { initialRunState, runReducer } from '../run/run-state.js';
import { plainOutput } from '../text/plain-output.js';

interface Props {
  /** Fetches the run (the instructor names the student; a student gets their own). */
  load(): Promise<RunRecord | null>;
  /** Changes when the result does: the run is read again. */
  version: string;
  title: string;
}

/**
 * One run of a fired probe against one jail, as it was: the probe's verdict
 * and why, its output, and the escape replay one click away.
 */
export function AttackRun({ load, version, title }: Props) {
  const [record, setRecord] = useState<RunRecord | null | 'loading' | 'failed'>('loading');
  const [replaying, setReplaying] = useState(false);
  useEffect(() => {
    let live = true;
    setRecord('loading');
    load().then(
      (r) => live && setRecord(r),
      () => live && setRecord('failed'),
    );
    return () => {
      live = false;
    };
    // `load` is a new function each render; `version` says when the result changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  const state = useMemo(() => (record && typeof record === 'object' ? record.events.reduce((s, event) => runReducer(s, { type: 'event', event }), initialRunState([])) : null), [record]);
  if (record === 'loading') return <p aria-busy="true">Loading the run…</p>;
  if (record === 'failed') return <p role="alert">The run could not be loaded; try again.</p>;
  if (!record || !state) return <p>This run has not finished yet.</p>;
  const result = state.results[0];
  const trace = state.traces[0];
  const output = record.output.find((o) => o.checkIndex === 0);
  return (
    <div className="attack-run" data-testid="attack-run">
      <p className={`attack-run-verdict verdict-${result?.verdict ?? 'error'}`} data-testid="attack-run-verdict">
        <strong>{result ? result.verdict : 'no verdict'}</strong>
        {/* The agent's reason usually starts with the verdict already ("escaped: read …"): say it once. */}
        {` — ${(result?.reason ?? state.finished?.message ?? 'the run did not reach the probe').replace(/^(escaped|contained):\s*/, '')}`}
      </p>
      {trace && (
        <button type="button" className="button button-small" data-testid="attack-replay" onClick={() => setReplaying(true)}>
          Open the replay
        </button>
      )}
      <details>
        <summary>Output</summary>
        <pre className="drop-in-output" tabIndex={0} aria-label={`Output of ${title}`}>
          {output ? plainOutput(output.data) : '(no output)'}
        </pre>
      </details>
      {replaying && trace && <ReplayDialog title={title} trace={trace} focusStep={null} onClose={() => setReplaying(false)} />}
    </div>
  );
}
