import type { Dashboard, DashboardCell, LessonStats } from '@jaillab/protocol';
import { type RoundFacts, roundView } from '../rounds/round-board.js';
import type { MemberRow, RunRow, WorkshopRow } from './workshop-store.js';

/** What the dashboard needs to know of each lesson of the workshop. */
export interface LessonFacts {
  id: string;
  title: string;
  /** The lesson's escape probes, in order: what "contained of total" counts. */
  escapes: Array<{ id: string; title: string }>;
}

export interface DashboardInput {
  workshop: WorkshopRow;
  members: MemberRow[];
  lessons: LessonFacts[];
  runs: RunRow[];
  online: ReadonlySet<string>;
  lastLessons: ReadonlyMap<string, string>;
  capacity: Dashboard['capacity'];
  /** Probes fired at the room (attacks/attack-store.ts), passed through as the grid's extra columns. */
  attacks: Dashboard['attacks'];
  /** The latest break-it round's facts (rounds/round-board.ts), null when there was none. */
  round: RoundFacts | null;
}

/** Runs that failed in a row, not passed since, before a student counts as stuck. */
export const STUCK_AFTER = 3;

const FAILED = new Set(['failed', 'error', 'compile-error']);

function cell(learnerId: string, lesson: LessonFacts, runs: RunRow[], working: boolean): DashboardCell {
  const finished = runs.filter((r) => r.outcome !== null && r.outcome !== 'interrupted' && r.outcome !== 'cancelled');
  const latest = finished.at(-1);
  const firstPass = finished.find((r) => r.outcome === 'passed');
  const tail = finished.slice(-STUCK_AFTER);
  const stuck = !firstPass && tail.length === STUCK_AFTER && tail.every((r) => FAILED.has(r.outcome!));
  const escapeIds = new Set(lesson.escapes.map((e) => e.id));
  return {
    learnerId,
    lessonId: lesson.id,
    status: firstPass ? 'passed' : stuck ? 'stuck' : finished.length > 0 || working ? 'in-progress' : 'not-started',
    contained: latest ? latest.verdicts.filter((v) => escapeIds.has(v.id) && v.verdict === 'contained').length : null,
    total: lesson.escapes.length,
    runs: runs.length,
    withSolution: firstPass?.solutionShown ?? false,
  };
}

/**
 * The live dashboard of one workshop: a cell per student and lesson (latest
 * run's probes contained of total, passed, stuck), and per lesson how many
 * passed and which probe escapes most students' latest runs — where the room
 * is stuck. A pure function of what the store holds, so it is computed afresh
 * after every change and tested without a server.
 */
export function buildDashboard(input: DashboardInput): Dashboard {
  const { workshop, members, lessons } = input;
  const runsBy = new Map<string, RunRow[]>();
  for (const r of input.runs) {
    const key = `${r.learnerId}\n${r.lessonId}`;
    let list = runsBy.get(key);
    if (!list) runsBy.set(key, (list = []));
    list.push(r);
  }
  const cells: DashboardCell[] = [];
  const stats: LessonStats[] = [];
  for (const lesson of lessons) {
    const escapedBy = new Map<string, number>();
    let passed = 0;
    for (const m of members) {
      const runs = runsBy.get(`${m.learnerId}\n${lesson.id}`) ?? [];
      const c = cell(m.learnerId, lesson, runs, input.lastLessons.get(m.learnerId) === lesson.id);
      cells.push(c);
      if (c.status === 'passed') passed++;
      const latest = runs.filter((r) => r.outcome !== null && r.outcome !== 'interrupted' && r.outcome !== 'cancelled').at(-1);
      for (const v of latest?.verdicts ?? []) if (v.verdict === 'escaped') escapedBy.set(v.id, (escapedBy.get(v.id) ?? 0) + 1);
    }
    let most: LessonStats['mostEscaping'] = null;
    for (const probe of lesson.escapes) {
      const n = escapedBy.get(probe.id) ?? 0;
      if (n > 0 && (!most || n > most.students)) most = { probeId: probe.id, title: probe.title, students: n };
    }
    stats.push({ lessonId: lesson.id, passed, mostEscaping: most });
  }
  const titles = new Map(lessons.map((l) => [l.id, l.title]));
  return {
    workshop: {
      id: workshop.id,
      code: workshop.code,
      title: workshop.title,
      createdAt: workshop.createdAt,
      endedAt: workshop.endedAt,
      endsAt: workshop.endsAt,
      members: members.length,
      roomSize: workshop.roomSize,
      lessons: workshop.lessons.map((l) => ({ id: l.id, title: titles.get(l.id) ?? l.id, open: l.open })),
    },
    members: members.map((m) => ({ learnerId: m.learnerId, name: m.name, joinedAt: m.joinedAt, online: input.online.has(m.learnerId), lastLessonId: input.lastLessons.get(m.learnerId) ?? null })),
    cells,
    lessons: stats,
    attacks: input.attacks,
    round: input.round ? roundView(input.round) : null,
    capacity: input.capacity,
  };
}
