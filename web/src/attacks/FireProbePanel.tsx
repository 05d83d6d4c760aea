import type { AttackCodeChoice, Dashboard, FiredProbe, LibraryProbe } from '@jaillab/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { useConnection } from '../app/connection.js';
import { Link } from '../app/Link.js';
import { PROBE_EDITOR_PATH } from '../app/router.js';
import { loadDraft } from '../probes/probe-draft.js';
import { WorkshopLessonSelect } from '../workshop/WorkshopLessonSelect.js';
import { attackProgress } from './attack-words.js';
import './attacks.css';

/** The draft in this browser's probe editor, as a choice: fired straight from there (compiled first). */
const DRAFT = 'draft:';

/**
 * Fire a probe at the room: a lesson of the workshop, a probe (the library's,
 * one kept from the probe editor, or the draft open there), and which of each
 * student's programs to fire at. The runs wait below every student's own Run;
 * the grid gains a column that fills in as they finish.
 */
export function FireProbePanel({ dashboard }: { dashboard: Dashboard }) {
  const { attacks } = useConnection();
  const w = dashboard.workshop;
  const [probes, setProbes] = useState<LibraryProbe[] | null>(null);
  const [lessonId, setLessonId] = useState(w.lessons[0]?.id ?? '');
  const [probe, setProbe] = useState('');
  const [code, setCode] = useState<AttackCodeChoice>('latest');
  const [showSource, setShowSource] = useState(false);
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const draft = loadDraft();

  useEffect(() => {
    attacks.library().then(
      (l) => setProbes(l.probes.filter((p) => p.kind === 'escape')),
      (e: Error) => setStatus({ error: true, text: `The probe library could not be loaded: ${e.message}` }),
    );
  }, [attacks]);

  const fire = (e: FormEvent) => {
    e.preventDefault();
    let fired: FiredProbe;
    if (probe.startsWith(DRAFT)) {
      if (!draft) return;
      fired = { draft: { id: draft.id, title: draft.title, explanation: draft.explanation, source: draft.source } };
    } else fired = { probeId: probe };
    setBusy(true);
    setStatus(null);
    attacks
      .fire(w.id, lessonId, fired, code, showSource)
      .then(
        (r) => setStatus({ error: false, text: `Fired at ${r.students} student${r.students === 1 ? '' : 's'}: the column fills in as their runs finish.` }),
        (err: Error) => setStatus({ error: true, text: err.message }),
      )
      .finally(() => setBusy(false));
  };
  const latest = dashboard.attacks.at(-1);
  const progress = latest ? attackProgress(latest.results) : null;
  return (
    // Folded until wanted: the room's grid keeps the screen (a fired probe's progress shows in its column).
    <details className="fire-probe" data-testid="fire-probe">
      <summary data-testid="fire-probe-open">
        <h2 id="fire-probe-title">Fire a probe at the room</h2>
      </summary>
      <form onSubmit={fire}>
        <WorkshopLessonSelect lessons={w.lessons} value={lessonId} onChange={setLessonId} testId="fire-lesson" />
        <label>
          Probe{' '}
          <select value={probe} onChange={(e) => setProbe(e.target.value)} data-testid="fire-probe-choice" required>
            <option value="">{probes ? 'choose a probe' : 'loading…'}</option>
            {draft && <option value={`${DRAFT}${draft.id}`}>the draft in the probe editor: {draft.title || draft.id}</option>}
            {probes?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title} ({p.id})
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Each student&apos;s</legend>
          <label>
            <input type="radio" name="fire-code" checked={code === 'latest'} onChange={() => setCode('latest')} /> latest code
          </label>
          <label>
            <input type="radio" name="fire-code" checked={code === 'last-passing'} onChange={() => setCode('last-passing')} data-testid="fire-last-passing" /> last passing code
          </label>
        </fieldset>
        <label>
          <input type="checkbox" checked={showSource} onChange={(e) => setShowSource(e.target.checked)} data-testid="fire-show-source" /> show students the probe&apos;s source
        </label>
        <button type="submit" className="button button-primary" disabled={busy || !probe || w.endedAt !== null} data-testid="fire-submit">
          Fire at the room
        </button>
        <Link href={PROBE_EDITOR_PATH}>Write a new probe</Link>
      </form>
      {status && (
        <p role={status.error ? 'alert' : 'status'} className={status.error ? 'form-error' : ''} data-testid="fire-status">
          {status.text}
        </p>
      )}
      {latest && progress && (
        <p role="status" data-testid="fire-progress">
          “{latest.probeTitle}”: {progress.done} of {progress.total} jails tried
        </p>
      )}
    </details>
  );
}
