import { z } from 'zod';
import { LessonId, ProbeId } from './ids.js';
import { Diagnostic } from './run-events.js';
import { Source } from './source.js';

/**
 * The room attacks (issue #26): an instructor writes a probe in the browser,
 * tries it against a lesson's programs, keeps it as a probe folder under
 * lessons/probes/, and fires it (or any library probe) at every student's
 * jail in a workshop. Each student's run is a run like any other — a fresh VM,
 * the same limits — that waits below every student's own Run in the queue.
 */

const RequestId = z.string().min(1).max(64);
const WorkshopId = z.string().regex(/^w_[A-Za-z0-9_-]{6,32}$/);
const LearnerId = z.string().min(1).max(64);
export const AttackId = z.string().regex(/^a_[A-Za-z0-9_-]{8,32}$/).describe('server-issued id of one probe fired at one room');
export type AttackId = z.infer<typeof AttackId>;

/** A probe written in the browser: what becomes `probe.c` and `probe.md` when it is kept. */
export const ProbeDraft = z.object({
  /** The probe folder's name, and its id in a lesson's `probes`. */
  id: ProbeId.max(40).describe('the probe folder name under lessons/probes/: lowercase words joined by -'),
  title: z.string().transform((s) => s.trim()).pipe(z.string().min(1, 'give the probe a title').max(80)).describe('short name of the technique'),
  /** The paragraph learners read when the probe breaks out (probe.md's body); its first sentence is the summary. */
  explanation: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'explain in a paragraph what the probe tries and why it works').max(4000))
    .describe('one paragraph for learners: what the probe tries, and why it works on a weak jail'),
  source: Source.describe('probe.c: it may #include "probe.h"'),
});
export type ProbeDraft = z.infer<typeof ProbeDraft>;

/** One helper of probe.h, documented from its own comment, for the probe editor's reference panel. */
export const ProbeHelper = z.object({
  name: z.string(),
  /** The declaration as probe.h writes it, e.g. `static void probe_escaped(const char *how)`. */
  signature: z.string(),
  doc: z.string(),
});
export type ProbeHelper = z.infer<typeof ProbeHelper>;

export const LibraryProbe = z.object({
  id: ProbeId,
  title: z.string(),
  summary: z.string(),
  kind: z.enum(['escape', 'service']),
  /** probe.c, for the editor ("start from this one"). */
  source: z.string(),
});
export type LibraryProbe = z.infer<typeof LibraryProbe>;

/** What a verdict of one student's jail against a fired probe is. */
export const AttackVerdict = z
  .enum(['pending', 'escaped', 'contained', 'no-code', 'error'])
  .describe('pending: not run yet; escaped/contained: the probe broke out of the jail, or did not; no-code: nothing saved (or passed) in that lesson; error: the jail did not compile, or the run failed');
export type AttackVerdict = z.infer<typeof AttackVerdict>;

export const AttackCodeChoice = z.enum(['latest', 'last-passing']).describe("which of a student's programs the probe is fired at: their latest saved code, or the code of their last passing run");
export type AttackCodeChoice = z.infer<typeof AttackCodeChoice>;

/** One fired probe, as the instructor's dashboard shows it: a column of the room grid. */
export const AttackColumn = z.object({
  id: AttackId,
  lessonId: LessonId,
  probeId: ProbeId,
  probeTitle: z.string(),
  firedAt: z.string(),
  code: AttackCodeChoice,
  /** Whether students see the probe's source with their result. */
  showSource: z.boolean(),
  results: z.array(z.object({ learnerId: LearnerId, verdict: AttackVerdict, reason: z.string() })),
});
export type AttackColumn = z.infer<typeof AttackColumn>;

/** What a student sees of a probe their instructor fired at their jail. */
export const MemberAttack = z.object({
  id: AttackId,
  lessonId: LessonId,
  probeTitle: z.string(),
  firedAt: z.string(),
  verdict: AttackVerdict,
  reason: z.string(),
  /** The probe's explanation (what it tries), always shown. */
  explanation: z.string(),
  /** probe.c, only once the instructor chose to show it. */
  source: z.string().nullable(),
});
export type MemberAttack = z.infer<typeof MemberAttack>;

/** What lessons:check says of one lesson, run from the probe editor: starter breaks as declared, solution holds. */
export const LessonCheckReport = z.object({
  lessonId: LessonId,
  ok: z.boolean(),
  problems: z.array(z.string()),
  programs: z.array(
    z.object({
      program: z.enum(['starter', 'solution']),
      checks: z.array(z.object({ probe: z.string(), verdict: z.string(), expected: z.string(), reason: z.string() })),
    }),
  ),
});
export type LessonCheckReport = z.infer<typeof LessonCheckReport>;

/** Which probe to fire: one of the library's, or a draft straight from the editor (compiled first). */
export const FiredProbe = z.union([z.object({ probeId: ProbeId }), z.object({ draft: ProbeDraft })]);
export type FiredProbe = z.infer<typeof FiredProbe>;

export const AttackClientMessages = [
  // Instructors only (the socket said hello with the instructor token).
  /** The library's probes and probe.h's helpers, for the probe editor. */
  z.object({ type: z.literal('probe-library-get'), requestId: RequestId }),
  /** Compile a probe as the runs would (with probe.h), for gcc's diagnostics as editor markers. */
  z.object({ type: z.literal('probe-compile'), requestId: RequestId, source: Source }),
  /**
   * Keep a probe: written as lessons/probes/<id>/probe.c + probe.md and checked by the loader; optionally
   * added to a lesson's probes (and its starterEscapes when the starter is meant to fall to it).
   */
  z.object({
    type: z.literal('probe-keep'),
    requestId: RequestId,
    draft: ProbeDraft,
    /** Replace a probe folder of that name (else keeping over an existing probe is refused). */
    replace: z.boolean().optional(),
    addTo: z.object({ lessonId: LessonId, starterFalls: z.boolean() }).optional(),
  }),
  /** lessons:check for one lesson, run here: its starter and its solution against every check. */
  z.object({ type: z.literal('lesson-check'), requestId: RequestId, lessonId: LessonId }),
  /** Fire a probe at every student's jail for a lesson in a workshop. */
  z.object({
    type: z.literal('attack-fire'),
    requestId: RequestId,
    workshopId: WorkshopId,
    lessonId: LessonId,
    probe: FiredProbe,
    code: AttackCodeChoice,
    showSource: z.boolean(),
  }),
  z.object({ type: z.literal('attack-show-source'), requestId: RequestId, workshopId: WorkshopId, attackId: AttackId, show: z.boolean() }),
  /** One student's run against a fired probe, whole (for its replay): the instructor names the student; a student gets their own. */
  z.object({ type: z.literal('attack-record-get'), requestId: RequestId, attackId: AttackId, learnerId: LearnerId.optional() }),
] as const;

export const AttackServerMessages = [
  z.object({ type: z.literal('probe-library'), requestId: RequestId, header: z.string(), helpers: z.array(ProbeHelper), probes: z.array(LibraryProbe) }),
  z.object({ type: z.literal('probe-compiled'), requestId: RequestId, ok: z.boolean(), diagnostics: z.array(Diagnostic), text: z.string() }),
  z.object({
    type: z.literal('probe-kept'),
    requestId: RequestId,
    probeId: ProbeId,
    /** The files written, relative to the lessons directory. */
    files: z.array(z.string()),
    /** The lesson it was added to, if any. */
    lessonId: LessonId.nullable(),
  }),
  z.object({ type: z.literal('lesson-checked'), requestId: RequestId, report: LessonCheckReport }),
  z.object({ type: z.literal('attack-fired'), requestId: RequestId, attackId: AttackId, students: z.number().int().min(0) }),
  z.object({ type: z.literal('attack-source-shown'), requestId: RequestId, attackId: AttackId, show: z.boolean() }),
] as const;
