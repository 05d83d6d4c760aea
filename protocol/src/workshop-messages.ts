import { z } from 'zod';
import { Accelerator, LessonId, ProbeId, RunId } from './ids.js';
import { DoorPass } from './door.js';
import { normaliseDisplayName } from './display-name.js';
import { LessonStatus } from './workspace-messages.js';
import { AttackColumn, MemberAttack } from './attack-messages.js';
import { MemberRound, RoundView } from './round-messages.js';

/**
 * Workshops: one instructor, a room of students, one server. The instructor
 * (with the instructor token) starts a workshop, opens and locks its lessons,
 * broadcasts, watches the room live and drops in on a student. Students join
 * with a short code and a display name, no account: their identity is the
 * anonymous learner behind their browser, plus a member key kept there that
 * lets them rejoin as themselves from another browser.
 */

const RequestId = z.string().min(1).max(64);
export const WorkshopId = z.string().regex(/^w_[A-Za-z0-9_-]{6,32}$/);
export type WorkshopId = z.infer<typeof WorkshopId>;
/** Short, unambiguous, easy to read off a wall: no 0/O, 1/I/L. */
export const JoinCode = z
  .string()
  .transform((s) => s.trim().toUpperCase().replace(/[\s-]+/g, ''))
  .pipe(z.string().regex(/^[2-9A-HJKMNP-Z]{6}$/, 'a join code is six letters and digits'));
/** A display name, normalised (display-name.ts): what is stored and shown is what was compared. */
export const DisplayName = z
  .string()
  .max(400)
  .transform(normaliseDisplayName)
  .pipe(z.string().min(1, 'say who you are').max(40, 'a name is at most 40 characters'));
/** The member's own secret for rejoining as themselves (kept in their browser, shown to them to copy). */
export const MemberKey = z.string().regex(/^[2-9A-HJKMNP-Z]{10}$/);
const LearnerId = z.string().min(1).max(64);
const Message = z.string().transform((s) => s.trim()).pipe(z.string().min(1).max(500));
const Time = z.string();
/** How many students a workshop takes at most (its instructor says; rejoining members are never refused). */
export const RoomSize = z.number().int().min(1).max(500);
/** A workshop's room size when its instructor does not say: a large class, yet a bound on made-up students. */
export const DEFAULT_ROOM_SIZE = 60;

export const WorkshopLesson = z.object({ id: LessonId, title: z.string(), open: z.boolean() });
export type WorkshopLesson = z.infer<typeof WorkshopLesson>;

export const Broadcast = z.object({ message: z.string(), sentAt: Time });
export type Broadcast = z.infer<typeof Broadcast>;

/** What every member sees of their workshop. */
export const WorkshopView = z.object({
  id: WorkshopId,
  title: z.string(),
  lessons: z.array(WorkshopLesson),
  endsAt: Time.nullable(),
  /** Once ended, members keep their work, read-only. */
  endedAt: Time.nullable(),
  broadcasts: z.array(Broadcast),
  /** This member's display name. */
  name: z.string(),
  /** Probes the instructor fired at this member's jails, newest first, with their verdicts. */
  attacks: z.array(MemberAttack),
  /** The break-it round of the workshop (open, or the last one), as this member takes part in it. */
  round: MemberRound.nullable(),
});
export type WorkshopView = z.infer<typeof WorkshopView>;

export const WorkshopSummary = z.object({
  id: WorkshopId,
  code: z.string(),
  title: z.string(),
  createdAt: Time,
  endedAt: Time.nullable(),
  members: z.number().int().min(0),
  /** The most students it takes (absent from servers before room sizes). */
  roomSize: RoomSize.optional(),
});
export type WorkshopSummary = z.infer<typeof WorkshopSummary>;

/** One student × lesson cell of the dashboard. */
export const DashboardCell = z.object({
  learnerId: LearnerId,
  lessonId: LessonId,
  /** stuck: not passed, and the last several runs failed. */
  status: z.enum(['not-started', 'in-progress', 'passed', 'stuck']),
  /** Escape probes contained / escape probes, in the latest finished run (null before any). */
  contained: z.number().int().min(0).nullable(),
  total: z.number().int().min(0),
  runs: z.number().int().min(0),
  /** Passed, but only after looking at the solution. */
  withSolution: z.boolean(),
});
export type DashboardCell = z.infer<typeof DashboardCell>;

export const DashboardMember = z.object({
  learnerId: LearnerId,
  name: z.string(),
  joinedAt: Time,
  online: z.boolean(),
  /** The lesson they last saved or ran code in. */
  lastLessonId: LessonId.nullable(),
});
export type DashboardMember = z.infer<typeof DashboardMember>;

export const LessonStats = z.object({
  lessonId: LessonId,
  passed: z.number().int().min(0),
  /** The probe that escaped the most students' latest runs: where the room is stuck. */
  mostEscaping: z.object({ probeId: ProbeId, title: z.string(), students: z.number().int().min(1) }).nullable(),
});
export type LessonStats = z.infer<typeof LessonStats>;

/**
 * A machine that executes runs: this server's own VMs (`local`), or a runner process elsewhere that takes
 * jobs from the queue (remote mode). The instructor sees which are up, how fast, and how busy.
 */
export const RunnerInfo = z.object({
  id: z.string(),
  host: z.string(),
  accelerator: Accelerator.nullable(),
  slots: z.number().int().min(0),
  busy: z.number().int().min(0),
});
export type RunnerInfo = z.infer<typeof RunnerInfo>;

export const Dashboard = z.object({
  workshop: WorkshopSummary.extend({ lessons: z.array(WorkshopLesson), endsAt: Time.nullable() }),
  members: z.array(DashboardMember),
  cells: z.array(DashboardCell),
  lessons: z.array(LessonStats),
  /** Probes fired at the room, oldest first: a column each. */
  attacks: z.array(AttackColumn),
  /** The workshop's break-it round (open, or the last one): its scoreboard. */
  round: RoundView.nullable(),
  /** The server's capacity, live: VMs ready and busy, runs waiting, and the runners serving them. */
  capacity: z.object({
    accelerator: Accelerator.nullable(),
    ready: z.number(),
    starting: z.number(),
    inUse: z.number(),
    queued: z.number(),
    slots: z.number(),
    runners: z.array(RunnerInfo),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const WorkshopClientMessages = [
  // Instructors (the socket said hello with the instructor token).
  z.object({
    type: z.literal('workshop-create'),
    requestId: RequestId,
    title: z.string().transform((s) => s.trim()).pipe(z.string().min(1, 'give the workshop a title').max(120)),
    lessonIds: z.array(LessonId).min(1, 'open at least one lesson').max(100),
    endsAt: Time.optional(),
    /** The most students it takes (DEFAULT_ROOM_SIZE when absent). */
    roomSize: RoomSize.optional(),
  }),
  z.object({ type: z.literal('workshop-list'), requestId: RequestId }),
  /** A new room size: no new student beyond it (members already in stay). Answered with a fresh dashboard. */
  z.object({ type: z.literal('workshop-room-size'), requestId: RequestId, workshopId: WorkshopId, roomSize: RoomSize }),
  /** Live dashboard: a `workshop-dashboard` now and after every change, until unwatch or the socket closes. */
  z.object({ type: z.literal('workshop-watch'), requestId: RequestId, workshopId: WorkshopId }),
  z.object({ type: z.literal('workshop-unwatch'), workshopId: WorkshopId }),
  z.object({ type: z.literal('workshop-lessons'), requestId: RequestId, workshopId: WorkshopId, lessons: z.array(z.object({ id: LessonId, open: z.boolean() })).min(1).max(100) }),
  z.object({ type: z.literal('workshop-broadcast'), requestId: RequestId, workshopId: WorkshopId, message: Message }),
  z.object({ type: z.literal('workshop-end'), requestId: RequestId, workshopId: WorkshopId }),
  z.object({ type: z.literal('workshop-remove'), requestId: RequestId, workshopId: WorkshopId, learnerId: LearnerId }),
  z.object({ type: z.literal('workshop-export'), requestId: RequestId, workshopId: WorkshopId }),
  /** Drop in on a student: their code in a lesson (live) and their last run there. */
  z.object({ type: z.literal('drop-in'), requestId: RequestId, workshopId: WorkshopId, learnerId: LearnerId, lessonId: LessonId }),
  z.object({ type: z.literal('drop-out'), workshopId: WorkshopId }),
  // Students.
  z.object({ type: z.literal('workshop-join'), requestId: RequestId, code: JoinCode, name: DisplayName, memberKey: MemberKey.optional() }),
  z.object({ type: z.literal('workshop-leave'), requestId: RequestId }),
  z.object({ type: z.literal('workshop-get'), requestId: RequestId }),
] as const;

export const WorkshopServerMessages = [
  z.object({ type: z.literal('workshop-created'), requestId: RequestId, workshop: WorkshopSummary }),
  z.object({ type: z.literal('workshop-list'), requestId: RequestId, workshops: z.array(WorkshopSummary) }),
  z.object({ type: z.literal('workshop-dashboard'), workshopId: WorkshopId, dashboard: Dashboard }),
  z.object({ type: z.literal('workshop-export'), requestId: RequestId, workshopId: WorkshopId, fileName: z.string(), csv: z.string() }),
  z.object({
    type: z.literal('drop-in'),
    workshopId: WorkshopId,
    learnerId: LearnerId,
    lessonId: LessonId,
    name: z.string(),
    code: z.string().nullable(),
    /** Their last run of the lesson, to `watch` (or read with `run-record-get`), if any. */
    lastRunId: RunId.nullable(),
  }),
  /** A member's workshop as they see it, on request and after every change (null: not in a workshop). */
  z.object({ type: z.literal('workshop'), requestId: RequestId.optional(), workshop: WorkshopView.nullable() }),
  /** A join went through. `learnerToken` comes when the browser is to become the member it rejoined as. */
  z.object({
    type: z.literal('workshop-joined'),
    requestId: RequestId,
    workshop: WorkshopView,
    memberKey: MemberKey,
    learnerToken: z.string().optional(),
    /** The member's door pass for the next upgrade (door.ts); keep it, replacing any older one. */
    doorPass: DoorPass.optional(),
  }),
] as const;

export { LessonStatus };
