import type { Dashboard, WorkshopSummary, WorkshopView } from '@jaillab/protocol';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Store } from '../store/store.js';
import { buildDashboard, type LessonFacts } from './dashboard.js';
import { workshopCsv } from './export-csv.js';
import type { JoinRefusal, WorkshopRow } from './workshop-store.js';
import { WorkshopStore } from './workshop-store.js';

/** What a workshop needs of the machine that runs its VMs (a local pool today, remote runners later). */
export interface RoomCapacity {
  /** VMs ready, starting, in use; runs waiting; run slots. */
  stats(): Dashboard['capacity'];
  /** Keep VMs ready for a room of this many students, beyond the usual (0: back to the usual). */
  warmFor(students: number): void;
}

export class WorkshopError extends Error {
  constructor(
    readonly code: JoinRefusal | 'unknown-lesson' | 'forbidden',
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
 * The classroom: workshops, their members, and everyone watching. Runs and
 * code saves are reported here (runFinished, codeSaved); the dashboards of
 * the workshops they touch are recomputed and pushed, coalesced, to every
 * instructor watching, and what a member sees of their workshop is pushed to
 * each of their sockets when it changes.
 */
export class WorkshopService {
  readonly store: WorkshopStore;
  private readonly dashboards = new Map<string, Set<Push<Dashboard>>>();
  private readonly memberSockets = new Map<string, Set<Push<WorkshopView | null>>>();
  private readonly dropIns = new Map<string, Set<{ lessonId: string; push: Push<string> }>>();
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly refresher: NodeJS.Timeout;

  constructor(
    private readonly deps: { store: Store; catalog: LessonCatalog; capacity: RoomCapacity; log: (line: string) => void },
  ) {
    this.store = new WorkshopStore(deps.store.database);
    this.refresher = setInterval(() => {
      for (const id of this.dashboards.keys()) this.changed(id);
    }, DASHBOARD_REFRESH_MS);
    this.refresher.unref();
    this.rewarm();
  }

  close(): void {
    clearInterval(this.refresher);
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  create(title: string, lessonIds: string[], endsAt: string | null): WorkshopSummary {
    const unknown = lessonIds.filter((id) => !this.deps.catalog.get(id));
    if (unknown.length) throw new WorkshopError('unknown-lesson', `no such lesson: ${unknown.join(', ')}`);
    const w = this.store.create(title, [...new Set(lessonIds)], endsAt);
    this.deps.log(`workshop: "${w.title}" started (${w.id}, code ${w.code})`);
    return this.summary(w, 0);
  }

  list(): WorkshopSummary[] {
    return this.store.list().map((w) => this.summary(w, w.members));
  }

  private summary(w: WorkshopRow, members: number): WorkshopSummary {
    return { id: w.id, code: w.code, title: w.title, createdAt: w.createdAt, endedAt: w.endedAt, members };
  }

  private require(workshopId: string): WorkshopRow {
    const w = this.store.get(workshopId);
    if (!w) throw new WorkshopError('unknown-workshop', 'there is no such workshop');
    return w;
  }

  /** A student joins (or rejoins as themselves with their key). */
  join(learnerId: string, code: string, name: string, key: string | undefined): { view: WorkshopView; memberKey: string; becomeLearner: string | null } {
    const w = this.store.byCode(code);
    if (!w) throw new WorkshopError('unknown-workshop', `no workshop has the code ${code}: check it with your instructor`);
    if (w.endedAt) throw new WorkshopError('workshop-ended', 'this workshop has ended');
    const joined = this.store.join(w.id, learnerId, name, key);
    if (joined === 'name-taken') throw new WorkshopError('name-taken', `someone in this workshop is already called ${name}: pick another name (or enter your rejoin key to be that person again)`);
    const becomeLearner = joined.member.learnerId === learnerId ? null : joined.member.learnerId;
    this.changed(w.id);
    this.pushView(joined.member.learnerId);
    this.rewarm();
    return { view: this.viewOf(w, joined.member.name), memberKey: joined.memberKey, becomeLearner };
  }

  leave(learnerId: string): void {
    const m = this.store.membershipOf(learnerId);
    if (!m) return;
    this.store.remove(m.workshop.id, learnerId);
    this.changed(m.workshop.id);
    this.pushView(learnerId);
    this.rewarm();
  }

  remove(workshopId: string, learnerId: string): void {
    this.require(workshopId);
    if (this.store.remove(workshopId, learnerId)) this.deps.log(`workshop: ${learnerId} removed from ${workshopId}`);
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
    });
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
    return m ? this.viewOf(m.workshop, m.member.name) : null;
  }

  private viewOf(w: WorkshopRow, name: string): WorkshopView {
    const titles = this.lessonFacts(w);
    return {
      id: w.id,
      title: w.title,
      lessons: w.lessons.map((l, i) => ({ id: l.id, title: titles[i]!.title, open: l.open })),
      endsAt: w.endsAt,
      endedAt: w.endedAt,
      broadcasts: this.store.broadcasts(w.id),
      name,
    };
  }

  /** Whether this learner is a student of a workshop in progress: limits are then per student, not per address. */
  isInRoom(learnerId: string): boolean {
    const m = this.store.membershipOf(learnerId);
    return m !== null && m.workshop.endedAt === null;
  }

  /** Why this learner may not run (or save code in) this lesson now, or null. */
  refusal(learnerId: string, lessonId: string, what: 'run' | 'save'): { code: 'lesson-locked' | 'workshop-ended'; message: string } | null {
    const m = this.store.membershipOf(learnerId);
    if (!m) return null;
    if (m.workshop.endedAt) return { code: 'workshop-ended', message: `The workshop "${m.workshop.title}" has ended: your work is kept, read-only. Leave the workshop to go on by yourself.` };
    if (what === 'save') return null;
    const lesson = m.workshop.lessons.find((l) => l.id === lessonId);
    if (!lesson) return { code: 'lesson-locked', message: `This lesson is not part of the workshop "${m.workshop.title}".` };
    if (!lesson.open) return { code: 'lesson-locked', message: 'Your instructor has not opened this lesson yet.' };
    return null;
  }

  // --- who is watching --------------------------------------------------------

  /** A member's socket: it is told about its workshop now and after every change. Returns the detach function. */
  attachMember(learnerId: string, push: Push<WorkshopView | null>): () => void {
    let set = this.memberSockets.get(learnerId);
    if (!set) this.memberSockets.set(learnerId, (set = new Set()));
    set.add(push);
    const m = this.store.membershipOf(learnerId);
    if (m && set.size === 1) this.changed(m.workshop.id); // now online
    return () => {
      set.delete(push);
      if (set.size === 0) {
        this.memberSockets.delete(learnerId);
        const now = this.store.membershipOf(learnerId);
        if (now) this.changed(now.workshop.id); // now offline
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
    const watcher = { lessonId, push };
    set.add(watcher);
    return () => {
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
    for (const w of this.dropIns.get(learnerId) ?? []) if (w.lessonId === lessonId) w.push(source);
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

  private pushView(learnerId: string): void {
    const sockets = this.memberSockets.get(learnerId);
    if (!sockets?.size) return;
    const view = this.viewFor(learnerId);
    for (const push of sockets) push(view);
  }

  private pushViews(workshopId: string): void {
    for (const m of this.store.members(workshopId)) this.pushView(m.learnerId);
  }

  /** Keep VMs ready for every student of the workshops in progress. */
  private rewarm(): void {
    const students = this.store.active().reduce((n, w) => n + this.store.members(w.id).length, 0);
    this.deps.capacity.warmFor(students);
  }
}
