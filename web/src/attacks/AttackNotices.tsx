import type { WorkshopView } from '@jaillab/protocol';
import { useState } from 'react';
import { useConnection } from '../app/connection.js';
import { AttackRun } from './AttackRun.js';
import { attackSentence } from './attack-words.js';
import './attacks.css';

/**
 * In a student's workspace: the probes their instructor fired at their jail
 * in this lesson, newest first — whether it broke out, the replay of how,
 * what the probe tries, and its source once the instructor shows it.
 */
export function AttackNotices({ view, lessonId }: { view: WorkshopView; lessonId: string }) {
  const { attacks } = useConnection();
  const [open, setOpen] = useState<string | null>(null);
  const here = view.attacks.filter((a) => a.lessonId === lessonId);
  if (here.length === 0) return null;
  return (
    <section className="attack-notices" aria-label="Probes your instructor fired at your jail" data-testid="attack-notices">
      {here.map((a) => (
        <article key={a.id} className={`attack-notice attack-${a.verdict}`} data-testid="attack-notice" data-verdict={a.verdict}>
          <p className="attack-notice-line">
            <span role={a.verdict === 'escaped' ? 'alert' : undefined}>{attackSentence(a.probeTitle, a.verdict)}</span> <span className="attack-notice-reason">{a.verdict !== 'pending' && a.reason}</span>
          </p>
          <p className="attack-notice-explanation">{a.explanation}</p>
          {(a.verdict === 'escaped' || a.verdict === 'contained' || a.verdict === 'error') && (
            <button type="button" className="button button-small" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? null : a.id)} data-testid="attack-notice-open">
              {open === a.id ? 'Hide the run' : 'Show the run and its replay'}
            </button>
          )}
          {open === a.id && <AttackRun load={() => attacks.record(a.id)} version={`${a.id}:${a.verdict}`} title={a.probeTitle} />}
          {a.source !== null && (
            <details data-testid="attack-notice-source">
              <summary>The probe&apos;s source</summary>
              <pre className="drop-in-code" tabIndex={0} aria-label={`Source of ${a.probeTitle}`}>
                {a.source}
              </pre>
            </details>
          )}
        </article>
      ))}
    </section>
  );
}
