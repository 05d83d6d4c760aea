import { z } from 'zod';
import { AttackVerdict } from './attack-messages.js';
import { LessonId } from './ids.js';
import { Source } from './source.js';

/**
 * Break-it rounds (issue #26): the instructor opens a round on a lesson with a
 * time limit and a run budget; each student submits a jail (their code for
 * the lesson at that moment) and fires probes of their own at other students'
 * submitted jails, each a run in a fresh VM. Neither side sees the other's
 * source until the instructor reveals them.
 */

const RequestId = z.string().min(1).max(64);
const WorkshopId = z.string().regex(/^w_[A-Za-z0-9_-]{6,32}$/);
const LearnerId = z.string().min(1).max(64);
export const RoundId = z.string().regex(/^b_[A-Za-z0-9_-]{8,32}$/).describe('server-issued id of one break-it round');
export type RoundId = z.infer<typeof RoundId>;
export const RoundAttackId = z.string().regex(/^ra_[A-Za-z0-9_-]{8,32}$/);

/** The longest a round may last, and the most runs a student may fire in one. */
export const MAX_ROUND_MINUTES = 180;
export const MAX_ROUND_BUDGET = 50;

/** A student's probe, as fired in a round: a title and probe.c (it may #include "probe.h"). */
export const RoundProbe = z.object({
  title: z.string().transform((s) => s.trim()).pipe(z.string().min(1, 'give your probe a title').max(80)),
  source: Source,
});

/** One probe fired at one jail in a round, as the attacker or the jail's owner sees it. */
export const RoundShot = z.object({
  id: RoundAttackId,
  attacker: z.string(),
  target: z.string(),
  probeTitle: z.string(),
  verdict: AttackVerdict,
  reason: z.string(),
  firedAt: z.string(),
  /** The other side's source: the probe (to the jail's owner) or the jail (to the attacker), once revealed. */
  otherSource: z.string().nullable(),
});
export type RoundShot = z.infer<typeof RoundShot>;

export const RoundStanding = z.object({
  learnerId: LearnerId,
  name: z.string(),
  /** Submitted a jail to the round. */
  submitted: z.boolean(),
  /** Their jail is submitted and no probe has broken out of it. */
  standing: z.boolean(),
  /** Escapes this student's probes found (jails broken). */
  escapes: z.number().int().min(0),
  /** Runs they have fired. */
  fired: z.number().int().min(0),
});
export type RoundStanding = z.infer<typeof RoundStanding>;

/** A round as everyone in the room sees it: the scoreboard. */
export const RoundView = z.object({
  id: RoundId,
  lessonId: LessonId,
  lessonTitle: z.string(),
  openedAt: z.string(),
  endsAt: z.string(),
  endedAt: z.string().nullable(),
  budget: z.number().int().min(1),
  revealed: z.boolean(),
  standings: z.array(RoundStanding),
  /** The first escape of the round. */
  firstBlood: z.object({ attacker: z.string(), target: z.string(), at: z.string() }).nullable(),
});
export type RoundView = z.infer<typeof RoundView>;

/** What one student has of the round besides the scoreboard: their jail, their shots and the shots at them. */
export const MemberRound = z.object({
  round: RoundView,
  submitted: z.boolean(),
  left: z.number().int().min(0),
  fired: z.array(RoundShot),
  received: z.array(RoundShot),
});
export type MemberRound = z.infer<typeof MemberRound>;

export const RoundClientMessages = [
  // Instructors.
  z.object({
    type: z.literal('round-open'),
    requestId: RequestId,
    workshopId: WorkshopId,
    lessonId: LessonId,
    minutes: z.number().int().min(1).max(MAX_ROUND_MINUTES),
    budget: z.number().int().min(1).max(MAX_ROUND_BUDGET),
  }),
  z.object({ type: z.literal('round-end'), requestId: RequestId, workshopId: WorkshopId, roundId: RoundId }),
  z.object({ type: z.literal('round-reveal'), requestId: RequestId, workshopId: WorkshopId, roundId: RoundId }),
  z.object({ type: z.literal('round-export'), requestId: RequestId, workshopId: WorkshopId, roundId: RoundId }),
  // Students of the round's workshop.
  /** Submit a jail: the code saved for the round's lesson now (a later edit does not change it). */
  z.object({ type: z.literal('round-submit'), requestId: RequestId, roundId: RoundId }),
  /** Fire a probe at another student's submitted jail (or one picked at random); one run of the budget. */
  z.object({ type: z.literal('round-fire'), requestId: RequestId, roundId: RoundId, target: z.union([z.object({ learnerId: LearnerId }), z.object({ random: z.literal(true) })]), probe: RoundProbe }),
  /** One shot's run, whole (its replay): for its attacker and the jail's owner. */
  z.object({ type: z.literal('round-record-get'), requestId: RequestId, shotId: RoundAttackId }),
] as const;

export const RoundServerMessages = [
  z.object({ type: z.literal('round-opened'), requestId: RequestId, round: RoundView }),
  z.object({ type: z.literal('round-done'), requestId: RequestId, roundId: RoundId }),
  z.object({ type: z.literal('round-export'), requestId: RequestId, fileName: z.string(), csv: z.string() }),
  z.object({ type: z.literal('round-submitted'), requestId: RequestId, roundId: RoundId }),
  z.object({ type: z.literal('round-fired'), requestId: RequestId, shotId: RoundAttackId, target: z.string() }),
] as const;
