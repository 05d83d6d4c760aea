import { z } from 'zod';
import { AttackClientMessages, AttackServerMessages } from './attack-messages.js';
import { RoundClientMessages, RoundServerMessages } from './round-messages.js';
import { DoorPass } from './door.js';
import { Accelerator, LessonId, RunId } from './ids.js';
import { RunEvent } from './run-events.js';
import { ShellClientMessages, ShellServerMessages } from './shell-messages.js';
import { Source } from './source.js';
import { WorkspaceClientMessages, WorkspaceServerMessages } from './workspace-messages.js';
import { WorkshopClientMessages, WorkshopServerMessages } from './workshop-messages.js';

/**
 * JSON control messages on the one WebSocket each browser tab opens.
 * Both ends parse with these schemas; anything else is answered with an
 * `error` message and never crashes either side.
 */

/** Client-chosen correlation id, echoed in replies. */
const RequestId = z.string().min(1).max(64);

/** The anonymous learner's secret, kept in the browser's localStorage. */
export const LearnerToken = z.string().regex(/^[A-Za-z0-9_-]{32,64}$/);

export { isSourceTooLargeIssue, Source, utf8Length } from './source.js';

/** The server's instructor secret (JAILLAB_INSTRUCTOR_TOKEN): never sent to a learner's browser. */
export const InstructorToken = z.string().min(16).max(256);

/** A probe an instructor is trying out before it is in a lesson (`jaillab run --probe file.c`). */
export const ExtraProbe = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'a probe name is lowercase words joined by -'),
  /** What the verdict list calls it (the name when absent). */
  title: z.string().max(80).optional(),
  source: Source,
});
export type ExtraProbe = z.infer<typeof ExtraProbe>;

export const ClientMessage = z.discriminatedUnion('type', [
  /** First message on every socket: who am I (or make me someone new). */
  z.object({ type: z.literal('hello'), learnerToken: LearnerToken.optional(), instructorToken: InstructorToken.optional() }),
  z.object({
    type: z.literal('run'),
    requestId: RequestId,
    lessonId: LessonId,
    source: Source,
    /** Instructors only: extra escape probes run after the lesson's own. */
    extraProbes: z.array(ExtraProbe).max(8).optional(),
    /** Instructors trying a probe: run only the extra probes, not the lesson's own checks. */
    extraProbesOnly: z.boolean().optional(),
    /** Record the escape replay of every check (and check it against POS05-C). Absent: on. */
    trace: z.boolean().optional(),
  }),
  z.object({ type: z.literal('cancel'), runId: RunId }),
  /** Watch an existing run from its first event (after a reconnect, or from another tab). */
  z.object({ type: z.literal('watch'), requestId: RequestId, runId: RunId }),
  /** Flow control: this many output bytes have been written to the terminal. */
  z.object({ type: z.literal('ack'), bytes: z.number().int().min(0).max(1 << 30) }),
  /** Keeps a quiet socket open (one that sends nothing for SOCKET_IDLE_TIMEOUT_MS is closed); never answered. */
  z.object({ type: z.literal('heartbeat') }),
  ...WorkspaceClientMessages,
  ...ShellClientMessages,
  ...WorkshopClientMessages,
  ...AttackClientMessages,
  ...RoundClientMessages,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ErrorCode = z.enum([
  'bad-message',
  'not-hello',
  'unknown-lesson',
  'unknown-run',
  'forbidden',
  'probe-compile-error',
  'source-too-large',
  'busy',
  /** The server does not offer this. */
  'unavailable',
  'rate-limited',
  'internal',
  /** The run was in progress when the server stopped: it was cut off (the learner's code is kept). */
  'run-interrupted',
  'compile-error',
  'unknown-shell',
  /** Workshops: no such workshop (or join code), a name another member has, a workshop that has ended, a locked lesson. */
  'unknown-workshop',
  'name-taken',
  'workshop-ended',
  'lesson-locked',
  /** The workshop has as many students as its instructor allowed. */
  'workshop-full',
  /** A probe folder of that name exists already (keep it under another name, or say to replace it). */
  'probe-exists',
  /** The lessons loader refused what a kept probe would make (nothing was kept); the message lists its problems. */
  'content-refused',
  /** Break-it rounds: the round is over (or not open), or this student has fired all the runs of their budget. */
  'round-closed',
  'budget-spent',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ServerLimits = z.object({
  maxSourceBytes: z.number(),
  wallTimeMsPerCheck: z.number(),
  memoryBytes: z.number(),
  processes: z.number(),
  outputBytesPerCheck: z.number(),
});
export type ServerLimits = z.infer<typeof ServerLimits>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    learnerId: z.string(),
    /** Only sent when the server created a new learner: the browser must keep it. */
    learnerToken: LearnerToken.optional(),
    instructor: z.boolean(),
    accelerator: Accelerator.nullable(),
    limits: ServerLimits,
    /**
     * For a member of a workshop in progress, and an instructor: the pass to present at the next upgrade
     * (door.ts), so the room's shared address never counts this learner's sockets. Keep it beside the token.
     */
    doorPass: DoorPass.optional(),
  }),
  /**
   * A run this socket asked for (or watches) got a channel number: its events
   * arrive as `run-event` messages and its output as binary frames tagged with it.
   */
  z.object({ type: z.literal('run-accepted'), requestId: RequestId, runId: RunId, channel: z.number().int().min(0) }),
  z.object({ type: z.literal('run-event'), channel: z.number().int().min(0), seq: z.number().int().min(0), event: RunEvent }),
  z.object({ type: z.literal('error'), requestId: RequestId.optional(), code: ErrorCode, message: z.string() }),
  ...WorkspaceServerMessages,
  ...ShellServerMessages,
  ...WorkshopServerMessages,
  ...AttackServerMessages,
  ...RoundServerMessages,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
