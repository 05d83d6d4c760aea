import { z } from 'zod';
import { LessonId, RunId } from './ids.js';
import { RunEvent } from './run-events.js';
import { Source } from './source.js';

/**
 * The learner's workspace over the socket: code saved on the server, progress
 * per lesson, hints revealed. Everything here is per learner (the socket's
 * `hello` says who); a learner can only ever read and write their own.
 */

const RequestId = z.string().min(1).max(64);

/** not-started: never run; in-progress: run, not yet passed; passed: a run had every probe contained and every service check pass. */
export const LessonStatus = z.enum(['not-started', 'in-progress', 'passed']);
export type LessonStatus = z.infer<typeof LessonStatus>;

/** Milliseconds since the epoch, as the browser's clock saw the edit. */
const EditTime = z.number().int().min(0).max(8.64e15);

export const SavedCode = z.object({
  source: z.string(),
  /** When the learner made this version (their browser's clock): reconciling picks the newest. */
  editedAt: EditTime,
});
export type SavedCode = z.infer<typeof SavedCode>;

/** The last run the server knows of for a lesson (it survives a server restart; its log does not). */
export const LastRunInfo = z.object({
  runId: RunId,
  outcome: z.string().nullable(),
  createdAt: z.string(),
});
export type LastRunInfo = z.infer<typeof LastRunInfo>;

/**
 * A finished run as the server keeps it: every event and the output of each check, so a reload, another
 * device or an instructor dropping in sees the run as it was, after the run's live log is gone.
 */
export const RunRecord = z.object({
  runId: RunId,
  lessonId: LessonId,
  createdAt: z.string(),
  /** sha256 of the source the run compiled: the browser can tell whether the code changed since. */
  sourceSha256: z.string(),
  /** The learner had looked at the lesson's solution before this run. */
  solutionShown: z.boolean(),
  events: z.array(RunEvent),
  /** Output per check (base64), as the terminal showed it. */
  output: z.array(z.object({ checkIndex: z.number().int().min(0), data: z.string() })),
});
export type RunRecord = z.infer<typeof RunRecord>;

export const WorkspaceClientMessages = [
  /** Everything the server keeps for one lesson: code, status, hints revealed, last run. */
  z.object({ type: z.literal('lesson-state-get'), requestId: RequestId, lessonId: LessonId }),
  /** Debounced by the browser. Bounded like a run's source, so a save always fits in one socket message. */
  z.object({ type: z.literal('code-save'), lessonId: LessonId, code: SavedCode.extend({ source: Source }) }),
  z.object({ type: z.literal('progress-get'), requestId: RequestId }),
  /** The learner opened hint number `index` (0-based, in the lesson's order). */
  z.object({ type: z.literal('hint-reveal'), lessonId: LessonId, index: z.number().int().min(0).max(64) }),
  /** The lesson's solution (compare, use): recorded, so a pass after it reads "passed with the solution". */
  z.object({ type: z.literal('solution-get'), requestId: RequestId, lessonId: LessonId }),
  /** The last finished run of a lesson as the server keeps it (an instructor may name a member of their workshop). */
  z.object({ type: z.literal('run-record-get'), requestId: RequestId, lessonId: LessonId, learnerId: z.string().min(1).max(64).optional() }),
] as const;

export const WorkspaceServerMessages = [
  z.object({
    type: z.literal('lesson-state'),
    requestId: RequestId,
    lessonId: LessonId,
    code: SavedCode.nullable(),
    status: LessonStatus,
    /** Which hints (indexes in the lesson's list) the learner has revealed. */
    hintsRevealed: z.array(z.number().int().min(0)),
    lastRun: LastRunInfo.nullable(),
  }),
  z.object({ type: z.literal('code-saved'), lessonId: LessonId, editedAt: EditTime }),
  /** Sent on request, and pushed whenever a run of this learner finishes. */
  z.object({
    type: z.literal('progress'),
    requestId: RequestId.optional(),
    lessons: z.record(z.string(), LessonStatus),
    /** Passed lessons whose first pass came after the learner had looked at the solution. */
    withSolution: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('solution'), requestId: RequestId, lessonId: LessonId, fileName: z.string(), source: z.string() }),
  z.object({ type: z.literal('run-record'), requestId: RequestId, record: RunRecord.nullable() }),
] as const;
