import type { WorkshopLesson } from '@jaillab/protocol';

/** A lesson of the workshop, numbered as the dashboard numbers them (firing a probe, opening a round). */
export function WorkshopLessonSelect({ lessons, value, onChange, testId }: { lessons: WorkshopLesson[]; value: string; onChange(id: string): void; testId: string }) {
  return (
    <label>
      Lesson{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {lessons.map((l, i) => (
          <option key={l.id} value={l.id}>
            {i + 1}. {l.title}
          </option>
        ))}
      </select>
    </label>
  );
}
