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

const RequestId = z.string().min(1).max(64).describe('a client-chosen correlation id, echoed in replies');

export const LearnerToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{32,64}$/)
  .describe('the anonymous learner\'s secret, kept in the browser\'s localStorage');

export { isSourceTooLargeIssue, Source, utf8Length } from './source.js';

// Never sent to a learner's browser.
export const InstructorToken = z.string().min(16).max(256).describe('the server\'s instructor secret (JAILLAB_INSTRUCTOR_TOKEN)');

export const ExtraProbe = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'a probe name is lowercase words joined by -').describe('the probe\'s name'),
    title: z.string().max(80).optional().describe('what the verdict list calls it (the name when absent)'),
    source: Source.describe('the probe\'s C source'),
  })
  .describe('a probe an instructor is trying out before it is in a lesson (`jaillab run --probe file.c`)');
export type ExtraProbe = z.infer<typeof ExtraProbe>;

export const ClientMessage = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('hello').describe('message type'),
        learnerToken: LearnerToken.optional().describe('the learner this browser is (absent: make a new one)'),
        instructorToken: InstructorToken.optional().describe('present to be an instructor'),
      })
      .describe('first message on every socket: who am I (or make me someone new)'),
    z
      .object({
        type: z.literal('run').describe('message type'),
        requestId: RequestId,
        lessonId: LessonId.describe('the lesson whose checks to run'),
        source: Source.describe('the learner\'s C source'),
        extraProbes: z.array(ExtraProbe).max(8).optional().describe('instructors only: extra escape probes run after the lesson\'s own'),
        extraProbesOnly: z
          .boolean()
          .optional()
          .describe('instructors trying a probe: run only the extra probes, not the lesson\'s own checks'),
        trace: z.boolean().optional().describe('record the escape replay of every check (and check it against POS05-C). Absent: on'),
      })
      .describe('compile the source and run the lesson\'s checks against it'),
    z
      .object({ type: z.literal('cancel').describe('message type'), runId: RunId.describe('the run to stop') })
      .describe('stop a run'),
    z
      .object({ type: z.literal('watch').describe('message type'), requestId: RequestId, runId: RunId.describe('the run to watch') })
      .describe('watch an existing run from its first event (after a reconnect, or from another tab)'),
    z
      .object({
        type: z.literal('ack').describe('message type'),
        bytes: z.number().int().min(0).max(1 << 30).describe('output bytes written to the terminal since the last ack'),
      })
      .describe('flow control: this many output bytes have been written to the terminal'),
    // A socket that sends nothing for SOCKET_IDLE_TIMEOUT_MS is closed.
    z.object({ type: z.literal('heartbeat').describe('message type') }).describe('keeps a quiet socket open; never answered'),
    ...WorkspaceClientMessages,
    ...ShellClientMessages,
    ...WorkshopClientMessages,
    ...AttackClientMessages,
    ...RoundClientMessages,
  ])
  .describe('a JSON control message from the browser to the server');
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
]).describe('what went wrong, for a client to act on (the message says it in words)');
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ServerLimits = z
  .object({
    maxSourceBytes: z.number().describe('the largest source a run may send (UTF-8 bytes)'),
    wallTimeMsPerCheck: z.number().describe('wall-clock limit for one check (milliseconds)'),
    memoryBytes: z.number().describe('memory limit for the jail program and everything it starts'),
    processes: z.number().describe('how many processes the jail program may have at once'),
    outputBytesPerCheck: z.number().describe('output one check may print before it is stopped'),
  })
  .describe('the limits this server runs programs under');
export type ServerLimits = z.infer<typeof ServerLimits>;

const Channel = z.number().int().min(0).describe('the run\'s channel on this socket (its run-accepted\'s)');

export const ServerMessage = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('welcome').describe('message type'),
        learnerId: z.string().describe('the learner this socket is'),
        learnerToken: LearnerToken.optional().describe('only sent when the server created a new learner: the browser must keep it'),
        instructor: z.boolean().describe('the socket is an instructor\'s'),
        accelerator: Accelerator.nullable().describe('how this server\'s VMs run (null: not known, e.g. no runner is up yet)'),
        limits: ServerLimits,
        // So the room's shared address never counts this learner's sockets (door.ts).
        doorPass: DoorPass.optional().describe(
          'for a member of a workshop in progress, and an instructor: the pass to present at the next upgrade. Keep it beside the token',
        ),
      })
      .describe('the answer to hello: who this socket is, and what the server offers'),
    z
      .object({
        type: z.literal('run-accepted').describe('message type'),
        requestId: RequestId,
        runId: RunId.describe('the run'),
        channel: z.number().int().min(0).describe('the number its run-event messages and binary output frames are tagged with'),
      })
      .describe('a run this socket asked for (or watches) got a channel number'),
    z
      .object({
        type: z.literal('run-event').describe('message type'),
        channel: Channel,
        seq: z.number().int().min(0).describe('the event\'s place in its run, from 0'),
        event: RunEvent,
      })
      .describe('one event of a run on a channel'),
    z
      .object({
        type: z.literal('error').describe('message type'),
        requestId: RequestId.optional().describe('the request it answers, if it answers one'),
        code: ErrorCode,
        message: z.string().describe('what went wrong, in a sentence'),
      })
      .describe('a request refused or failed'),
    ...WorkspaceServerMessages,
    ...ShellServerMessages,
    ...WorkshopServerMessages,
    ...AttackServerMessages,
    ...RoundServerMessages,
  ])
  .describe('a JSON control message from the server to the browser');
export type ServerMessage = z.infer<typeof ServerMessage>;
