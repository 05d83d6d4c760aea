import type { CourseOutline, ExtraProbe } from '@jaillab/protocol';
import { type FormEvent, useRef, useState } from 'react';
import { fetchLesson } from '../api/http-api.js';
import { useConnection, useLastWelcome } from '../app/connection.js';
import { VerdictPanel } from '../lesson/VerdictPanel.js';
import { TerminalPane } from '../terminal/TerminalPane.js';
import type { TerminalView } from '../terminal/terminal-view.js';
import { useProbeTry } from './use-probe-try.js';

type Target = 'solution' | 'starter' | 'pasted';

/**
 * Try it: the probe against a lesson's reference solution, its starter, or a
 * jail pasted in — one run with this probe alone, shown as a learner's run is
 * (verdicts, output, replay).
 */
export function ProbeTry({ outline, probe }: { outline: CourseOutline; probe: () => ExtraProbe | string }) {
  const { workspace } = useConnection();
  const welcome = useLastWelcome();
  const lessons = outline.chapters.flatMap((c) => c.lessons);
  const [lessonId, setLessonId] = useState(lessons[0]?.id ?? '');
  const [target, setTarget] = useState<Target>('solution');
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const terminalRef = useRef<TerminalView | null>(null);
  const run = useProbeTry(terminalRef);

  const tryIt = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const p = probe();
    if (typeof p === 'string') return setProblem(p);
    const program: Promise<string> = target === 'pasted' ? Promise.resolve(pasted) : target === 'starter' ? fetchLesson(lessonId).then((l) => l.starter) : workspace.solution(lessonId).then((s) => s.source);
    program.then(
      (source) => (source.trim() ? run.start(lessonId, source, p) : setProblem('Paste a jail program to try the probe against.')),
      (err: Error) => setProblem(`The ${target} could not be loaded: ${err.message}`),
    );
  };
  const running = run.state.phase === 'requested' || run.state.phase === 'queued' || run.state.phase === 'compiling' || run.state.phase === 'checking';
  return (
    <section className="probe-try" aria-labelledby="probe-try-title" data-testid="probe-try">
      <h2 id="probe-try-title">Try it</h2>
      <form onSubmit={tryIt} className="probe-try-form">
        <label>
          Against lesson{' '}
          <select value={lessonId} onChange={(e) => setLessonId(e.target.value)} data-testid="try-lesson">
            {lessons.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Its program</legend>
          {(['solution', 'starter', 'pasted'] as const).map((t) => (
            <label key={t}>
              <input type="radio" name="try-target" checked={target === t} onChange={() => setTarget(t)} data-testid={`try-${t}`} /> {t === 'solution' ? 'the reference solution' : t === 'starter' ? 'the starter' : 'a jail pasted in'}
            </label>
          ))}
        </fieldset>
        {target === 'pasted' && (
          <label className="probe-try-pasted">
            The jail program (C)
            <textarea value={pasted} onChange={(e) => setPasted(e.target.value)} rows={10} spellCheck={false} data-testid="try-pasted" />
          </label>
        )}
        <button type="submit" className="button button-primary" disabled={running} data-testid="try-run">
          Try it
        </button>
        {running && (
          <button type="button" className="button" onClick={run.cancel}>
            Cancel
          </button>
        )}
      </form>
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      <div className="probe-try-result">
        <VerdictPanel state={run.state} serverAccelerator={welcome?.accelerator ?? null} />
        <div className="probe-try-terminal">
          <TerminalPane viewRef={terminalRef} label="Output of the try" testId="probe-try-terminal" />
        </div>
      </div>
    </section>
  );
}
