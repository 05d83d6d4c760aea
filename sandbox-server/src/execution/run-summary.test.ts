import { describe, expect, it } from 'vitest';
import type { JobCheck } from './run-job.js';
import { summarize } from './run-summary.js';

/** A job's checks; only what summarize() reads matters. */
function lessonWith(checks: Array<{ id: string; kind?: 'escape' | 'service'; closedIn?: string }>): JobCheck[] {
  return checks.map(
    (c, index): JobCheck => ({
      index,
      kind: c.kind ?? 'escape',
      probe: { id: c.id, title: c.id, plant: [], race: null, linkage: 'static', source: '', accompliceSource: null, accompliceStarts: 'before-program' },
      closedIn: c.closedIn ? { lessonId: 'x/y', title: c.closedIn } : null,
    }),
  );
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
