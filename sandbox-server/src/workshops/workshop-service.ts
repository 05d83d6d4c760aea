import type { Dashboard, WorkshopSummary, WorkshopView } from '@jaillab/protocol';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Store } from '../store/store.js';
import { buildDashboard, type LessonFacts } from './dashboard.js';
import { workshopCsv } from './export-csv.js';
import { AttackStore } from '../attacks/attack-store.js';
import { latestRoundFacts, memberRound } from '../rounds/round-board.js';
import { RoundStore } from '../rounds/round-store.js';
import type { JoinRefusal, WorkshopRow } from './workshop-store.js';
import { WorkshopStore } from './workshop-store.js';

/** What a workshop needs of the machine that runs its VMs (a local pool, or remote runners). */
export interface RoomCapacity {
  /** VMs ready, starting, in use; runs waiting; run slots. */
  stats(): Dashboard['capacity'];
  /** Keep VMs ready for a room of this many students, beyond the usual (0: back to the usual). */
  warmFor(students: number): void;
}

export class WorkshopError extends Error {
  constructor(
    readonly code: Exclude<JoinRefusal, 'removed'> | 'unknown-workshop' | 'workshop-ended' | 'unknown-lesson' | 'forbidden' | 'rate-limited',
    message: string,
  ) {
    super(message);
  }
}

type Push<T> = (value: T) => void;

/** How often a watched dashboard is refreshed at most, and at least (capacity numbers move by themselves). */
const DASHBOARD_MIN_INTERVAL_MS = 300;
const DASHBOARD_REFRESH_MS = 2000;
/**
 * A dropped-in instructor gets a student's code at most this often: saves in between are folded into the
 * latest (a student saving 128 KiB ten times a second would otherwise be 1.3 MB/s to the instructor).
 */
export const DROP_IN_MIN_INTERVAL_MS = 500;
/** How long the room's VM warm-up waits before following members who went offline (reloads come back sooner). */
export const WARM_DOWN_AFTER_MS = 60_000;

/** What a wrong code and an ended workshop both say: an ended room is not there to find. */
const NO_SUCH_CODE = (code: string): string => `no workshop has the code ${code}: check it with your instructor`;

/**
 * The classroom: workshops, their members, and everyone watching. Runs and
 * code saves are reported here (runFinished, codeSaved); the dashboards of
 * the workshops they touch are recomputed and pushed, coalesced, to every
 * instructor watching, and what a member sees of their workshop is pushed to
 * each of their sockets when it changes.
 */
export class WorkshopService {
  readonly store: WorkshopStore;
  /** Probes fired at rooms (attacks/): the dashboard's columns and each member's results are read from here. */
  readonly attacks: AttackStore;
  /** Break-it rounds (rounds/): the scoreboard and each member's part are read from here. */
  readonly rounds: RoundStore;
  private readonly dashboards = new Map<string, Set<Push<Dashboard>>>();
  private readonly memberSockets = new Map<string, Set<Push<WorkshopView | null>>>();
  private readonly dropIns = new Map<string, Set<{ lessonId: string; push: Push<string>; pending: string | null; timer: NodeJS.Timeout | null; last: number }>>();
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly refresher: NodeJS.Timeout;
  /** The room's VM warm-up target last given, and the pending decrease of it. */
  private warmTarget = -1;
  private warmDown: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { store: Store; catalog: LessonCatalog; capacity: RoomCapacity; log: (line: string) => void; secret: Buffer },
  ) {
    this.store = new WorkshopStore(deps.store.database, deps.secret);
    this.attacks = new AttackStore(deps.store.database);
    this.rounds = new RoundStore(deps.store.database);
    this.refresher = setInterval(() => {
      for (const id of this.dashboards.keys()) this.changed(id);
    }, DASHBOARD_REFRESH_MS);
    this.refresher.unref();
    this.rewarm();
  }

  close(): void {
    clearInterval(this.refresher);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.warmDown) clearTimeout(this.warmDown);
    for (const set of this.dropIns.values()) for (const w of set) if (w.timer) clearTimeout(w.timer);
  }

  create(title: string, lessonIds: string[], endsAt: string | null, roomSize?: number): WorkshopSummary {
    const unknown = lessonIds.filter((id) => !this.deps.catalog.get(id));
    if (unknown.length) throw new WorkshopError('unknown-lesson', `no such lesson: ${unknown.join(', ')}`);
    const w = this.store.create(title, [...new Set(lessonIds)], endsAt, roomSize);
    this.deps.log(`workshop: "${w.title}" started (${w.id}, code ${w.code}, room for ${w.roomSize})`);
    return this.summary(w, 0);
  }

  /** The instructor resizes the room: no new student beyond it; members already in stay. */
  setRoomSize(workshopId: string, roomSize: number): void {
    const w = this.require(workshopId);
    this.store.setRoomSize(w.id, roomSize);
    this.changed(w.id);
  }

  list(): WorkshopSummary[] {
    return this.store.list().map((w) => this.summary(w, w.members));
  }

  private summary(w: WorkshopRow, members: number): WorkshopSummary {
    return { id: w.id, code: w.code, title: w.title, createdAt: w.createdAt, endedAt: w.endedAt, members, roomSize: w.roomSize };
  }

  private require(workshopId: string): WorkshopRow {
    const w = this.store.get(workshopId);
    if (!w) throw new WorkshopError('unknown-workshop', 'there is no such workshop');
    return w;
  }

  /**
   * A student joins (or rejoins as themselves with their key). A new member also needs `admitNew`'s leave
   * (the per-address budget of new members). An ended workshop answers as an unknown code does: a code
   * guesser learns nothing from codes that once were.
   */
  join(learnerId: string, code: string, name: string, key: string | undefined, admitNew: () => string | null = () => null): { view: WorkshopView; memberKey: string; becomeLearner: string | null } {
    const w = this.store.byCode(code);
    if (!w || w.endedAt) throw new WorkshopError('unknown-workshop', NO_SUCH_CODE(code));
    const joined = this.store.join(w.id, learnerId, name, key, admitNew);
    // A removed student hears what anyone would about a name in use: nothing that invites a new disguise.
    if (joined === 'name-taken' || joined === 'removed') throw new WorkshopError('name-taken', `someone in this workshop is already called ${name}: pick another name (or enter your rejoin key to be that person again)`);
    if (joined === 'workshop-full') throw new WorkshopError('workshop-full', `this workshop is full (${w.roomSize} students): ask your instructor`);
    if ('refused' in joined) throw new WorkshopError('rate-limited', joined.refused);
    const becomeLearner = joined.member.learnerId === learnerId ? null : joined.member.learnerId;
    this.changed(w.id);
    this.pushView(joined.member.learnerId);
    this.rewarm();
    return { view: this.viewOf(w, joined.member), memberKey: joined.memberKey, becomeLearner };
  }

  leave(learnerId: string): void {
    const m = this.store.membershipOf(learnerId);
    if (!m) return;
    this.store.remove(m.workshop.id, learnerId, 'left');
    this.changed(m.workshop.id);
    this.pushView(learnerId);
    this.rewarm();
  }

  remove(workshopId: string, learnerId: string): void {
    this.require(workshopId);
    if (this.store.remove(workshopId, learnerId, 'instructor')) this.deps.log(`workshop: ${learnerId} removed from ${workshopId}`);
    this.changed(workshopId);
    this.pushView(learnerId);
    this.rewarm();
  }

  setLessons(workshopId: string, lessons: Array<{ id: string; open: boolean }>): void {
    const w = this.require(workshopId);
    const unknown = lessons.filter((l) => !this.deps.catalog.get(l.id)).map((l) => l.id);
    if (unknown.length) throw new WorkshopError('unknown-lesson', `no such lesson: ${unknown.join(', ')}`);
    this.store.setLessons(w.id, lessons);
    this.changed(w.id);
    this.pushViews(w.id);
  }

  broadcast(workshopId: string, message: string): void {
    const w = this.require(workshopId);
    if (w.endedAt) throw new WorkshopError('workshop-ended', 'this workshop has ended: nobody is there to read it');
    this.store.broadcast(w.id, message);
    this.pushViews(w.id);
  }

  end(workshopId: string): void {
    const w = this.require(workshopId);
    this.store.end(w.id);
    this.deps.log(`workshop: "${w.title}" ended (${w.id})`);
    this.changed(w.id);
    this.pushViews(w.id);
    this.rewarm();
  }

  exportCsv(workshopId: string): { fileName: string; csv: string } {
    const w = this.require(workshopId);
    const csv = workshopCsv({
      members: this.store.members(w.id),
      lessons: this.lessonFacts(w),
      runs: this.store.runs(w.id),
      hints: this.store.hintsUsed(w.id),
      solutionViews: this.store.solutionViews(w.id),
      attacks: this.attacks.columns(w.id),
    });
    const slug = w.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workshop';
    return { fileName: `${slug}-${w.code}.csv`, csv };
  }

  dashboard(workshopId: string): Dashboard {
    const w = this.require(workshopId);
    return buildDashboard({
      workshop: w,
      members: this.store.members(w.id),
      lessons: this.lessonFacts(w),
      runs: this.store.runs(w.id),
      online: new Set([...this.memberSockets.entries()].filter(([, s]) => s.size > 0).map(([id]) => id)),
      lastLessons: this.store.lastLessons(w.id),
      capacity: this.deps.capacity.stats(),
      attacks: this.attacks.columns(w.id),
      round: this.roundFacts(w.id),
    });
  }

  /** The facts of the workshop's latest break-it round (null: none yet), for the scoreboard and members' views. */
  roundFacts(workshopId: string): ReturnType<typeof latestRoundFacts> {
    return latestRoundFacts(this.rounds, workshopId, this.store.members(workshopId), (id) => this.deps.catalog.get(id)?.meta.title ?? id);
  }

  private lessonFacts(w: WorkshopRow): LessonFacts[] {
    return w.lessons.map((l) => {
      const lesson = this.deps.catalog.get(l.id);
      return {
        id: l.id,
        title: lesson?.meta.title ?? l.id,
        // A probe the lesson leaves open on purpose (closed in a later lesson) escapes every good run: it would
        // hide where the room is really stuck, so neither the cells nor "most escaping" count it.
        escapes: (lesson?.checks ?? []).filter((c) => c.kind === 'escape' && !c.closedIn).map((c) => ({ id: c.probe.id, title: c.probe.meta.title })),
      };
    });
  }

  /** What a member sees of their workshop; null when they are in none. */
  viewFor(learnerId: string): WorkshopView | null {
    const m = this.store.membershipOf(learnerId);
    return m ? this.viewOf(m.workshop, m.member) : null;
  }

  private viewOf(w: WorkshopRow, member: { learnerId: string; name: string }): WorkshopView {
    const titles = this.lessonFacts(w);
    return {
      id: w.id,
      title: w.title,
      lessons: w.lessons.map((l, i) => ({ id: l.id, title: titles[i]!.title, open: l.open })),
      endsAt: w.endsAt,
      endedAt: w.endedAt,
      broadcasts: this.store.broadcasts(w.id),
      name: member.name,
      attacks: this.attacks.forMember(w.id, member.learnerId),
      round: ((f) => (f ? memberRound(f, member.learnerId) : null))(this.roundFacts(w.id)),
    };
  }

  /** Whether this learner is a student of a workshop in progress: limits are then per student, not per address. */
  isInRoom(learnerId: string): boolean {
    const m = this.store.membershipOf(learnerId);
    return m !== null && m.workshop.endedAt === null;
  }

  /** Why this learner may not run, save code in or see the solution of this lesson now, or null. */
  refusal(learnerId: string, lessonId: string, what: 'run' | 'save' | 'solution'): { code: 'lesson-locked' | 'workshop-ended'; message: string } | null {
    const m = this.store.membershipOf(learnerId);
    if (!m) return null;
    // Once it is over, its solutions are no secret; runs and saves stay read-only.
    if (m.workshop.endedAt && what === 'solution') return null;
    if (m.workshop.endedAt) return { code: 'workshop-ended', message: `The workshop "${m.workshop.title}" has ended: your work is kept, read-only. Leave the workshop to go on by yourself.` };
    if (what === 'save') return null;
    const lesson = m.workshop.lessons.find((l) => l.id === lessonId);
    if (!lesson) return { code: 'lesson-locked', message: `This lesson is not part of the workshop "${m.workshop.title}".` };
    if (!lesson.open) return { code: 'lesson-locked', message: 'Your instructor locked this lesson again for now (every workshop lesson starts open); your code in it is kept.' };
    return null;
  }

  // --- who is watching --------------------------------------------------------

  /** A member's socket: it is told about its workshop now and after every change. Returns the detach function. */
  attachMember(learnerId: string, push: Push<WorkshopView | null>): () => void {
    let set = this.memberSockets.get(learnerId);
    if (!set) this.memberSockets.set(learnerId, (set = new Set()));
    set.add(push);
    const m = this.store.membershipOf(learnerId);
    if (m && set.size === 1) {
      this.changed(m.workshop.id); // now online
      this.rewarm();
    }
    return () => {
      set.delete(push);
      if (set.size === 0) {
        this.memberSockets.delete(learnerId);
        const now = this.store.membershipOf(learnerId);
        if (now) this.changed(now.workshop.id); // now offline
        this.rewarm();
      }
    };
  }

  watchDashboard(workshopId: string, push: Push<Dashboard>): () => void {
    this.require(workshopId);
    let set = this.dashboards.get(workshopId);
    if (!set) this.dashboards.set(workshopId, (set = new Set()));
    set.add(push);
    push(this.dashboard(workshopId));
    return () => {
      set.delete(push);
      if (set.size === 0) this.dashboards.delete(workshopId);
    };
  }

  /** An instructor following a student's code in one lesson, live. Returns the stop function. */
  dropIn(learnerId: string, lessonId: string, push: Push<string>): () => void {
    let set = this.dropIns.get(learnerId);
    if (!set) this.dropIns.set(learnerId, (set = new Set()));
    const watcher = { lessonId, push, pending: null as string | null, timer: null as NodeJS.Timeout | null, last: -Infinity };
    set.add(watcher);
    return () => {
      if (watcher.timer) clearTimeout(watcher.timer);
      set.delete(watcher);
      if (set.size === 0) this.dropIns.delete(learnerId);
    };
  }

  // --- what happened ------------------------------------------------------------

  runFinished(learnerId: string): void {
    const m = this.store.membershipOf(learnerId);
    if (m) this.changed(m.workshop.id);
  }

  codeSaved(learnerId: string, lessonId: string, source: string): void {
    for (const w of this.dropIns.get(learnerId) ?? []) {
      if (w.lessonId !== lessonId) continue;
      // At most one push per interval, always ending on the latest save.
      w.pending = source;
      if (w.timer) continue;
      const flush = (): void => {
        w.timer = null;
        if (w.pending === null) return;
        const latest = w.pending;
        w.pending = null;
        w.last = Date.now();
        w.push(latest);
      };
      const wait = w.last + DROP_IN_MIN_INTERVAL_MS - Date.now();
      if (wait <= 0) flush();
      else w.timer = setTimeout(flush, wait);
    }
    const m = this.store.membershipOf(learnerId);
    if (m) this.changed(m.workshop.id);
  }

  /** A workshop's dashboard is out of date: recompute it soon, for everyone watching (coalesced). */
  changed(workshopId: string): void {
    if (!this.dashboards.has(workshopId)) return;
    this.dirty.add(workshopId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      const ids = [...this.dirty];
      this.dirty.clear();
      for (const id of ids) {
        const watchers = this.dashboards.get(id);
        if (!watchers?.size) continue;
        try {
          const d = this.dashboard(id);
          for (const push of watchers) push(d);
        } catch (e) {
          this.deps.log(`workshop: dashboard ${id}: ${(e as Error).message}`);
        }
      }
    }, DASHBOARD_MIN_INTERVAL_MS);
  }

  /** Something every member sees changed (a break-it round's scoreboard): push each their view. */
  membersChanged(workshopId: string): void {
    this.pushViews(workshopId);
  }

  /** Something only this member sees changed (a probe fired at their jail, its result): push their view. */
  memberChanged(learnerId: string): void {
    this.pushView(learnerId);
  }

  private pushView(learnerId: string): void {
    const sockets = this.memberSockets.get(learnerId);
    if (!sockets?.size) return;
    const view = this.viewFor(learnerId);
    for (const push of sockets) push(view);
  }

  private pushViews(workshopId: string): void {
    for (const m of this.store.members(workshopId)) this.pushView(m.learnerId);
  }

  /**
   * Keep a VM ready for every student of a workshop in progress who is connected now: made-up members who
   * never come back, and students who went home, hold no VM; as they go, the target falls with them.
   */
  private rewarm(): void {
    const online = [...this.memberSockets.keys()].filter((id) => this.isInRoom(id)).length;
    // Up at once (a class arriving); down only after a while: a student reloading the page is gone for a
    // moment, and a target that dips and comes back would have VMs stopped and started for nothing.
    if (online >= this.warmTarget) {
      if (this.warmDown) clearTimeout(this.warmDown);
      this.warmDown = null;
      if (online !== this.warmTarget) this.deps.capacity.warmFor((this.warmTarget = online));
      return;
    }
    this.warmDown ??= setTimeout(() => {
      this.warmDown = null;
      const now = [...this.memberSockets.keys()].filter((id) => this.isInRoom(id)).length;
      if (now < this.warmTarget) this.deps.capacity.warmFor((this.warmTarget = now));
    }, WARM_DOWN_AFTER_MS);
    this.warmDown.unref?.();
  }
}
