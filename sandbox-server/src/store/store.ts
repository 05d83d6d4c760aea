import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openDatabase } from './database.js';
import type { RunRecord as StoredRunRecord } from '@jaillab/protocol';
import { type LessonStatus, lessonStatus } from './progress.js';

/**
 * Learners, their code and their runs. A learner is anonymous: an id others may
 * see (an instructor's dashboard) and a secret token that only their browser
 * holds. Only the token's hash is stored.
 */

export interface Learner {
  id: string;
}

export interface RunRecord {
  id: string;
  learnerId: string;
  lessonId: string;
  sourceSha256: string;
  createdAt: string;
}

export interface RunSummary {
  outcome: string;
  accelerator: string | null;
  verdicts: Array<{ id: string; verdict: string }>;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const now = (): string => new Date().toISOString();

export class Store {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = openDatabase(dataDir);
  }

  createLearner(): { learner: Learner; token: string } {
    const id = `l_${randomBytes(9).toString('base64url')}`;
    const token = randomBytes(32).toString('base64url');
    this.db.prepare('INSERT INTO learners (id, token_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(id, hashToken(token), now(), now());
    return { learner: { id }, token };
  }

  findLearner(token: string): Learner | null {
    const hash = hashToken(token);
    const row = (this.db.prepare('SELECT id FROM learners WHERE token_hash = ?').get(hash) ??
      this.db.prepare('SELECT learner_id AS id FROM learner_tokens WHERE token_hash = ?').get(hash)) as { id: string } | undefined;
    if (!row) return null;
    this.db.prepare('UPDATE learners SET last_seen_at = ? WHERE id = ?').run(now(), row.id);
    return { id: row.id };
  }

  /** A further token for an existing learner: another browser becomes them (a student rejoining a workshop). */
  issueToken(learnerId: string): string {
    const token = randomBytes(32).toString('base64url');
    this.db.prepare('INSERT INTO learner_tokens (token_hash, learner_id, created_at) VALUES (?, ?, ?)').run(hashToken(token), learnerId, now());
    return token;
  }

  /**
   * Saves the learner's code for a lesson unless the server already holds a newer edit
   * (two tabs saving out of order: the later edit wins). `editedAt` is the learner's clock;
   * without one (a run's source) it is now. Returns whether this version was kept.
   */
  saveCode(learnerId: string, lessonId: string, source: string, editedAt: number = Date.now()): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO code (learner_id, lesson_id, source, updated_at, edited_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (learner_id, lesson_id) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at, edited_at = excluded.edited_at
           WHERE excluded.edited_at >= code.edited_at`,
        )
        .run(learnerId, lessonId, source, now(), Math.floor(editedAt)).changes > 0
    );
  }

  code(learnerId: string, lessonId: string): { source: string; editedAt: number } | null {
    const row = this.db.prepare('SELECT source, edited_at FROM code WHERE learner_id = ? AND lesson_id = ?').get(learnerId, lessonId) as { source: string; edited_at: number } | undefined;
    return row ? { source: row.source, editedAt: row.edited_at } : null;
  }

  /** The code of the learner's last passing run of a lesson: a room attack may be fired at it (issue #26). */
  keepPassingCode(learnerId: string, lessonId: string, source: string): void {
    this.db
      .prepare(
        `INSERT INTO passing_code (learner_id, lesson_id, source, passed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (learner_id, lesson_id) DO UPDATE SET source = excluded.source, passed_at = excluded.passed_at`,
      )
      .run(learnerId, lessonId, source, now());
  }

  passingCode(learnerId: string, lessonId: string): string | null {
    return (this.db.prepare('SELECT source FROM passing_code WHERE learner_id = ? AND lesson_id = ?').get(learnerId, lessonId) as { source: string } | undefined)?.source ?? null;
  }

  /** Per lesson this learner touched: not started (absent), in progress, or passed (some run passed). */
  progress(learnerId: string): Record<string, LessonStatus> {
    const rows = this.db
      .prepare(
        `SELECT lesson_id, MAX(outcome = 'passed') AS passed, COUNT(*) AS runs FROM runs WHERE learner_id = ? GROUP BY lesson_id
         UNION ALL SELECT lesson_id, 0, 0 FROM code WHERE learner_id = ?`,
      )
      .all(learnerId, learnerId) as Array<{ lesson_id: string; passed: number | null; runs: number }>;
    const out: Record<string, LessonStatus> = {};
    for (const r of rows) out[r.lesson_id] = lessonStatus(out[r.lesson_id], { touched: true, passed: r.passed === 1 });
    return out;
  }

  lastRun(learnerId: string, lessonId: string): { runId: string; outcome: string | null; createdAt: string } | null {
    const row = this.db
      .prepare('SELECT id, outcome, created_at FROM runs WHERE learner_id = ? AND lesson_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .get(learnerId, lessonId) as { id: string; outcome: string | null; created_at: string } | undefined;
    return row ? { runId: row.id, outcome: row.outcome, createdAt: row.created_at } : null;
  }

  /** A run of this learner by id, from the table (its log is gone after a restart; its outcome is not). */
  runOutcome(learnerId: string, runId: string): { outcome: string | null } | null {
    const row = this.db.prepare('SELECT outcome FROM runs WHERE id = ? AND learner_id = ?').get(runId, learnerId) as { outcome: string | null } | undefined;
    return row ? { outcome: row.outcome } : null;
  }

  /** Records that hint `index` was revealed (idempotent: the first time counts). */
  revealHint(learnerId: string, lessonId: string, index: number): void {
    this.db.prepare('INSERT OR IGNORE INTO hint_reveals (learner_id, lesson_id, hint_index, revealed_at) VALUES (?, ?, ?, ?)').run(learnerId, lessonId, index, now());
  }

  /** The indexes of the hints this learner revealed in a lesson, in order. */
  hintsRevealed(learnerId: string, lessonId: string): number[] {
    const rows = this.db.prepare('SELECT hint_index FROM hint_reveals WHERE learner_id = ? AND lesson_id = ? ORDER BY hint_index').all(learnerId, lessonId) as Array<{ hint_index: number }>;
    return rows.map((r) => r.hint_index);
  }

  /**
   * Records a run as it starts; whether the learner had seen the solution by then is kept with it, and the
   * workshop in progress they are a member of (if any): only runs made in the room count on its dashboard.
   */
  recordRun(r: RunRecord): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, learner_id, lesson_id, source_sha256, created_at, solution_shown, workshop_id)
         VALUES (?, ?, ?, ?, ?, EXISTS (SELECT 1 FROM solution_views WHERE learner_id = ? AND lesson_id = ?),
           (SELECT m.workshop_id FROM workshop_members m JOIN workshops w ON w.id = m.workshop_id
            WHERE m.learner_id = ? AND m.removed_at IS NULL AND w.ended_at IS NULL ORDER BY m.joined_at DESC LIMIT 1))`,
      )
      .run(r.id, r.learnerId, r.lessonId, r.sourceSha256, r.createdAt, r.learnerId, r.lessonId, r.learnerId);
  }

  /**
   * Forgets learners who left nothing behind: made before `cutoff`, not seen since, with no code, run, hint,
   * solution look or workshop membership. A hello that makes a learner costs a row; without this, one
   * client connecting in a loop grows the database for good. Returns how many were forgotten.
   */
  pruneEmptyLearners(cutoff: Date): number {
    const at = cutoff.toISOString();
    return this.db.transaction(() => {
      const empty = `SELECT id FROM learners l WHERE l.created_at < ? AND l.last_seen_at < ?
        AND NOT EXISTS (SELECT 1 FROM code WHERE learner_id = l.id) AND NOT EXISTS (SELECT 1 FROM runs WHERE learner_id = l.id)
        AND NOT EXISTS (SELECT 1 FROM hint_reveals WHERE learner_id = l.id) AND NOT EXISTS (SELECT 1 FROM solution_views WHERE learner_id = l.id)
        AND NOT EXISTS (SELECT 1 FROM run_records WHERE learner_id = l.id) AND NOT EXISTS (SELECT 1 FROM workshop_members WHERE learner_id = l.id)`;
      this.db.prepare(`DELETE FROM learner_tokens WHERE learner_id IN (${empty})`).run(at, at);
      return this.db.prepare(`DELETE FROM learners WHERE id IN (${empty})`).run(at, at).changes;
    })();
  }

  /** How many learners the database holds (for tests and the soak). */
  learnerCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM learners').get() as { n: number }).n;
  }

  /** Whether the learner had looked at the lesson's solution when this run started. */
  runSolutionShown(runId: string): boolean {
    return ((this.db.prepare('SELECT solution_shown FROM runs WHERE id = ?').get(runId) as { solution_shown: number } | undefined)?.solution_shown ?? 0) === 1;
  }

  /** The learner looked at a lesson's solution (compare, use); the first time is what counts. */
  recordSolutionView(learnerId: string, lessonId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO solution_views (learner_id, lesson_id, first_viewed_at) VALUES (?, ?, ?)').run(learnerId, lessonId, now());
  }

  /** Lessons this learner passed, whose first passing run came after they had looked at the solution. */
  passedWithSolution(learnerId: string): string[] {
    const rows = this.db
      .prepare(
        `SELECT lesson_id FROM runs r WHERE learner_id = ? AND outcome = 'passed'
         AND created_at = (SELECT MIN(created_at) FROM runs WHERE learner_id = r.learner_id AND lesson_id = r.lesson_id AND outcome = 'passed')
         AND solution_shown = 1`,
      )
      .all(learnerId) as Array<{ lesson_id: string }>;
    return [...new Set(rows.map((r) => r.lesson_id))];
  }

  /** Keeps a finished run whole (events and output) as the learner's last run of the lesson. */
  keepRunRecord(learnerId: string, record: StoredRunRecord): void {
    this.db
      .prepare(
        `INSERT INTO run_records (learner_id, lesson_id, run_id, record_json) VALUES (?, ?, ?, ?)
         ON CONFLICT (learner_id, lesson_id) DO UPDATE SET run_id = excluded.run_id, record_json = excluded.record_json`,
      )
      .run(learnerId, record.lessonId, record.runId, JSON.stringify(record));
  }

  runRecord(learnerId: string, lessonId: string): StoredRunRecord | null {
    const row = this.db.prepare('SELECT record_json FROM run_records WHERE learner_id = ? AND lesson_id = ?').get(learnerId, lessonId) as { record_json: string } | undefined;
    return row ? (JSON.parse(row.record_json) as StoredRunRecord) : null;
  }

  /** For workshops: the database, to the modules that keep their own tables in it. */
  get database(): Database.Database {
    return this.db;
  }

  finishRun(id: string, s: RunSummary): void {
    this.db
      .prepare('UPDATE runs SET finished_at = ?, outcome = ?, accelerator = ?, verdicts_json = ? WHERE id = ?')
      .run(now(), s.outcome, s.accelerator, JSON.stringify(s.verdicts), id);
  }

  /** Runs the server did not see finish (it stopped mid-run): mark them, so history never shows them as running. */
  markUnfinishedRunsInterrupted(): number {
    return this.db.prepare("UPDATE runs SET finished_at = ?, outcome = 'interrupted' WHERE finished_at IS NULL").run(now()).changes;
  }

  close(): void {
    this.db.close();
  }
}
