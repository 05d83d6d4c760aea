import type Database from 'better-sqlite3';
import type { AttackCodeChoice, AttackColumn, AttackVerdict, MemberAttack, RunRecord } from '@jaillab/protocol';

/** One probe fired at one room, as kept. */
export interface AttackRow {
  id: string;
  workshopId: string;
  lessonId: string;
  probeId: string;
  probeTitle: string;
  probeSource: string;
  explanation: string;
  code: AttackCodeChoice;
  showSource: boolean;
  firedAt: string;
}

interface AttackSqlRow {
  id: string;
  workshop_id: string;
  lesson_id: string;
  probe_id: string;
  probe_title: string;
  probe_source: string;
  explanation: string;
  code_choice: string;
  show_source: number;
  fired_at: string;
}

const rowOf = (r: AttackSqlRow): AttackRow => ({
  id: r.id,
  workshopId: r.workshop_id,
  lessonId: r.lesson_id,
  probeId: r.probe_id,
  probeTitle: r.probe_title,
  probeSource: r.probe_source,
  explanation: r.explanation,
  code: r.code_choice === 'last-passing' ? 'last-passing' : 'latest',
  showSource: r.show_source === 1,
  firedAt: r.fired_at,
});

/**
 * The room attacks' tables (database.ts makes them): each fired probe, and
 * each student's verdict with their run whole, so the replay is one click
 * away for the instructor and the student long after the run's live log is gone.
 */
export class AttackStore {
  constructor(private readonly db: Database.Database) {}

  create(attack: AttackRow, learners: ReadonlyArray<{ learnerId: string; verdict: AttackVerdict; reason: string }>): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO attacks (id, workshop_id, lesson_id, probe_id, probe_title, probe_source, explanation, code_choice, show_source, fired_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(attack.id, attack.workshopId, attack.lessonId, attack.probeId, attack.probeTitle, attack.probeSource, attack.explanation, attack.code, attack.showSource ? 1 : 0, attack.firedAt);
      const result = this.db.prepare('INSERT INTO attack_results (attack_id, learner_id, verdict, reason) VALUES (?, ?, ?, ?)');
      for (const l of learners) result.run(attack.id, l.learnerId, l.verdict, l.reason);
    })();
  }

  get(id: string): AttackRow | null {
    const r = this.db.prepare('SELECT * FROM attacks WHERE id = ?').get(id) as AttackSqlRow | undefined;
    return r ? rowOf(r) : null;
  }

  /** A workshop's fired probes, oldest first. */
  ofWorkshop(workshopId: string): AttackRow[] {
    return (this.db.prepare('SELECT * FROM attacks WHERE workshop_id = ? ORDER BY fired_at, rowid').all(workshopId) as AttackSqlRow[]).map(rowOf);
  }

  setResult(attackId: string, learnerId: string, verdict: AttackVerdict, reason: string, record: RunRecord | null): void {
    this.db.prepare('UPDATE attack_results SET verdict = ?, reason = ?, record_json = ? WHERE attack_id = ? AND learner_id = ?').run(verdict, reason, record ? JSON.stringify(record) : null, attackId, learnerId);
  }

  setShowSource(attackId: string, show: boolean): void {
    this.db.prepare('UPDATE attacks SET show_source = ? WHERE id = ?').run(show ? 1 : 0, attackId);
  }

  /** The run of one student against a fired probe, whole (null before it finished, or when there was none). */
  record(attackId: string, learnerId: string): RunRecord | null {
    const r = this.db.prepare('SELECT record_json FROM attack_results WHERE attack_id = ? AND learner_id = ?').get(attackId, learnerId) as { record_json: string | null } | undefined;
    return r?.record_json ? (JSON.parse(r.record_json) as RunRecord) : null;
  }

  /** Every fired probe of a workshop as the dashboard's columns. */
  columns(workshopId: string): AttackColumn[] {
    const results = this.db
      .prepare('SELECT r.attack_id, r.learner_id, r.verdict, r.reason FROM attack_results r JOIN attacks a ON a.id = r.attack_id WHERE a.workshop_id = ? ORDER BY r.rowid')
      .all(workshopId) as Array<{ attack_id: string; learner_id: string; verdict: AttackVerdict; reason: string }>;
    return this.ofWorkshop(workshopId).map((a) => ({
      id: a.id,
      lessonId: a.lessonId,
      probeId: a.probeId,
      probeTitle: a.probeTitle,
      firedAt: a.firedAt,
      code: a.code,
      showSource: a.showSource,
      results: results.filter((r) => r.attack_id === a.id).map((r) => ({ learnerId: r.learner_id, verdict: r.verdict, reason: r.reason })),
    }));
  }

  /** What one student sees of the probes fired at them, newest first; the source only once the instructor shows it. */
  forMember(workshopId: string, learnerId: string): MemberAttack[] {
    const rows = this.db
      .prepare(
        `SELECT a.*, r.verdict, r.reason FROM attacks a JOIN attack_results r ON r.attack_id = a.id
         WHERE a.workshop_id = ? AND r.learner_id = ? ORDER BY a.fired_at DESC, a.rowid DESC`,
      )
      .all(workshopId, learnerId) as Array<AttackSqlRow & { verdict: AttackVerdict; reason: string }>;
    return rows.map((r) => ({
      id: r.id,
      lessonId: r.lesson_id,
      probeTitle: r.probe_title,
      firedAt: r.fired_at,
      verdict: r.verdict,
      reason: r.reason,
      explanation: r.explanation,
      source: r.show_source === 1 ? r.probe_source : null,
    }));
  }

  /** Results still pending when the server stopped: their runs are gone. */
  markPendingInterrupted(): number {
    return this.db.prepare("UPDATE attack_results SET verdict = 'error', reason = 'the server restarted before this run finished' WHERE verdict = 'pending'").run().changes;
  }
}
