import { describe, expect, it } from 'vitest';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';
import { summarize } from './run-summary.js';

/** A lesson with these checks; only what summarize() reads is real. */
function lessonWith(checks: Array<{ id: string; kind?: 'escape' | 'service'; closedIn?: string }>): Lesson {
  const specs = checks.map(
    (c, index): CheckSpec => ({
      index,
      kind: c.kind ?? 'escape',
      probe: { id: c.id, meta: { title: c.id, kind: c.kind ?? 'escape', summary: '', source: '', plant: [] }, html: '', source: '', accompliceSource: null },
      ...(c.closedIn ? { closedIn: { lessonId: 'x/y', title: c.closedIn } } : {}),
    }),
  );
  return { checks: specs } as unknown as Lesson;
}

describe('summarize', () => {
  const lesson = lessonWith([{ id: 'a' }, { id: 'b' }, { id: 'open', closedIn: 'Root without powers' }, { id: 'svc', kind: 'service' }]);

  it('passes when only the probes the lesson declares open escape, and says which lesson closes them', () => {
    const r = summarize(lesson, [
      { id: 'a', verdict: 'contained' },
      { id: 'b', verdict: 'contained' },
      { id: 'open', verdict: 'escaped' },
      { id: 'svc', verdict: 'passed' },
    ]);
    expect(r.outcome).toBe('passed');
    expect(r.message).toBe('Both other probes were contained and the jail still does its job: lesson passed. 1 probe is still open (closed in Root without powers).');
  });

  it('still fails on any other escape, and does not count the open one among the escapes', () => {
    const r = summarize(lesson, [
      { id: 'a', verdict: 'escaped' },
      { id: 'b', verdict: 'contained' },
      { id: 'open', verdict: 'escaped' },
      { id: 'svc', verdict: 'passed' },
    ]);
    expect(r.outcome).toBe('failed');
    expect(r.message).toBe('1 of 2 probes escaped. 1 probe is still open (closed in Root without powers).');
  });

  it('treats an open probe that was contained like any contained probe', () => {
    const r = summarize(lesson, [
      { id: 'a', verdict: 'contained' },
      { id: 'b', verdict: 'contained' },
      { id: 'open', verdict: 'contained' },
      { id: 'svc', verdict: 'passed' },
    ]);
    expect(r).toEqual({ outcome: 'passed', message: 'All 3 probes were contained and the jail still does its job: lesson passed.' });
  });

  it('fails a lesson without open probes on one escape, as before', () => {
    const r = summarize(lessonWith([{ id: 'a' }, { id: 'svc', kind: 'service' }]), [
      { id: 'a', verdict: 'escaped' },
      { id: 'svc', verdict: 'passed' },
    ]);
    expect(r).toEqual({ outcome: 'failed', message: 'The probe escaped.' });
  });
});
