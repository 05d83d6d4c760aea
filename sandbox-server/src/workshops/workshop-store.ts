import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type Broadcast, DEFAULT_ROOM_SIZE, normaliseDisplayName } from '@jaillab/protocol';
import { newJoinCode, newMemberKey } from './join-code.js';
import { MemberKeyHash } from './member-key-hash.js';
import { nameSkeleton } from './name-skeleton.js';

/**
 * Workshops in SQLite: the workshop, its lessons (open or locked), its members
 * (a display name over an anonymous learner, with a hashed rejoin key) and its
 * broadcasts. Everything a room needs survives a server restart.
 */

export interface WorkshopRow {
  id: string;
  code: string;
  title: string;
  lessons: Array<{ id: string; open: boolean }>;
  endsAt: string | null;
  createdAt: string;
  endedAt: string | null;
  /** The most students it takes. */
  roomSize: number;
}

export interface MemberRow {
  workshopId: string;
  learnerId: string;
  name: string;
  joinedAt: string;
}

/**
 * Why a join did not go through: the name is someone else's (or a removed student's), the room is full,
 * or this learner was removed from it by the instructor.
 */
export type JoinRefusal = 'name-taken' | 'workshop-full' | 'removed';

/** One learner's runs of one lesson, oldest first, as the dashboard reads them. */
export interface RunRow {
  learnerId: string;
  lessonId: string;
  createdAt: string;
  outcome: string | null;
  verdicts: Array<{ id: string; verdict: string }>;
  solutionShown: boolean;
}

const now = (): string => new Date().toISOString();

interface WorkshopDbRow {
  id: string;
  code: string;
  title: string;
  lessons_json: string;
  ends_at: string | null;
  created_at: string;
  ended_at: string | null;
  room_size: number | null;
}

const toWorkshop = (r: WorkshopDbRow): WorkshopRow => ({
  id: r.id,
  code: r.code,
  title: r.title,
  lessons: JSON.parse(r.lessons_json) as WorkshopRow['lessons'],
  endsAt: r.ends_at,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  roomSize: r.room_size ?? DEFAULT_ROOM_SIZE,
});

export class WorkshopStore {
  private readonly keys: MemberKeyHash;

  /** `secret`: the server's (config/server-secret.ts), for member keys at rest. */
  constructor(
    private readonly db: Database.Database,
    secret: Buffer,
  ) {
    this.keys = new MemberKeyHash(secret);
    this.renormaliseNames();
  }

  create(title: string, lessonIds: string[], endsAt: string | null, roomSize: number = DEFAULT_ROOM_SIZE): WorkshopRow {
    const id = `w_${randomBytes(9).toString('base64url')}`;
    const lessons = lessonIds.map((lid) => ({ id: lid, open: true }));
    // A code is unique among all workshops, ended ones included: an old link never opens a new room.
    for (let attempt = 0; ; attempt++) {
      const code = newJoinCode();
      try {
        this.db
          .prepare('INSERT INTO workshops (id, code, title, lessons_json, ends_at, created_at, room_size) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(id, code, title, JSON.stringify(lessons), endsAt, now(), roomSize);
        return this.get(id)!;
      } catch (e) {
        if (attempt > 5 || !/UNIQUE/.test((e as Error).message)) throw e;
      }
    }
  }

  get(id: string): WorkshopRow | null {
    const r = this.db.prepare('SELECT * FROM workshops WHERE id = ?').get(id) as WorkshopDbRow | undefined;
    return r ? toWorkshop(r) : null;
  }

  byCode(code: string): WorkshopRow | null {
    const r = this.db.prepare('SELECT * FROM workshops WHERE code = ?').get(code) as WorkshopDbRow | undefined;
    return r ? toWorkshop(r) : null;
  }

  list(): Array<WorkshopRow & { members: number }> {
    const rows = this.db
      .prepare('SELECT w.*, (SELECT COUNT(*) FROM workshop_members m WHERE m.workshop_id = w.id AND m.removed_at IS NULL) AS members FROM workshops w ORDER BY created_at DESC LIMIT 200')
      .all() as Array<WorkshopDbRow & { members: number }>;
    return rows.map((r) => ({ ...toWorkshop(r), members: r.members }));
  }

  /** Workshops not ended (a room in progress): whose members the server treats as a classroom. */
  active(): WorkshopRow[] {
    return (this.db.prepare('SELECT * FROM workshops WHERE ended_at IS NULL').all() as WorkshopDbRow[]).map(toWorkshop);
  }

  setLessons(id: string, lessons: WorkshopRow['lessons']): void {
    this.db.prepare('UPDATE workshops SET lessons_json = ? WHERE id = ?').run(JSON.stringify(lessons), id);
  }

  setRoomSize(id: string, roomSize: number): void {
    this.db.prepare('UPDATE workshops SET room_size = ? WHERE id = ?').run(roomSize, id);
  }

  end(id: string): void {
    this.db.prepare('UPDATE workshops SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(now(), id);
  }

  /**
   * A learner joins as `name`. The same name with its key (from another browser) is the same member:
   * the result names the learner the browser is to become. A name another member holds, without its
   * key, is refused; a learner already in the room keeps the name they joined with. Names compare by
   * their TR39 skeleton (name-skeleton.ts). A new member (not a rejoin) needs a place in the room and
   * `admitNew`'s leave (the per-address budget); a student the instructor removed stays out, and so
   * does their name.
   */
  join(workshopId: string, learnerId: string, name: string, key: string | undefined, admitNew: () => string | null = () => null): { member: MemberRow; memberKey: string } | JoinRefusal | { refused: string } {
    return this.db.transaction(() => {
      const skeleton = nameSkeleton(name);
      const holder = this.db
        .prepare('SELECT learner_id, key_hash FROM workshop_members WHERE workshop_id = ? AND name_key = ? AND removed_at IS NULL')
        .get(workshopId, skeleton) as { learner_id: string; key_hash: string } | undefined;
      if (holder) {
        const keyFits = key !== undefined && this.keys.matches(key, holder.key_hash);
        if (holder.learner_id === learnerId || keyFits) {
          // Same member: keep their key working, or hand them a fresh one if this browser has none.
          const memberKey = keyFits ? key : this.rekey(workshopId, holder.learner_id);
          if (keyFits && !this.keys.isCurrent(holder.key_hash)) this.storeKey(workshopId, holder.learner_id, key);
          return { member: this.member(workshopId, holder.learner_id)!, memberKey };
        }
        return 'name-taken' as const;
      }
      const existing = this.member(workshopId, learnerId);
      if (existing) return { member: existing, memberKey: this.rekey(workshopId, learnerId) };
      if (this.wasRemoved(workshopId, learnerId)) return 'removed' as const;
      if (this.removedName(workshopId, skeleton)) return 'name-taken' as const;
      if (this.members(workshopId).length >= (this.get(workshopId)?.roomSize ?? DEFAULT_ROOM_SIZE)) return 'workshop-full' as const;
      const refused = admitNew();
      if (refused) return { refused };
      const memberKey = newMemberKey();
      this.db
        .prepare(
          `INSERT INTO workshop_members (workshop_id, learner_id, name, name_key, key_hash, joined_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (workshop_id, learner_id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, key_hash = excluded.key_hash, joined_at = excluded.joined_at, removed_at = NULL, removed_by = NULL`,
        )
        .run(workshopId, learnerId, normaliseDisplayName(name), skeleton, this.keys.hash(memberKey), now());
      return { member: this.member(workshopId, learnerId)!, memberKey };
    })();
  }

  private rekey(workshopId: string, learnerId: string): string {
    const key = newMemberKey();
    this.storeKey(workshopId, learnerId, key);
    return key;
  }

  private storeKey(workshopId: string, learnerId: string, key: string): void {
    this.db.prepare('UPDATE workshop_members SET key_hash = ? WHERE workshop_id = ? AND learner_id = ?').run(this.keys.hash(key), workshopId, learnerId);
  }

  private wasRemoved(workshopId: string, learnerId: string): boolean {
    return this.db.prepare("SELECT 1 FROM workshop_members WHERE workshop_id = ? AND learner_id = ? AND removed_by = 'instructor'").get(workshopId, learnerId) !== undefined;
  }

  private removedName(workshopId: string, skeleton: string): boolean {
    return this.db.prepare("SELECT 1 FROM workshop_members WHERE workshop_id = ? AND name_key = ? AND removed_by = 'instructor'").get(workshopId, skeleton) !== undefined;
  }

  /**
   * Names kept before names were normalised (control characters, look-alikes) are normalised and re-keyed
   * at start-up. Two that now collide keep their old keys: both stay in the room, the next joiner does not.
   */
  private renormaliseNames(): void {
    const rows = this.db.prepare('SELECT rowid, workshop_id, name, name_key FROM workshop_members WHERE removed_at IS NULL').all() as Array<{ rowid: number; workshop_id: string; name: string; name_key: string }>;
    const update = this.db.prepare('UPDATE workshop_members SET name = ?, name_key = ? WHERE rowid = ?');
    for (const r of rows) {
      const name = normaliseDisplayName(r.name) || '?';
      const skeleton = nameSkeleton(name);
      if (name === r.name && skeleton === r.name_key) continue;
      try {
        update.run(name, skeleton, r.rowid);
      } catch {
        update.run(name, r.name_key, r.rowid);
      }
    }
  }

  /**
   * Leaves (the student: the name is free again) or removes (the instructor: that learner and their name
   * stay out of this workshop). Either way the learner's work stays theirs.
   */
  remove(workshopId: string, learnerId: string, by: 'left' | 'instructor'): boolean {
    return this.db.prepare('UPDATE workshop_members SET removed_at = ?, removed_by = ? WHERE workshop_id = ? AND learner_id = ? AND removed_at IS NULL').run(now(), by, workshopId, learnerId).changes > 0;
  }

  member(workshopId: string, learnerId: string): MemberRow | null {
    const r = this.db
      .prepare('SELECT workshop_id, learner_id, name, joined_at FROM workshop_members WHERE workshop_id = ? AND learner_id = ? AND removed_at IS NULL')
      .get(workshopId, learnerId) as { workshop_id: string; learner_id: string; name: string; joined_at: string } | undefined;
    return r ? { workshopId: r.workshop_id, learnerId: r.learner_id, name: r.name, joinedAt: r.joined_at } : null;
  }

  members(workshopId: string): MemberRow[] {
    const rows = this.db
      .prepare('SELECT workshop_id, learner_id, name, joined_at FROM workshop_members WHERE workshop_id = ? AND removed_at IS NULL ORDER BY joined_at')
      .all(workshopId) as Array<{ workshop_id: string; learner_id: string; name: string; joined_at: string }>;
    return rows.map((r) => ({ workshopId: r.workshop_id, learnerId: r.learner_id, name: r.name, joinedAt: r.joined_at }));
  }

  /** The workshop a learner is in now: their most recent membership that was not left or removed. */
  membershipOf(learnerId: string): { workshop: WorkshopRow; member: MemberRow } | null {
    const r = this.db
      .prepare('SELECT workshop_id FROM workshop_members WHERE learner_id = ? AND removed_at IS NULL ORDER BY joined_at DESC LIMIT 1')
      .get(learnerId) as { workshop_id: string } | undefined;
    if (!r) return null;
    const workshop = this.get(r.workshop_id);
    const member = workshop && this.member(workshop.id, learnerId);
    return workshop && member ? { workshop, member } : null;
  }

  broadcast(workshopId: string, message: string): void {
    this.db.prepare('INSERT INTO broadcasts (workshop_id, message, sent_at) VALUES (?, ?, ?)').run(workshopId, message, now());
  }

  /** The latest broadcasts, oldest first. */
  broadcasts(workshopId: string, limit = 20): Broadcast[] {
    const rows = this.db
      .prepare('SELECT message, sent_at FROM broadcasts WHERE workshop_id = ? ORDER BY rowid DESC LIMIT ?')
      .all(workshopId, limit) as Array<{ message: string; sent_at: string }>;
    return rows.reverse().map((r) => ({ message: r.message, sentAt: r.sent_at }));
  }

  /** Every finished run the members made in the workshop (not before joining, not while out of it), oldest first. */
  runs(workshopId: string): RunRow[] {
    const rows = this.db
      .prepare(
        `SELECT r.learner_id, r.lesson_id, r.created_at, r.outcome, r.verdicts_json, r.solution_shown FROM runs r
         JOIN workshop_members m ON m.learner_id = r.learner_id AND m.workshop_id = r.workshop_id AND m.removed_at IS NULL
         WHERE r.workshop_id = ? AND r.finished_at IS NOT NULL ORDER BY r.created_at, r.rowid`,
      )
      .all(workshopId) as Array<{ learner_id: string; lesson_id: string; created_at: string; outcome: string | null; verdicts_json: string | null; solution_shown: number }>;
    return rows.map((r) => ({
      learnerId: r.learner_id,
      lessonId: r.lesson_id,
      createdAt: r.created_at,
      outcome: r.outcome,
      verdicts: r.verdicts_json ? (JSON.parse(r.verdicts_json) as RunRow['verdicts']) : [],
      solutionShown: r.solution_shown === 1,
    }));
  }

  /** Hints revealed per member and lesson. */
  hintsUsed(workshopId: string): Array<{ learnerId: string; lessonId: string; hints: number }> {
    const rows = this.db
      .prepare(
        `SELECT h.learner_id, h.lesson_id, COUNT(*) AS hints FROM hint_reveals h
         JOIN workshop_members m ON m.learner_id = h.learner_id AND m.workshop_id = ? AND m.removed_at IS NULL
         GROUP BY h.learner_id, h.lesson_id`,
      )
      .all(workshopId) as Array<{ learner_id: string; lesson_id: string; hints: number }>;
    return rows.map((r) => ({ learnerId: r.learner_id, lessonId: r.lesson_id, hints: r.hints }));
  }

  /** When each member first looked at each lesson's solution. */
  solutionViews(workshopId: string): Array<{ learnerId: string; lessonId: string; at: string }> {
    const rows = this.db
      .prepare(
        `SELECT s.learner_id, s.lesson_id, s.first_viewed_at FROM solution_views s
         JOIN workshop_members m ON m.learner_id = s.learner_id AND m.workshop_id = ? AND m.removed_at IS NULL`,
      )
      .all(workshopId) as Array<{ learner_id: string; lesson_id: string; first_viewed_at: string }>;
    return rows.map((r) => ({ learnerId: r.learner_id, lessonId: r.lesson_id, at: r.first_viewed_at }));
  }

  /** The lesson each member last saved code in (where they are working). */
  lastLessons(workshopId: string): Map<string, string> {
    const rows = this.db
      .prepare(
        `SELECT c.learner_id, c.lesson_id FROM code c JOIN workshop_members m ON m.learner_id = c.learner_id AND m.workshop_id = ? AND m.removed_at IS NULL
         WHERE c.updated_at = (SELECT MAX(updated_at) FROM code WHERE learner_id = c.learner_id)`,
      )
      .all(workshopId) as Array<{ learner_id: string; lesson_id: string }>;
    return new Map(rows.map((r) => [r.learner_id, r.lesson_id]));
  }
}
