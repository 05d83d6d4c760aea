import { accessSync, chmodSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The embedded SQLite database in the data directory. Migrations are an
 * ordered list applied once each (tracked in PRAGMA user_version).
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE learners (
     id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL
   );
   CREATE TABLE code (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     lesson_id TEXT NOT NULL,
     source TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (learner_id, lesson_id)
   );
   CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     learner_id TEXT NOT NULL REFERENCES learners(id),
     lesson_id TEXT NOT NULL,
     source_sha256 TEXT NOT NULL,
     created_at TEXT NOT NULL,
     finished_at TEXT,
     outcome TEXT,
     accelerator TEXT,
     verdicts_json TEXT
   );
   CREATE INDEX runs_by_learner ON runs (learner_id, lesson_id, created_at);`,
  // The workspace (issue #4): when the learner made each saved version (their clock, for reconciling
  // with the browser's copy: newest wins), and which hints they revealed.
  `ALTER TABLE code ADD COLUMN edited_at INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE hint_reveals (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     lesson_id TEXT NOT NULL,
     hint_index INTEGER NOT NULL,
     revealed_at TEXT NOT NULL,
     PRIMARY KEY (learner_id, lesson_id, hint_index)
   );`,
  // Workshops (issue #14), the last run of each lesson kept whole, solutions looked at, and more than one
  // browser per learner (a student rejoining a workshop from another one).
  `CREATE TABLE learner_tokens (
     token_hash TEXT PRIMARY KEY,
     learner_id TEXT NOT NULL REFERENCES learners(id),
     created_at TEXT NOT NULL
   );
   CREATE TABLE workshops (
     id TEXT PRIMARY KEY,
     code TEXT NOT NULL UNIQUE,
     title TEXT NOT NULL,
     lessons_json TEXT NOT NULL,
     ends_at TEXT,
     created_at TEXT NOT NULL,
     ended_at TEXT
   );
   CREATE TABLE workshop_members (
     workshop_id TEXT NOT NULL REFERENCES workshops(id),
     learner_id TEXT NOT NULL REFERENCES learners(id),
     name TEXT NOT NULL,
     name_key TEXT NOT NULL,
     key_hash TEXT NOT NULL,
     joined_at TEXT NOT NULL,
     removed_at TEXT,
     PRIMARY KEY (workshop_id, learner_id)
   );
   CREATE UNIQUE INDEX members_by_name ON workshop_members (workshop_id, name_key) WHERE removed_at IS NULL;
   CREATE INDEX members_by_learner ON workshop_members (learner_id);
   CREATE TABLE broadcasts (
     workshop_id TEXT NOT NULL REFERENCES workshops(id),
     message TEXT NOT NULL,
     sent_at TEXT NOT NULL
   );
   CREATE TABLE solution_views (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     lesson_id TEXT NOT NULL,
     first_viewed_at TEXT NOT NULL,
     PRIMARY KEY (learner_id, lesson_id)
   );
   ALTER TABLE runs ADD COLUMN solution_shown INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE run_records (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     lesson_id TEXT NOT NULL,
     run_id TEXT NOT NULL,
     record_json TEXT NOT NULL,
     PRIMARY KEY (learner_id, lesson_id)
   );`,
  // A room no student can take down (issue #25): a room size, removals that hold (who removed whom), and
  // each run's workshop (the one its learner was in when it started), so a run made outside the room
  // never shows on its dashboard. Runs already kept are given the membership they fall in.
  `ALTER TABLE workshops ADD COLUMN room_size INTEGER;
   ALTER TABLE workshop_members ADD COLUMN removed_by TEXT;
   ALTER TABLE runs ADD COLUMN workshop_id TEXT;
   UPDATE runs SET workshop_id = (
     SELECT m.workshop_id FROM workshop_members m
     WHERE m.learner_id = runs.learner_id AND runs.created_at >= m.joined_at AND (m.removed_at IS NULL OR runs.created_at < m.removed_at)
     ORDER BY m.joined_at DESC LIMIT 1);
   CREATE INDEX runs_by_workshop ON runs (workshop_id, created_at);`,
  // The room attacks (issue #26): probes fired at a room, each student's verdict with the run whole (its
  // replay), and the code of each learner's last passing run (a probe may be fired at that instead).
  `CREATE TABLE attacks (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops(id),
     lesson_id TEXT NOT NULL,
     probe_id TEXT NOT NULL,
     probe_title TEXT NOT NULL,
     probe_source TEXT NOT NULL,
     explanation TEXT NOT NULL,
     code_choice TEXT NOT NULL,
     show_source INTEGER NOT NULL DEFAULT 0,
     fired_at TEXT NOT NULL
   );
   CREATE INDEX attacks_by_workshop ON attacks (workshop_id, fired_at);
   CREATE TABLE attack_results (
     attack_id TEXT NOT NULL REFERENCES attacks(id),
     learner_id TEXT NOT NULL,
     verdict TEXT NOT NULL,
     reason TEXT NOT NULL,
     record_json TEXT,
     PRIMARY KEY (attack_id, learner_id)
   );
   CREATE TABLE passing_code (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     lesson_id TEXT NOT NULL,
     source TEXT NOT NULL,
     passed_at TEXT NOT NULL,
     PRIMARY KEY (learner_id, lesson_id)
   );`,
  // Break-it rounds (issue #26): a round per workshop at a time, each student's submitted jail, each shot.
  `CREATE TABLE rounds (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops(id),
     lesson_id TEXT NOT NULL,
     budget INTEGER NOT NULL,
     opened_at TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     ended_at TEXT,
     revealed INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX rounds_by_workshop ON rounds (workshop_id, opened_at);
   CREATE TABLE round_jails (
     round_id TEXT NOT NULL REFERENCES rounds(id),
     learner_id TEXT NOT NULL,
     source TEXT NOT NULL,
     submitted_at TEXT NOT NULL,
     PRIMARY KEY (round_id, learner_id)
   );
   CREATE TABLE round_shots (
     id TEXT PRIMARY KEY,
     round_id TEXT NOT NULL REFERENCES rounds(id),
     attacker_id TEXT NOT NULL,
     target_id TEXT NOT NULL,
     probe_title TEXT NOT NULL,
     probe_source TEXT NOT NULL,
     verdict TEXT NOT NULL,
     reason TEXT NOT NULL,
     fired_at TEXT NOT NULL,
     finished_at TEXT,
     record_json TEXT
   );
   CREATE INDEX round_shots_by_round ON round_shots (round_id, fired_at);`,
];

export class DataDirError extends Error {}

export function openDatabase(dataDir: string): Database.Database {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (e) {
    throw new DataDirError(`the data directory ${dataDir} is not writable (${(e as Error).message}); set JAILLAB_DATA_DIR to a directory this user can write`);
  }
  const file = join(dataDir, 'jaillab.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Learners' code, runs and token hashes: for the server's user only. SQLite gives the -wal and -shm files
  // the database's mode when it makes them; an older database (0644) is tightened here, with its files.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  // Another process (an instructor's CLI, a second server) may hold the write lock for a moment: wait, do not fail.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
