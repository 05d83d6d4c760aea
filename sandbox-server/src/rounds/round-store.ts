import type Database from 'better-sqlite3';
import type { AttackVerdict, RunRecord } from '@jaillab/protocol';

export interface RoundRow {
  id: string;
  workshopId: string;
  lessonId: string;
  budget: number;
  openedAt: string;
  endsAt: string;
  endedAt: string | null;
  revealed: boolean;
}

export interface ShotRow {
  id: string;
  roundId: string;
  attackerId: string;
  targetId: string;
  probeTitle: string;
  probeSource: string;
  verdict: AttackVerdict;
  reason: string;
  firedAt: string;
  finishedAt: string | null;
}

interface RoundSql {
  id: string;
  workshop_id: string;
  lesson_id: string;
  budget: number;
  opened_at: string;
  ends_at: string;
  ended_at: string | null;
  revealed: number;
}
interface ShotSql {
  id: string;
  round_id: string;
  attacker_id: string;
  target_id: string;
  probe_title: string;
  probe_source: string;
  verdict: AttackVerdict;
  reason: string;
  fired_at: string;
  finished_at: string | null;
}

const roundOf = (r: RoundSql): RoundRow => ({ id: r.id, workshopId: r.workshop_id, lessonId: r.lesson_id, budget: r.budget, openedAt: r.opened_at, endsAt: r.ends_at, endedAt: r.ended_at, revealed: r.revealed === 1 });
const shotOf = (r: ShotSql): ShotRow => ({
  id: r.id,
  roundId: r.round_id,
  attackerId: r.attacker_id,
  targetId: r.target_id,
  probeTitle: r.probe_title,
  probeSource: r.probe_source,
  verdict: r.verdict,
  reason: r.reason,
  firedAt: r.fired_at,
  finishedAt: r.finished_at,
});

/** The break-it rounds' tables (database.ts makes them). */
export class RoundStore {
  constructor(private readonly db: Database.Database) {}

  open(round: RoundRow): void {
    this.db.prepare('INSERT INTO rounds (id, workshop_id, lesson_id, budget, opened_at, ends_at) VALUES (?, ?, ?, ?, ?, ?)').run(round.id, round.workshopId, round.lessonId, round.budget, round.openedAt, round.endsAt);
  }

  get(id: string): RoundRow | null {
    const r = this.db.prepare('SELECT * FROM rounds WHERE id = ?').get(id) as RoundSql | undefined;
    return r ? roundOf(r) : null;
  }

  /** The workshop's latest round (open or ended), or null. */
  latest(workshopId: string): RoundRow | null {
    const r = this.db.prepare('SELECT * FROM rounds WHERE workshop_id = ? ORDER BY opened_at DESC, rowid DESC LIMIT 1').get(workshopId) as RoundSql | undefined;
    return r ? roundOf(r) : null;
  }

  end(id: string, at: string): void {
    this.db.prepare('UPDATE rounds SET ended_at = COALESCE(ended_at, ?) WHERE id = ?').run(at, id);
  }

  reveal(id: string): void {
    this.db.prepare('UPDATE rounds SET revealed = 1 WHERE id = ?').run(id);
  }

  submit(roundId: string, learnerId: string, source: string, at: string): void {
    this.db
      .prepare('INSERT INTO round_jails (round_id, learner_id, source, submitted_at) VALUES (?, ?, ?, ?) ON CONFLICT (round_id, learner_id) DO UPDATE SET source = excluded.source, submitted_at = excluded.submitted_at')
      .run(roundId, learnerId, source, at);
  }

  /** The submitted jails, by learner. */
  jails(roundId: string): Map<string, string> {
    return new Map((this.db.prepare('SELECT learner_id, source FROM round_jails WHERE round_id = ?').all(roundId) as Array<{ learner_id: string; source: string }>).map((r) => [r.learner_id, r.source]));
  }

  /**
   * Records a shot if the attacker still has budget, in one transaction: two shots fired at once cannot both
   * take the last run. Returns false when the budget is spent.
   */
  addShot(shot: ShotRow, budget: number): boolean {
    return this.db.transaction(() => {
      const fired = (this.db.prepare('SELECT COUNT(*) AS n FROM round_shots WHERE round_id = ? AND attacker_id = ?').get(shot.roundId, shot.attackerId) as { n: number }).n;
      if (fired >= budget) return false;
      this.db
        .prepare('INSERT INTO round_shots (id, round_id, attacker_id, target_id, probe_title, probe_source, verdict, reason, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(shot.id, shot.roundId, shot.attackerId, shot.targetId, shot.probeTitle, shot.probeSource, shot.verdict, shot.reason, shot.firedAt);
      return true;
    })();
  }

  finishShot(id: string, verdict: AttackVerdict, reason: string, record: RunRecord, at: string): void {
    this.db.prepare('UPDATE round_shots SET verdict = ?, reason = ?, record_json = ?, finished_at = ? WHERE id = ?').run(verdict, reason, JSON.stringify(record), at, id);
  }

  shots(roundId: string): ShotRow[] {
    return (this.db.prepare('SELECT id, round_id, attacker_id, target_id, probe_title, probe_source, verdict, reason, fired_at, finished_at FROM round_shots WHERE round_id = ? ORDER BY fired_at, rowid').all(roundId) as ShotSql[]).map(shotOf);
  }

  shot(id: string): ShotRow | null {
    const r = this.db.prepare('SELECT id, round_id, attacker_id, target_id, probe_title, probe_source, verdict, reason, fired_at, finished_at FROM round_shots WHERE id = ?').get(id) as ShotSql | undefined;
    return r ? shotOf(r) : null;
  }

  record(shotId: string): RunRecord | null {
    const r = this.db.prepare('SELECT record_json FROM round_shots WHERE id = ?').get(shotId) as { record_json: string | null } | undefined;
    return r?.record_json ? (JSON.parse(r.record_json) as RunRecord) : null;
  }

  /** Shots still running when the server stopped: their runs are gone. */
  markPendingInterrupted(): number {
    return this.db.prepare("UPDATE round_shots SET verdict = 'error', reason = 'the server restarted before this run finished' WHERE verdict = 'pending'").run().changes;
  }
}
