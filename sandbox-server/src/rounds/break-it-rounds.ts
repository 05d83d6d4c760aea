import { randomBytes, randomInt } from 'node:crypto';
import type { RoundView } from '@jaillab/protocol';
import { attackVerdictOf } from '../attacks/attack-verdict.js';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Run } from '../runs/run.js';
import { runRecordOf } from '../runs/run-record.js';
import type { RunService } from '../runs/run-service.js';
import type { Store } from '../store/store.js';
import { csvField } from '../workshops/export-csv.js';
import { WorkshopError, type WorkshopService } from '../workshops/workshop-service.js';
import { roundOver, roundView } from './round-board.js';
import type { RoundRow } from './round-store.js';

/** Why a round action was refused: the round is over (or another is open), or the budget is spent. */
export class RoundError extends Error {
  constructor(
    readonly code: 'round-closed' | 'budget-spent' | 'forbidden' | 'unknown-workshop' | 'unknown-lesson',
    message: string,
  ) {
    super(message);
  }
}

export interface BreakItRoundsDeps {
  workshops: WorkshopService;
  runs: Pick<RunService, 'startDetached' | 'extraProbeCheck'>;
  catalog: LessonCatalog;
  store: Pick<Store, 'code'>;
  log: (line: string) => void;
}

/**
 * Break-it rounds between students. The instructor opens a round on a lesson
 * (a time limit, a run budget per student); each student submits a jail —
 * their code for the lesson at that moment — and fires probes of their own at
 * other students' submitted jails, one run of their budget each, in a fresh
 * VM with the lesson's limits, taking turns with everyone's runs. A probe is
 * untrusted code like a jail: it is compiled by the sandboxed compiler and
 * runs only in the VM. Neither side sees the other's source until the
 * instructor reveals them; the scoreboard is pushed to everyone.
 */
export class BreakItRounds {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: BreakItRoundsDeps) {}

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
  }

  open(workshopId: string, lessonId: string, minutes: number, budget: number): RoundView {
    const { workshops } = this.deps;
    const w = workshops.store.get(workshopId);
    if (!w) throw new WorkshopError('unknown-workshop', 'there is no such workshop');
    if (w.endedAt) throw new WorkshopError('workshop-ended', 'this workshop has ended');
    if (!w.lessons.some((l) => l.id === lessonId) || !this.deps.catalog.get(lessonId)) throw new WorkshopError('unknown-lesson', `the lesson "${lessonId}" is not in this workshop`);
    const open = workshops.rounds.latest(w.id);
    if (open && !roundOver(open, Date.now())) throw new RoundError('round-closed', 'a round is open already: end it first');
    const now = Date.now();
    const round: RoundRow = { id: `b_${randomBytes(9).toString('base64url')}`, workshopId: w.id, lessonId, budget, openedAt: new Date(now).toISOString(), endsAt: new Date(now + minutes * 60_000).toISOString(), endedAt: null, revealed: false };
    workshops.rounds.open(round);
    this.arm(round);
    this.deps.log(`workshop ${w.id}: break-it round ${round.id} on ${lessonId} (${minutes} min, ${budget} runs each)`);
    this.changed(w.id);
    return roundView(workshops.roundFacts(w.id)!);
  }

  end(workshopId: string, roundId: string): void {
    const r = this.roundOf(workshopId, roundId);
    this.deps.workshops.rounds.end(r.id, new Date().toISOString());
    clearTimeout(this.timers.get(r.id));
    this.changed(workshopId);
  }

  reveal(workshopId: string, roundId: string): void {
    const r = this.roundOf(workshopId, roundId);
    this.deps.workshops.rounds.reveal(r.id);
    this.changed(workshopId);
  }

  /** The round's results: one row per shot, and one per student's standing. */
  exportCsv(workshopId: string, roundId: string): { fileName: string; csv: string } {
    const r = this.roundOf(workshopId, roundId);
    const facts = this.deps.workshops.roundFacts(workshopId)!;
    const name = (id: string): string => facts.members.find((m) => m.learnerId === id)?.name ?? id;
    const rows = [['attacker', 'target', 'probe', 'verdict', 'reason', 'fired_at'].map(csvField).join(',')];
    for (const s of this.deps.workshops.rounds.shots(r.id)) rows.push([name(s.attackerId), name(s.targetId), s.probeTitle, s.verdict, s.reason, s.firedAt].map(csvField).join(','));
    rows.push('', ['student', 'jail_submitted', 'jail_standing', 'jails_broken', 'runs_fired'].map(csvField).join(','));
    for (const st of roundView(facts).standings) rows.push([st.name, st.submitted ? 'yes' : 'no', st.standing ? 'yes' : 'no', st.escapes, st.fired].map(csvField).join(','));
    return { fileName: `break-it-${r.lessonId.replace(/[^a-z0-9]+/g, '-')}-${r.openedAt.slice(0, 16).replace(/[^0-9]/g, '')}.csv`, csv: `${rows.join('\r\n')}\r\n` };
  }

  /** Whether this learner is a student of a workshop whose break-it round is open (they may write probes). */
  inOpenRound(learnerId: string): boolean {
    const m = this.deps.workshops.store.membershipOf(learnerId);
    const r = m && !m.workshop.endedAt ? this.deps.workshops.rounds.latest(m.workshop.id) : null;
    return r !== null && !roundOver(r, Date.now());
  }

  /** A student submits their jail: the code saved for the round's lesson now. */
  submit(learnerId: string, roundId: string): void {
    const { round } = this.memberOf(learnerId, roundId);
    const code = this.deps.store.code(learnerId, round.lessonId)?.source;
    if (!code?.trim()) throw new RoundError('forbidden', 'there is no code of yours in this lesson yet: write your jail, then submit it');
    this.deps.workshops.rounds.submit(round.id, learnerId, code, new Date().toISOString());
    this.changed(round.workshopId);
  }

  /** A student fires a probe at another student's submitted jail (or one at random): one run of their budget. */
  async fire(learnerId: string, roundId: string, target: { learnerId: string } | { random: true }, probe: { title: string; source: string }): Promise<{ shotId: string; target: string }> {
    const { round } = this.memberOf(learnerId, roundId);
    const rounds = this.deps.workshops.rounds;
    const jails = rounds.jails(round.id);
    const others = [...jails.keys()].filter((id) => id !== learnerId && this.deps.workshops.store.member(round.workshopId, id));
    const targetId = 'random' in target ? others[others.length ? randomInt(others.length) : 0] : target.learnerId;
    if (!targetId || !others.includes(targetId)) throw new RoundError('forbidden', 'aim at another student\'s submitted jail (none is in yet, or that one is not)');
    // Compiled before it costs a run: a typo is an answer, not a shot.
    const check = await this.deps.runs.extraProbeCheck({ name: 'round-probe', title: probe.title, source: probe.source }, 0);
    const shotId = `ra_${randomBytes(9).toString('base64url')}`;
    const lesson = this.deps.catalog.get(round.lessonId);
    if (!lesson) throw new WorkshopError('unknown-lesson', 'the round\'s lesson is no longer in the course');
    if (roundOver(rounds.get(round.id)!, Date.now())) throw new RoundError('round-closed', 'the round is over');
    const added = rounds.addShot({ id: shotId, roundId: round.id, attackerId: learnerId, targetId, probeTitle: probe.title, probeSource: probe.source, verdict: 'pending', reason: 'waiting for a free VM', firedAt: new Date().toISOString(), finishedAt: null }, round.budget);
    if (!added) throw new RoundError('budget-spent', `you have fired all ${round.budget} runs of this round`);
    // The attacker's own run, in turn with everyone's (they wait at their screen for it); the jail is the target's.
    this.deps.runs.startDetached(learnerId, lesson, jails.get(targetId)!, [check], (run) => this.finished(round.workshopId, shotId, run), { background: false });
    this.changed(round.workshopId);
    const name = this.deps.workshops.store.member(round.workshopId, targetId)?.name ?? 'a student';
    return { shotId, target: name };
  }

  /** The run of one shot, for its attacker and the owner of the jail it was fired at. */
  record(learnerId: string, shotId: string): ReturnType<WorkshopService['rounds']['record']> {
    const shot = this.deps.workshops.rounds.shot(shotId);
    if (!shot || (shot.attackerId !== learnerId && shot.targetId !== learnerId)) throw new RoundError('forbidden', 'that shot is not yours to see');
    return this.deps.workshops.rounds.record(shotId);
  }

  private finished(workshopId: string, shotId: string, run: Run): void {
    const record = runRecordOf(run);
    const { verdict, reason } = run.outcome === 'cancelled' ? { verdict: 'error' as const, reason: 'the run was cancelled' } : attackVerdictOf(record.events);
    this.deps.workshops.rounds.finishShot(shotId, verdict, reason, record, new Date().toISOString());
    this.changed(workshopId);
  }

  private roundOf(workshopId: string, roundId: string): RoundRow {
    const r = this.deps.workshops.rounds.get(roundId);
    if (!r || r.workshopId !== workshopId) throw new WorkshopError('unknown-workshop', 'no such round in this workshop');
    return r;
  }

  /** The round, if this learner is a student of its workshop and it is open. */
  private memberOf(learnerId: string, roundId: string): { round: RoundRow } {
    const round = this.deps.workshops.rounds.get(roundId);
    if (!round || !this.deps.workshops.store.member(round.workshopId, learnerId)) throw new RoundError('forbidden', 'you are not in this round');
    if (roundOver(round, Date.now())) throw new RoundError('round-closed', 'the round is over');
    return { round };
  }

  /** At the round's end, everyone's scoreboard says so without waiting for the next change. */
  private arm(round: RoundRow): void {
    const ms = Date.parse(round.endsAt) - Date.now();
    const t = setTimeout(() => {
      this.timers.delete(round.id);
      this.changed(round.workshopId);
    }, Math.max(0, ms) + 50);
    t.unref();
    this.timers.set(round.id, t);
  }

  private changed(workshopId: string): void {
    this.deps.workshops.changed(workshopId);
    this.deps.workshops.membersChanged(workshopId);
  }
}
