import { Accelerator } from '@jaillab/protocol';
import { z } from 'zod';
import { TerminalSize } from '../shell-job.js';
import { RunnerHello } from './stream-codec.js';

/**
 * The two Redis streams of a remote shell. Output (runner → server): who took
 * it, progress while it is prepared, that it is open, the pty's bytes, and how
 * it ended or why it could not start. Input (server → runner): keystrokes,
 * window sizes and the close. Both ends validate every entry: a runner is
 * trusted to run jobs, not to send arbitrary messages to browsers, and a
 * runner takes from Redis only what a shell may be sent.
 */
const MAX_MESSAGE = 64 << 10;
/** One entry of keystrokes: what the browser may send in one message (shell-messages.ts), in UTF-8. */
export const MAX_INPUT_BYTES = 64 << 10;

const ShellNotice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('taken'), by: RunnerHello }),
  z.object({ kind: z.literal('status'), message: z.string().max(MAX_MESSAGE) }),
  z.object({ kind: z.literal('opened'), accelerator: Accelerator }),
  z.object({ kind: z.literal('ended'), reason: z.enum(['exited', 'vm-fault', 'server-stopping']), message: z.string().max(MAX_MESSAGE) }),
  /** It never opened: the program did not compile (`compile`), or the VM could not be had (`failed`). */
  z.object({ kind: z.literal('refused'), why: z.enum(['compile', 'failed']), message: z.string().max(MAX_MESSAGE) }),
]);
type ShellNotice = z.infer<typeof ShellNotice>;

export type ShellOutputEntry = ShellNotice | { kind: 'output'; data: Buffer };

const ShellControl = z.discriminatedUnion('kind', [z.object({ kind: z.literal('resize'), size: TerminalSize }), z.object({ kind: z.literal('close') })]);
type ShellControl = z.infer<typeof ShellControl>;

export type ShellInputEntry = ShellControl | { kind: 'input'; data: Buffer };

export class ShellEntryError extends Error {}

/** Flat field lists for XADD: bytes as they are (field `d`), anything else as JSON (field `n`). */
export function encodeShellOutput(e: ShellOutputEntry): Array<string | Buffer> {
  return e.kind === 'output' ? ['d', e.data] : ['n', JSON.stringify(e)];
}

export function encodeShellInput(e: ShellInputEntry): Array<string | Buffer> {
  return e.kind === 'input' ? ['d', e.data] : ['n', JSON.stringify(e)];
}

export function decodeShellOutput(fields: Buffer[]): ShellOutputEntry {
  const data = field(fields, 'd');
  if (data) return { kind: 'output', data };
  return parseNotice(ShellNotice, field(fields, 'n'), 'a runner sent a shell entry of no known kind');
}

export function decodeShellInput(fields: Buffer[]): ShellInputEntry {
  const data = field(fields, 'd');
  if (data) {
    if (data.byteLength > MAX_INPUT_BYTES) throw new ShellEntryError('more keystrokes in one entry than a browser may send');
    return { kind: 'input', data };
  }
  return parseNotice(ShellControl, field(fields, 'n'), 'the server sent a shell control of no known kind');
}

function parseNotice<T>(schema: z.ZodType<T>, raw: Buffer | undefined, why: string): T {
  if (!raw) throw new ShellEntryError(why);
  const parsed = schema.safeParse(safeJson(raw));
  if (!parsed.success) throw new ShellEntryError(`${why}: ${parsed.error.issues[0]?.message ?? '?'}`);
  return parsed.data;
}

function field(fields: Buffer[], name: string): Buffer | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.toString() === name) return fields[i + 1];
  return undefined;
}

function safeJson(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
}
