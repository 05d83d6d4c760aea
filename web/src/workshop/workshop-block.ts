import type { WorkshopView } from '@jaillab/protocol';

/** Why a workshop's student cannot run this lesson now (and whether the editor is read-only), or null. */
export function workshopBlock(view: WorkshopView | null, lessonId: string): { message: string; readOnly: boolean } | null {
  if (!view) return null;
  if (view.endedAt) return { message: 'The workshop has ended: your work is kept, read-only.', readOnly: true };
  const lesson = view.lessons.find((l) => l.id === lessonId);
  if (!lesson) return { message: `Not part of the workshop “${view.title}”.`, readOnly: false };
  if (!lesson.open) return { message: 'Locked: your instructor has not opened this lesson yet.', readOnly: false };
  return null;
}
