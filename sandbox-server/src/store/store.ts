import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openDatabase } from './database.js';

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
    const row = this.db.prepare('SELECT id FROM learners WHERE token_hash = ?').get(hashToken(token)) as { id: string } | undefined;
    if (!row) return null;
    this.db.prepare('UPDATE learners SET last_seen_at = ? WHERE id = ?').run(now(), row.id);
    return { id: row.id };
  }

  saveCode(learnerId: string, lessonId: string, source: string): void {
    this.db
      .prepare('INSERT INTO code (learner_id, lesson_id, source, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (learner_id, lesson_id) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at')
      .run(learnerId, lessonId, source, now());
  }

  code(learnerId: string, lessonId: string): string | null {
    const row = this.db.prepare('SELECT source FROM code WHERE learner_id = ? AND lesson_id = ?').get(learnerId, lessonId) as { source: string } | undefined;
    return row?.source ?? null;
  }

  recordRun(r: RunRecord): void {
    this.db.prepare('INSERT INTO runs (id, learner_id, lesson_id, source_sha256, created_at) VALUES (?, ?, ?, ?, ?)').run(r.id, r.learnerId, r.lessonId, r.sourceSha256, r.createdAt);
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
