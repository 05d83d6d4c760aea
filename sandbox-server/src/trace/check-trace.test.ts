import { CheckTrace, MAX_TRACE_STEPS, MAX_TRACE_STRING, type TraceStep } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { checkTrace, HARD_BYTES } from './check-trace.js';

const step = (i: number, extra: Partial<TraceStep> = {}): TraceStep => ({ i, pid: 9, proc: 'probe', call: 'openat', args: ['AT_FDCWD', `"${'x'.repeat(MAX_TRACE_STRING - 2)}"`], result: -1, errno: 'ENOENT', ...extra });
const outside = { path: '/', inside: false, belowRoot: false };

describe('a check trace as the event carries it', () => {
  it('stays within its caps whatever the agent sent, keeping the landmarks past the soft limit', () => {
    const steps = Array.from({ length: 3000 }, (_, i) => step(i));
    steps[2100] = step(2100, { call: 'fchdir', args: ['3'], result: 0, errno: null, after: { cwd: outside } });
    const t = checkTrace({ steps, info: null, overflow: 500 }, 'escaped');
    expect(() => CheckTrace.parse(t)).not.toThrow();
    expect(t.steps.length).toBeLessThanOrEqual(MAX_TRACE_STEPS);
    expect(JSON.stringify(t.steps).length).toBeLessThanOrEqual(HARD_BYTES + 2 * t.steps.length);
    expect(t.truncated!.dropped).toBeGreaterThanOrEqual(500 + 3000 - MAX_TRACE_STEPS);
    expect(t.steps.some((s) => s.i === 2100)).toBe(true);
    expect(t.highlights.outside).toBe(2100);
  });

  it('names the refused call of a contained probe, a "not allowed" before a "not there"', () => {
    const steps = [step(0, { call: 'chroot', args: ['"/bin"'], errno: 'EPERM' }), step(1)];
    expect(checkTrace({ steps, info: null, overflow: 0 }, 'contained').highlights).toEqual({ outside: null, secret: null, refused: 0 });
    expect(checkTrace({ steps, info: null, overflow: 0 }, 'escaped').highlights.refused).toBeNull();
  });
});
