import type { Handlers } from './session-context.js';

/** The interactive shell: opening one costs a VM like a run, so it draws on the same run budget. */
export const shellHandlers: Handlers<'shell-open' | 'shell-input' | 'shell-resize' | 'shell-close'> = {
  'shell-open'(msg, ctx) {
    const locked = ctx.deps.workshops.refusal(ctx.learner.id, msg.lessonId, 'run');
    if (locked) return ctx.error(locked.code, locked.message, msg.requestId);
    const refusal = ctx.deps.runLimits.refuse(ctx.learner.id, ctx.address, ctx.inRoom());
    if (refusal) return ctx.error('rate-limited', refusal, msg.requestId);
    ctx.shells.open(ctx.learner.id, msg, ctx.error);
  },
  'shell-input': (msg, ctx) => ctx.shells.control(msg, ctx.error),
  'shell-resize': (msg, ctx) => ctx.shells.control(msg, ctx.error),
  'shell-close': (msg, ctx) => ctx.shells.control(msg, ctx.error),
};
