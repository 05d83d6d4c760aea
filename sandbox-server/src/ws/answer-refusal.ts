import type { ErrorCode } from '@jaillab/protocol';
import { ProbeKeepError } from '../authoring/probe-authoring.js';
import { ProbeCompileError } from '../compile/probe-binaries.js';
import { RoundError } from '../rounds/break-it-rounds.js';
import { WorkshopError } from '../workshops/workshop-service.js';
import type { SessionContext } from './session-context.js';

/** The error reply for what an action refused (workshops, the probe editor, attacks, rounds); anything else is the server's fault. */
function refusal(e: unknown): { code: ErrorCode; message: string } {
  if (e instanceof WorkshopError || e instanceof RoundError) return { code: e.code as ErrorCode, message: e.message };
  if (e instanceof ProbeKeepError) return { code: e.code, message: e.message };
  if (e instanceof ProbeCompileError) return { code: 'probe-compile-error', message: e.message };
  return { code: 'internal', message: 'the server could not do that' };
}

/** Runs an action (sync or async), answering its refusal — or the server's fault, logged — on the socket. */
export function attempt<T extends { requestId: string; type: string }>(msg: T, ctx: SessionContext, handle: (msg: T, ctx: SessionContext) => Promise<void> | void): void {
  Promise.resolve()
    .then(() => handle(msg, ctx))
    .catch((e: unknown) => {
      const r = refusal(e);
      if (r.code === 'internal') ctx.deps.log(`${msg.type}: ${(e as Error).stack ?? e}`);
      ctx.error(r.code, r.message, msg.requestId);
    });
}
