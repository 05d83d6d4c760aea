import { z } from 'zod';
import { Accelerator, LessonId } from './ids.js';
import { Source } from './source.js';

/**
 * The interactive shell: a busybox shell in a fresh VM where the learner's
 * program (/usr/local/sbin/jailer) and the lesson's jail tree (/jail) are in
 * place. Output travels as binary frames of kind `shellOutput` on the shell's
 * channel, with the same flow control (acks) as run output.
 */

const RequestId = z.string().min(1).max(64);
const Channel = z.number().int().min(0);
const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(2).max(500);

export const ShellClientMessages = [
  z.object({ type: z.literal('shell-open'), requestId: RequestId, lessonId: LessonId, source: Source, cols: Cols, rows: Rows }),
  /** Keystrokes, as the terminal produced them. */
  z.object({ type: z.literal('shell-input'), channel: Channel, data: z.string().min(1).max(16 * 1024) }),
  z.object({ type: z.literal('shell-resize'), channel: Channel, cols: Cols, rows: Rows }),
  z.object({ type: z.literal('shell-close'), channel: Channel }),
] as const;

export const ShellCloseReason = z.enum(['exited', 'idle', 'closed', 'vm-fault', 'replaced', 'server-stopping']);
export type ShellCloseReason = z.infer<typeof ShellCloseReason>;

export const ShellServerMessages = [
  /** Progress while the shell is being prepared (compile, waiting for a VM). */
  z.object({ type: z.literal('shell-status'), requestId: RequestId, message: z.string() }),
  z.object({ type: z.literal('shell-opened'), requestId: RequestId, channel: Channel, accelerator: Accelerator, idleTimeoutMs: z.number().int().min(0) }),
  z.object({ type: z.literal('shell-closed'), channel: Channel, reason: ShellCloseReason, message: z.string() }),
] as const;
