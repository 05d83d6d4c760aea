import type { WorkshopView } from '@jaillab/protocol';

/** What a student reads in a lesson their instructor locked again (the server refuses a run in the same words). */
export const LOCKED_AGAIN = 'Locked again by your instructor for now: your code here is kept, and runs once they open the lesson again.';

/** Why a workshop's student cannot run this lesson now (and whether the editor is read-only), or null. */
export function workshopBlock(view: WorkshopView | null, lessonId: string): { message: string; readOnly: boolean } | null {
  if (!view) return null;
  if (view.endedAt) return { message: 'The workshop has ended: your work is kept, read-only.', readOnly: true };
  const lesson = view.lessons.find((l) => l.id === lessonId);
  if (!lesson) return { message: `Not part of the workshop “${view.title}”.`, readOnly: false };
  // Every lesson of a workshop starts open (workshop-store.ts creates them so), so a locked one was open before:
  // the instructor locked it again, and the student may well have worked in it already.
  if (!lesson.open) return { message: LOCKED_AGAIN, readOnly: false };
  return null;
}
