import type { RunState } from '../run/run-state.js';
import { checkStateLabel, OUTCOME_TITLE, runProgressLabel, stillOpenLabel } from './check-labels.js';
import { clauseText, verdictClauses } from './run-sentence.js';

/** One sentence for the screen reader, with a key that says which moment of the run it belongs to (said once). */
export interface Announcement {
  key: string;
  text: string;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const sentence = (s: string): string => (/[.!?…]$/.test(s) ? s : `${s}.`);

/**
 * Everything worth hearing about a run in the state it has reached, in the
 * order it happened: where it is (queued, compiling, which check runs), each
 * verdict with its reason ("The working directory left outside escaped: read
 * the outside secret via ../outside/secret."), and how it ended. The live
 * region says each key once (RunAnnouncer), so calling this on every state
 * turns a run into a spoken log. A run restored from the server's record
 * (a reload) is not news: only its ending is said.
 */
export function runAnnouncements(state: RunState): Announcement[] {
  const out: Announcement[] = [];
  if (state.phase === 'refused') {
    out.push({ key: `refused:${state.refusal?.code ?? ''}`, text: sentence(`Not run: ${state.refusal?.message ?? 'the run could not be started'}`) });
    return out;
  }
  if (state.phase === 'idle') return out;
  const live = state.restored === null;
  if (live) {
    // Passing moments: said if the page sees them (several events may arrive in one render).
    if (state.phase === 'queued' || state.phase === 'compiling') out.push({ key: `phase:${state.phase}`, text: sentence(runProgressLabel(state) ?? capital(state.phase)) });
    if (state.compile && !state.compile.ok) out.push({ key: 'compile', text: 'The program did not compile.' });
    if (state.activeCheck !== null) {
      const info = state.checks[state.activeCheck];
      out.push({ key: `start:${state.activeCheck}`, text: `Running check ${state.activeCheck + 1} of ${state.checks.length}: ${info?.title ?? ''}.` });
    }
    for (const info of state.checks) {
      const r = state.results[info.index];
      if (!r) continue;
      const verdict = stillOpenLabel(info, r.verdict) ?? checkStateLabel(r.verdict, state);
      out.push({ key: `verdict:${info.index}`, text: sentence(`${info.title} ${verdict}: ${r.reason}`) });
    }
  }
  if (state.finished) {
    const clauses = verdictClauses(state.checks, state.results);
    const words = clauses ? clauses.map(clauseText).join(' ') : sentence(state.finished.message);
    const title = OUTCOME_TITLE[state.finished.outcome];
    out.push({ key: 'finished', text: `${live ? '' : 'Your last run, restored: '}${title}. ${words}` });
  }
  return out;
}

/**
 * What is new to say as the run's state moves on: each key once per run. A
 * new run (a fresh request, or another run's id) starts over; the same run
 * replayed from its start after a reconnect does not, so nothing is said twice.
 */
export class AnnouncementLog {
  private run: string | null = null;
  private said = new Set<string>();

  next(state: RunState): Announcement[] {
    if (state.phase === 'requested' && state.runId === null) this.said = new Set();
    else if (state.runId !== null && this.run !== null && state.runId !== this.run) this.said = new Set();
    this.run = state.runId;
    const fresh = runAnnouncements(state).filter((a) => !this.said.has(a.key));
    for (const a of fresh) this.said.add(a.key);
    return fresh;
  }
}
