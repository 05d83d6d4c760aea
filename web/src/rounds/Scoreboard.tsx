import type { RoundView } from '@jaillab/protocol';
import { useEffect, useState } from 'react';

/** Minutes and seconds left, or that the round is over. */
function timeLeft(round: RoundView, now: number): string {
  if (round.endedAt) return 'over';
  const s = Math.max(0, Math.round((Date.parse(round.endsAt) - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} left`;
}

/** Re-renders once a second while the round is open: the time left counts down. */
function useNow(open: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!open) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [open]);
  return now;
}

/** A round's scoreboard, live: jails in and still standing, jails each student's probes broke, first blood. */
export function Scoreboard({ round }: { round: RoundView }) {
  const now = useNow(round.endedAt === null);
  const standing = round.standings.filter((s) => s.standing).length;
  const submitted = round.standings.filter((s) => s.submitted).length;
  const escapes = round.standings.reduce((n, s) => n + s.escapes, 0);
  return (
    <div className="round-scoreboard" data-testid="round-scoreboard">
      <p className="round-summary" data-testid="round-summary">
        <strong>{round.lessonTitle}</strong> · <span data-testid="round-time">{timeLeft(round, now)}</span> · <span data-testid="round-standing">{standing} of {submitted} jails standing</span> · <span data-testid="round-escapes">{escapes} escape{escapes === 1 ? '' : 's'} found</span>
        {round.firstBlood && (
          <>
            {' '}
            · <span data-testid="round-first-blood">first blood: {round.firstBlood.attacker} broke {round.firstBlood.target}&apos;s jail</span>
          </>
        )}
      </p>
      <table className="round-table">
        <caption className="visually-hidden">Scoreboard of the round</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Jail</th>
            <th scope="col">Jails broken</th>
            <th scope="col">Runs fired</th>
          </tr>
        </thead>
        <tbody>
          {round.standings.map((s) => (
            <tr key={s.learnerId} data-testid="round-row" data-name={s.name} data-standing={s.standing} data-escapes={s.escapes}>
              <th scope="row">{s.name}</th>
              <td className={s.submitted && !s.standing ? 'round-broken' : ''}>{!s.submitted ? 'not submitted' : s.standing ? 'standing' : 'broken'}</td>
              <td>{s.escapes}</td>
              <td>
                {s.fired} of {round.budget}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
