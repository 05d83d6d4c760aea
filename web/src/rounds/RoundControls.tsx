import type { Dashboard } from '@jaillab/protocol';
import { type FormEvent, useState } from 'react';
import { useConnection } from '../app/connection.js';
import { download } from '../ui/download.js';
import { WorkshopLessonSelect } from '../workshop/WorkshopLessonSelect.js';
import { Scoreboard } from './Scoreboard.js';
import './rounds.css';

/** The dashboard's break-it round: open one (lesson, time, budget), then its live scoreboard, end, reveal, export. */
export function RoundControls({ dashboard }: { dashboard: Dashboard }) {
  const { rounds } = useConnection();
  const w = dashboard.workshop;
  const round = dashboard.round;
  const open = round !== null && round.endedAt === null;
  const [lessonId, setLessonId] = useState(w.lessons[0]?.id ?? '');
  const [minutes, setMinutes] = useState(20);
  const [budget, setBudget] = useState(5);
  const [error, setError] = useState<string | null>(null);
  const act = (p: Promise<unknown>) => {
    setError(null);
    p.catch((e: Error) => setError(e.message));
  };
  const start = (e: FormEvent) => {
    e.preventDefault();
    act(rounds.open(w.id, lessonId, minutes, budget));
  };
  return (
    // Folded until wanted, open once there is a round (its scoreboard): the room's grid keeps the screen otherwise.
    <details className="round-controls" data-testid="round-controls" open={round !== null || undefined}>
      <summary data-testid="round-controls-open">
        <h2 id="round-controls-title">Break-it round{open ? ' (open)' : ''}</h2>
      </summary>
      {!open && w.endedAt === null && (
        <form onSubmit={start} className="round-open-form">
          <WorkshopLessonSelect lessons={w.lessons} value={lessonId} onChange={setLessonId} testId="round-lesson" />
          <label>
            Minutes <input type="number" min={1} max={180} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="round-minutes" />
          </label>
          <label>
            Runs per student <input type="number" min={1} max={50} value={budget} onChange={(e) => setBudget(Number(e.target.value))} data-testid="round-budget" />
          </label>
          <button type="submit" className="button button-primary" data-testid="round-open">
            Open a round
          </button>
        </form>
      )}
      {round && (
        <>
          <Scoreboard round={round} />
          <div className="round-actions">
            {open && (
              <button type="button" className="button" onClick={() => act(rounds.end(w.id, round.id))} data-testid="round-end">
                End the round
              </button>
            )}
            {!round.revealed && (
              <button type="button" className="button" onClick={() => act(rounds.reveal(w.id, round.id))} data-testid="round-reveal">
                Reveal sources to everyone
              </button>
            )}
            <button type="button" className="button" onClick={() => act(rounds.exportCsv(w.id, round.id).then((x) => download(x.fileName, x.csv)))} data-testid="round-export">
              Export the round&apos;s results
            </button>
          </div>
        </>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </details>
  );
}
