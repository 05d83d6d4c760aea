import { ProbeCompileError } from '../compile/probe-binaries.js';
import type { Handlers } from './session-context.js';

/** Starting, watching and cancelling runs. A learner only ever sees their own runs. */
export const runHandlers: Handlers<'run' | 'watch' | 'cancel'> = {
  run(msg, ctx) {
    const lesson = ctx.deps.catalog.get(msg.lessonId);
    if (!lesson) return ctx.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`, msg.requestId);
    const locked = ctx.deps.workshops.refusal(ctx.learner.id, lesson.id, 'run');
    if (locked) return ctx.error(locked.code, locked.message, msg.requestId);
    const refusal = ctx.deps.runLimits.refuse(ctx.learner.id, ctx.address, ctx.inRoom());
    if (refusal) return ctx.error('rate-limited', refusal, msg.requestId);
    const options = { trace: msg.trace };
    if (!msg.extraProbes?.length) return ctx.watch(ctx.deps.runs.start(ctx.learner.id, lesson, msg.source, lesson.checks, options), msg.requestId);
    if (!ctx.instructor) return ctx.error('forbidden', 'extra probes are for instructors', msg.requestId);
    void ctx.deps.runs.startWithExtraProbes(ctx.learner.id, lesson, msg.source, msg.extraProbes, { ...options, only: msg.extraProbesOnly === true }).then(
      (run) => ctx.watch(run, msg.requestId),
      (e: Error) => ctx.error(e instanceof ProbeCompileError ? 'probe-compile-error' : 'internal', e.message, msg.requestId),
    );
  },

  watch(msg, ctx) {
    const run = ctx.deps.runs.get(msg.runId);
    // Instructors drop in on a workshop student's run; otherwise a run is its learner's only.
    const mayWatch = run && (run.learnerId === ctx.learner.id || (ctx.instructor && ctx.deps.workshops.store.membershipOf(run.learnerId) !== null));
    if (run && mayWatch) return ctx.watch(run, msg.requestId);
    // Not in memory: a run the last shutdown cut off says so (its log is gone; the code is saved).
    if (ctx.deps.store.runOutcome(ctx.learner.id, msg.runId)?.outcome === 'interrupted')
      return ctx.error('run-interrupted', 'This run was interrupted: the server restarted while it was in progress. Your code is safe; press Run again.', msg.requestId);
    ctx.error('unknown-run', 'no such run (it may have expired)', msg.requestId);
  },

  cancel(msg, ctx) {
    const run = ctx.deps.runs.get(msg.runId);
    // A probe the instructor fired at this learner's jail is not theirs to call off.
    if (run && run.learnerId === ctx.learner.id && !run.detached) ctx.deps.runs.cancel(run.id);
  },
};
