import type { LessonStatus } from '@jaillab/protocol';
import type { Handlers } from './session-context.js';

/**
 * The learner's saved code, progress and hints, over the socket. The learner is
 * the socket's (from `hello`): there is no way to name another learner here.
 */
export const workspaceHandlers: Handlers<'lesson-state-get' | 'code-save' | 'progress-get' | 'hint-reveal' | 'solution-get' | 'run-record-get'> = {
  'progress-get'(msg, ctx) {
    ctx.send({ type: 'progress', requestId: msg.requestId, ...progressOf(ctx) });
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
    const ended = ctx.deps.workshops.refusal(ctx.learner.id, lesson.id, 'save');
    if (ended) return ctx.error(ended.code, ended.message);
    // A save older than what the server holds is not an error: another tab was later. Either way the
    // reply carries the edit time now stored, so the browser knows whether its version is the server's.
    const kept = store.saveCode(ctx.learner.id, lesson.id, msg.code.source, msg.code.editedAt);
    const editedAt = kept ? Math.floor(msg.code.editedAt) : (store.code(ctx.learner.id, lesson.id)?.editedAt ?? msg.code.editedAt);
    ctx.send({ type: 'code-saved', lessonId: lesson.id, editedAt });
    if (kept) ctx.deps.workshops.codeSaved(ctx.learner.id, lesson.id, msg.code.source);
  },

  'hint-reveal'(msg, ctx) {
    const lesson = ctx.deps.catalog.get(msg.lessonId);
    if (!lesson) return ctx.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`);
    if (msg.index >= lesson.meta.hints.length) return;
    ctx.deps.store.revealHint(ctx.learner.id, lesson.id, msg.index);
  },

  'solution-get'(msg, ctx) {
    const lesson = ctx.deps.catalog.get(msg.lessonId);
    if (!lesson) return ctx.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`, msg.requestId);
    // A locked lesson's solution is as locked as its Run button.
    const locked = ctx.deps.workshops.refusal(ctx.learner.id, lesson.id, 'solution');
    if (locked) return ctx.error(locked.code, locked.message, msg.requestId);
    // Recorded before it is sent: a pass after this is a pass with the solution.
    ctx.deps.store.recordSolutionView(ctx.learner.id, lesson.id);
    ctx.send({ type: 'solution', requestId: msg.requestId, lessonId: lesson.id, fileName: lesson.starterFileName, source: lesson.solution });
  },

  'run-record-get'(msg, ctx) {
    const learnerId = msg.learnerId ?? ctx.learner.id;
    // Another learner's record is for an instructor dropping in on a workshop student only.
    if (learnerId !== ctx.learner.id && !(ctx.instructor && ctx.deps.workshops.store.membershipOf(learnerId)))
      return ctx.error('forbidden', 'that run is not yours to see', msg.requestId);
    ctx.send({ type: 'run-record', requestId: msg.requestId, record: ctx.deps.store.runRecord(learnerId, msg.lessonId) });
  },
};

/** The learner's progress, with the lessons passed only after looking at the solution. */
export function progressOf(ctx: { learner: { id: string }; deps: { store: { progress(id: string): Record<string, LessonStatus>; passedWithSolution(id: string): string[] } } }): { lessons: Record<string, LessonStatus>; withSolution: string[] } {
  return { lessons: ctx.deps.store.progress(ctx.learner.id), withSolution: ctx.deps.store.passedWithSolution(ctx.learner.id) };
}
