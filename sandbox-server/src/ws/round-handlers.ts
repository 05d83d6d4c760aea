import { attempt } from './answer-refusal.js';
import type { Handlers, SessionContext } from './session-context.js';

/** A round action: the instructor's need the token; a student's are checked by the round itself (membership). */
function answer<T extends { requestId: string; type: string }>(who: 'instructor' | 'student', handle: (msg: T, ctx: SessionContext) => Promise<void> | void): (msg: T, ctx: SessionContext) => void {
  return (msg, ctx) => {
    if (who === 'instructor' && !ctx.instructor) return ctx.error('forbidden', 'rounds are opened and ended with the instructor token', msg.requestId);
    attempt(msg, ctx, handle);
  };
}

/** Break-it rounds: the instructor runs them; students submit jails and fire probes (rounds/break-it-rounds.ts). */
export const roundHandlers: Handlers<'round-open' | 'round-end' | 'round-reveal' | 'round-export' | 'round-submit' | 'round-fire' | 'round-record-get'> = {
  'round-open': answer('instructor', (msg, ctx) => ctx.send({ type: 'round-opened', requestId: msg.requestId, round: ctx.deps.rounds.open(msg.workshopId, msg.lessonId, msg.minutes, msg.budget) })),
  'round-end': answer('instructor', (msg, ctx) => {
    ctx.deps.rounds.end(msg.workshopId, msg.roundId);
    ctx.send({ type: 'round-done', requestId: msg.requestId, roundId: msg.roundId });
  }),
  'round-reveal': answer('instructor', (msg, ctx) => {
    ctx.deps.rounds.reveal(msg.workshopId, msg.roundId);
    ctx.send({ type: 'round-done', requestId: msg.requestId, roundId: msg.roundId });
  }),
  'round-export': answer('instructor', (msg, ctx) => ctx.send({ type: 'round-export', requestId: msg.requestId, ...ctx.deps.rounds.exportCsv(msg.workshopId, msg.roundId) })),
  'round-submit': answer('student', (msg, ctx) => {
    ctx.deps.rounds.submit(ctx.learner.id, msg.roundId);
    ctx.send({ type: 'round-submitted', requestId: msg.requestId, roundId: msg.roundId });
  }),
  'round-fire': answer('student', async (msg, ctx) => {
    // A shot is a run: it counts against the same per-student run limits as Run.
    const refusal = ctx.deps.runLimits.refuse(ctx.learner.id, ctx.address, ctx.inRoom());
    if (refusal) return ctx.error('rate-limited', refusal, msg.requestId);
    ctx.send({ type: 'round-fired', requestId: msg.requestId, ...(await ctx.deps.rounds.fire(ctx.learner.id, msg.roundId, msg.target, msg.probe)) });
  }),
  'round-record-get': answer('student', (msg, ctx) => ctx.send({ type: 'run-record', requestId: msg.requestId, record: ctx.deps.rounds.record(ctx.learner.id, msg.shotId) })),
};
