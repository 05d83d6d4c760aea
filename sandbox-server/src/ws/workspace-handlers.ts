import type { ClientMessage, ServerMessage } from '@jaillab/protocol';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { Store } from '../store/store.js';

type WorkspaceMessage = Extract<ClientMessage, { type: 'lesson-state-get' | 'code-save' | 'progress-get' | 'hint-reveal' }>;

export const WORKSPACE_MESSAGE_TYPES: ReadonlySet<string> = new Set(['lesson-state-get', 'code-save', 'progress-get', 'hint-reveal']);

export function isWorkspaceMessage(msg: ClientMessage): msg is WorkspaceMessage {
  return WORKSPACE_MESSAGE_TYPES.has(msg.type);
}

interface Deps {
  store: Store;
  catalog: LessonCatalog;
  send(msg: ServerMessage): void;
  error(code: 'unknown-lesson', message: string, requestId?: string): void;
}

/**
 * The learner's saved code, progress and hints, over the socket. The learner is
 * the socket's (from `hello`): there is no way to name another learner here.
 */
export function handleWorkspaceMessage(learnerId: string, msg: WorkspaceMessage, d: Deps): void {
  if (msg.type === 'progress-get') return d.send({ type: 'progress', requestId: msg.requestId, lessons: d.store.progress(learnerId) });
  const lesson = d.catalog.get(msg.lessonId);
  if (!lesson) return d.error('unknown-lesson', `there is no lesson "${msg.lessonId}"`, 'requestId' in msg ? msg.requestId : undefined);
  switch (msg.type) {
    case 'lesson-state-get':
      return d.send({
        type: 'lesson-state',
        requestId: msg.requestId,
        lessonId: lesson.id,
        code: d.store.code(learnerId, lesson.id),
        status: d.store.progress(learnerId)[lesson.id] ?? 'not-started',
        hintsRevealed: d.store.hintsRevealed(learnerId, lesson.id).filter((i) => i < lesson.meta.hints.length),
        lastRun: d.store.lastRun(learnerId, lesson.id),
      });
    case 'code-save': {
      // A save older than what the server holds is not an error: another tab was later. Either way the
      // reply carries the edit time now stored, so the browser knows whether its version is the server's.
      const kept = d.store.saveCode(learnerId, lesson.id, msg.code.source, msg.code.editedAt);
      const editedAt = kept ? Math.floor(msg.code.editedAt) : (d.store.code(learnerId, lesson.id)?.editedAt ?? msg.code.editedAt);
      return d.send({ type: 'code-saved', lessonId: lesson.id, editedAt });
    }
    case 'hint-reveal':
      if (msg.index >= lesson.meta.hints.length) return;
      d.store.revealHint(learnerId, lesson.id, msg.index);
      return;
  }
}
