import type { CheckTrace, TraceStep, TraceWhere } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { callCounts, filterSteps, firstHighlight, marksOf, placeOf, placesAfter, stepDetail, timelineRows } from './trace-view.js';

const where = (path: string, inside: boolean): TraceWhere => ({ path, inside, belowRoot: inside });
const step = (i: number, call: string, extra: Partial<TraceStep> = {}): TraceStep => ({ i, pid: 7, proc: 'probe', call, args: [], result: 0, errno: null, ...extra });

function traceOf(steps: TraceStep[], highlights: Partial<CheckTrace['highlights']> = {}): CheckTrace {
  return { steps, truncated: null, initial: { root: where('/', false), cwd: where('/', false) }, jail: '/jail', jailAtProbeStart: null, highlights: { outside: null, secret: null, refused: null, ...highlights }, notes: [], secondRun: null };
}

describe('the replay timeline', () => {
  // A 2,000-step trace: a loop of failed opens, a fchdir out of the jail in the middle, the secret read at the end.
  const loop = Array.from({ length: 2000 }, (_, i) => step(i, 'openat', { result: -1, errno: 'ENOENT' }));
  loop[1000] = step(1000, 'fchdir', { after: { cwd: where('/', false) } });
  loop[1999] = step(1999, 'openat', { result: 3, opened: { fd: 3, path: '/secret', inside: false, belowRoot: false, secret: true } });
  const long = traceOf(loop, { outside: 1000, secret: 1999 });
  const marks = marksOf(long);

  it('folds runs of the same call into one row each, leaving the highlighted steps their own', () => {
    const rows = timelineRows(long.steps, marks, true);
    expect(rows.map((r) => (r.kind === 'step' ? r.step.i : `${r.first.i}x${r.steps.length}`))).toEqual(['0x1000', 1000, '1001x998', 1999]);
    expect(timelineRows(long.steps, marks, false)).toHaveLength(2000);
  });

  it('folds a loop of two calls (open, close) as one row', () => {
    const loop2 = Array.from({ length: 600 }, (_, i) => step(i, i % 2 ? 'close' : 'openat', { result: -1, errno: i % 2 ? 'EBADF' : 'ENOENT' }));
    loop2.push(step(600, 'chroot', { after: { root: where('/jail', true) } }));
    const rows = timelineRows(loop2, new Map(), true);
    expect(rows.map((r) => (r.kind === 'step' ? r.step.call : `${r.period}x${r.steps.length}`))).toEqual(['2x600', 'chroot']);
  });

  it('filters by call, always keeping the highlighted steps', () => {
    expect(filterSteps(long.steps, new Set(['fchdir']), marks).map((s) => s.i)).toEqual([1000, 1999]);
    expect(filterSteps(long.steps, new Set(), marks)).toHaveLength(2000);
    expect(callCounts(long.steps)).toEqual([{ call: 'openat', count: 1999 }, { call: 'fchdir', count: 1 }]);
  });

  it('jumps to where the probe got out first, and carries each process’s place forward', () => {
    expect(firstHighlight(long)).toBe(1000);
    expect(firstHighlight(traceOf([], { refused: 4 }))).toBe(4);
    const places = placesAfter(long);
    expect(places.get(999)?.cwd?.path).toBe('/');
    expect(places.get(1500)?.cwd).toEqual(where('/', false));
    expect(placeOf(where('/jail', true))).toBe('inside');
    expect(placeOf({ path: '/jail', inside: true, belowRoot: false })).toBe('above-root');
  });

  it('says in words what a step touched, and where an fchdir() took the cwd (it names no path of its own)', () => {
    expect(stepDetail(step(0, 'fchdir', { args: ['3'], after: { cwd: where('/root', false) } }))).toBe('cwd → /root (outside)');
    expect(stepDetail(step(1, 'fchdir', { args: ['9'], result: -1, errno: 'EBADF', after: { cwd: where('/', true) } }))).toBeNull();
    expect(stepDetail(step(2, 'openat', { result: 4, path: where('/outside/secret', false), opened: { fd: 4, path: '/outside/secret', inside: false, belowRoot: false, secret: true } }))).toBe(
      '/outside/secret (outside) · fd 4 → /outside/secret (the secret)',
    );
    expect(stepDetail(step(3, 'chdir', { path: where('/jail', true) }))).toBe('/jail');
  });
});
