import type { CourseOutline, LessonCheckReport, ProbeDraft } from '@jaillab/protocol';
import { type FormEvent, useState } from 'react';
import { useConnection } from '../app/connection.js';

/**
 * Keep it: the draft becomes lessons/probes/<id>/ (probe.c + probe.md) on the
 * server, checked by the loader like any probe; optionally added to a lesson,
 * whose lessons:check can then run from here.
 */
export function KeepProbe({ outline, draft, onKept }: { outline: CourseOutline; draft: () => ProbeDraft | string; onKept(): void }) {
  const { attacks } = useConnection();
  const lessons = outline.chapters.flatMap((c) => c.lessons);
  const [replace, setReplace] = useState(false);
  const [addTo, setAddTo] = useState('');
  const [starterFalls, setStarterFalls] = useState(true);
  const [kept, setKept] = useState<{ files: string[]; lessonId: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<LessonCheckReport | 'running' | null>(null);

  const keep = (e: FormEvent) => {
    e.preventDefault();
    const d = draft();
    if (typeof d === 'string') return setError(d);
    setBusy(true);
    setError(null);
    setKept(null);
    setReport(null);
    attacks
      .keep(d, { replace, addTo: addTo ? { lessonId: addTo, starterFalls } : null })
      .then(
        (k) => {
          setKept(k);
          onKept();
        },
        (err: Error) => setError(err.message),
      )
      .finally(() => setBusy(false));
  };
  const check = (lessonId: string) => {
    setReport('running');
    attacks.checkLesson(lessonId).then(setReport, (err: Error) => {
      setReport(null);
      setError(`lessons:check could not run: ${err.message}`);
    });
  };
  return (
    <section className="probe-keep" aria-labelledby="probe-keep-title" data-testid="probe-keep">
      <h2 id="probe-keep-title">Keep it</h2>
      <form onSubmit={keep}>
        <label>
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} data-testid="keep-replace" /> replace a probe of this name
        </label>
        <label>
          Add it to a lesson{' '}
          <select value={addTo} onChange={(e) => setAddTo(e.target.value)} data-testid="keep-lesson">
            <option value="">no: keep it in the library only</option>
            {lessons.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </select>
        </label>
        {addTo && (
          <label>
            <input type="checkbox" checked={starterFalls} onChange={(e) => setStarterFalls(e.target.checked)} data-testid="keep-starter-falls" /> the lesson&apos;s starter is meant to fall to it
          </label>
        )}
        <button type="submit" className="button button-primary" disabled={busy} data-testid="keep-submit">
          Keep it
        </button>
      </form>
      {error && (
        <pre role="alert" className="form-error probe-keep-error" data-testid="keep-error">
          {error}
        </pre>
      )}
      {kept && (
        <div role="status" data-testid="keep-done">
          <p>Kept: the loader accepted it. Files written under lessons/:</p>
          <ul>
            {kept.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
          {kept.lessonId && (
            <button type="button" className="button" disabled={report === 'running'} onClick={() => check(kept.lessonId!)} data-testid="keep-check">
              Run lessons:check for this lesson
            </button>
          )}
        </div>
      )}
      {report === 'running' && <p aria-busy="true">lessons:check is running the starter and the solution…</p>}
      {report && report !== 'running' && <LessonCheck report={report} />}
    </section>
  );
}

function LessonCheck({ report }: { report: LessonCheckReport }) {
  return (
    <div className="lesson-check" data-testid="lesson-check" data-ok={report.ok}>
      <p role="status">
        <strong>{report.ok ? 'lessons:check holds: the starter breaks as declared and the solution holds.' : `lessons:check found ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`}</strong>
      </p>
      {!report.ok && (
        <ul>
          {report.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {report.programs.map((p) => (
        <table key={p.program} className="lesson-check-table">
          <caption>The {p.program}</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Expected</th>
              <th scope="col">Got</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {p.checks.map((c) => (
              <tr key={c.probe} data-testid="lesson-check-row" data-program={p.program} data-probe={c.probe} data-verdict={c.verdict} className={c.verdict === c.expected ? '' : 'lesson-check-wrong'}>
                <th scope="row">{c.probe}</th>
                <td>{c.expected}</td>
                <td>{c.verdict}</td>
                <td>{c.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
