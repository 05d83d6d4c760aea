import type { Handlers } from './session-context.js';

/**
 * The learner's saved code, progress and hints, over the socket. The learner is
 * the socket's (from `hello`): there is no way to name another learner here.
 */
export const workspaceHandlers: Handlers<'lesson-state-get' | 'code-save' | 'progress-get' | 'hint-reveal'> = {
  'progress-get'(msg, ctx) {
    ctx.send({ type: 'progress', requestId: msg.requestId, lessons: ctx.deps.store.progress(ctx.learner.id) });
  },

  'lesson-state-get'(msg, ctx) {
    const { store, catalog } = ctx.deps;
    const lesson = catalog.get(msg.lessonId);
    if (!lesson) return ctx.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`, msg.requestId);
    const learnerId = ctx.learner.id;
    ctx.send({
      type: 'lesson-state',
      requestId: msg.requestId,
      lessonId: lesson.id,
      code: store.code(learnerId, lesson.id),
      status: store.progress(learnerId)[lesson.id] ?? 'not-started',
      hintsRevealed: store.hintsRevealed(learnerId, lesson.id).filter((i) => i < lesson.meta.hints.length),
      lastRun: store.lastRun(learnerId, lesson.id),
    });
  },

  'code-save'(msg, ctx) {
    const { store, catalog } = ctx.deps;
    const lesson = catalog.get(msg.lessonId);
    if (!lesson) return ctx.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`);
    // A save older than what the server holds is not an error: another tab was later. Either way the
    // reply carries the edit time now stored, so the browser knows whether its version is the server's.
    const kept = store.saveCode(ctx.learner.id, lesson.id, msg.code.source, msg.code.editedAt);
    const editedAt = kept ? Math.floor(msg.code.editedAt) : (store.code(ctx.learner.id, lesson.id)?.editedAt ?? msg.code.editedAt);
    ctx.send({ type: 'code-saved', lessonId: lesson.id, editedAt });
  },

  'hint-reveal'(msg, ctx) {
    const lesson = ctx.deps.catalog.get(msg.lessonId);
    if (!lesson) return ctx.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`);
    if (msg.index >= lesson.meta.hints.length) return;
    ctx.deps.store.revealHint(ctx.learner.id, lesson.id, msg.index);
  },
};
