import type { MemberRound, RoundShot } from '@jaillab/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ProbeLibraryView } from '../api/attack-client.js';
import { useConnection } from '../app/connection.js';
import { AttackRun } from '../attacks/AttackRun.js';
import { CodeEditor, type CodeEditorHandle } from '../editor/CodeEditor.js';
import { ProbeHelpers } from '../probes/ProbeHelpers.js';
import { useProbeDiagnostics } from '../probes/use-probe-diagnostics.js';
import { loadRoundProbe, saveRoundProbe } from './round-probe-draft.js';
import { Scoreboard } from './Scoreboard.js';
import './rounds.css';

/** One shot, fired or received: who, which probe, what happened, its run (and replay), the other side's source once revealed. */
function Shot({ shot, side }: { shot: RoundShot; side: 'fired' | 'received' }) {
  const { rounds } = useConnection();
  const [open, setOpen] = useState(false);
  const done = shot.verdict !== 'pending';
  const who = side === 'fired' ? `your probe “${shot.probeTitle}” at ${shot.target}'s jail` : `${shot.attacker}'s probe “${shot.probeTitle}” at your jail`;
  return (
    <li className={`round-shot verdict-${shot.verdict}`} data-testid={`round-${side}`} data-verdict={shot.verdict}>
      <p>
        <strong>{shot.verdict === 'pending' ? 'running' : shot.verdict}</strong>: {who}
        {done && ` — ${shot.reason.replace(/^(escaped|contained):\s*/, '')}`}
      </p>
      {done && (
        <button type="button" className="button button-small" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="round-shot-open">
          {open ? 'Hide the run' : 'Show the run and its replay'}
        </button>
      )}
      {open && <AttackRun load={() => rounds.record(shot.id)} version={`${shot.id}:${shot.verdict}`} title={shot.probeTitle} />}
      {shot.otherSource !== null && (
        <details data-testid="round-other-source">
          <summary>{side === 'fired' ? `${shot.target}'s jail` : 'Their probe'}</summary>
          <pre className="drop-in-code" tabIndex={0} aria-label={side === 'fired' ? `${shot.target}'s jail` : `${shot.attacker}'s probe`}>
            {shot.otherSource}
          </pre>
        </details>
      )}
    </li>
  );
}

/**
 * A student's break-it round, above the lesson's workspace: the scoreboard,
 * submitting their jail (the code as it is now), a probe of their own in the
 * editor, fired at another student's jail within the budget, and every shot
 * — theirs and those at their jail — with its run and replay.
 */
export function RoundPanel({ part, myName }: { part: MemberRound; myName: string }) {
  const { rounds, attacks } = useConnection();
  const round = part.round;
  const over = round.endedAt !== null;
  const [draft, setDraft] = useState(loadRoundProbe);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const editorRef = useRef<CodeEditorHandle | null>(null);
  const [target, setTarget] = useState('random');
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { diagnostics, status: compileText } = useProbeDiagnostics(draft.source, !over);
  const [library, setLibrary] = useState<ProbeLibraryView | null>(null);
  useEffect(() => {
    if (!over) attacks.library().then(setLibrary, () => setLibrary(null));
  }, [attacks, over]);
  // Names are unique in a workshop: the member's own is how their row is told apart.
  const targets = round.standings.filter((s) => s.submitted && s.name !== myName);
  const update = (patch: Partial<typeof draft>) => {
    const next = { ...draftRef.current, ...patch };
    draftRef.current = next;
    setDraft(next);
    saveRoundProbe(next);
  };
  const run = (p: Promise<string>) => {
    setBusy(true);
    setStatus(null);
    p.then(
      (text) => setStatus({ error: false, text }),
      (e: Error) => setStatus({ error: true, text: e.message }),
    ).finally(() => setBusy(false));
  };
  const fire = (e: FormEvent) => {
    e.preventDefault();
    const aim = target === 'random' ? ({ random: true } as const) : { learnerId: target };
    run(rounds.fire(round.id, aim, { title: draftRef.current.title, source: draftRef.current.source }).then((r) => `Fired at ${r.target}'s jail: the result comes below.`));
  };
  return (
    // Open to start with (the round is what the room is doing); the student can fold it to work on their jail.
    <details className="round-panel" data-testid="round-panel" open>
      <summary>
        <h2 id="round-panel-title">Break-it round{over ? ' (over)' : ''}</h2>
      </summary>
      <Scoreboard round={round} />
      {!over && (
        <>
          <p>
            <button type="button" className="button" disabled={busy} onClick={() => run(rounds.submit(round.id).then(() => 'Your jail is in: it is your code as it is now.'))} data-testid="round-submit">
              {part.submitted ? 'Submit my jail again (as it is now)' : 'Submit my jail'}
            </button>{' '}
            <span data-testid="round-submitted">{part.submitted ? 'Your jail is in the round.' : 'Your jail is not in the round yet.'}</span>
          </p>
          <form className="round-fire-form" onSubmit={fire}>
            <label>
              Your probe&apos;s title <input value={draft.title} onChange={(e) => update({ title: e.target.value })} data-testid="round-probe-title" maxLength={80} />
            </label>
            <label>
              At{' '}
              <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="round-target">
                <option value="random">a jail picked at random</option>
                {targets.map((s) => (
                  <option key={s.learnerId} value={s.learnerId}>
                    {s.name}&apos;s jail{s.standing ? '' : ' (broken)'}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button button-primary" disabled={busy || part.left === 0} data-testid="round-fire">
              Fire ({part.left} of {round.budget} left)
            </button>
          </form>
          <div className="round-probe-code" data-testid="round-probe-code">
            <CodeEditor modelKey="round-probe" fileName="probe.c" initialValue={draft.source} diagnostics={diagnostics} onChange={(source) => update({ source })} onRun={() => undefined} handleRef={editorRef} />
          </div>
          <p role="status" data-testid="round-compile-status">
            {compileText ?? ' '}
          </p>
          {library && (
            <details>
              <summary>probe.h: the helpers your probe may use</summary>
              <ProbeHelpers helpers={library.helpers} header={library.header} />
            </details>
          )}
        </>
      )}
      {status && (
        <pre role={status.error ? 'alert' : 'status'} className={status.error ? 'form-error round-status' : 'round-status'} data-testid="round-status">
          {status.text}
        </pre>
      )}
      <div className="round-shots">
        <div>
          <h3>Your shots</h3>
          {part.fired.length === 0 ? <p>None yet.</p> : <ul>{part.fired.map((s) => <Shot key={s.id} shot={s} side="fired" />)}</ul>}
        </div>
        <div>
          <h3>Shots at your jail</h3>
          {part.received.length === 0 ? <p>None yet.</p> : <ul>{part.received.map((s) => <Shot key={s.id} shot={s} side="received" />)}</ul>}
        </div>
      </div>
    </details>
  );
}
