import type { RunEvent } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { OrderedSink } from './ordered-sink.js';

const started = (index: number): RunEvent => ({ type: 'check-started', index });
const finished = (index: number): RunEvent => ({ type: 'check-finished', index, verdict: 'contained', evidence: null, reason: 'r', exit: { code: 1, signal: null }, limit: null, durationMs: 1 });

describe('a run stream in check order', () => {
  it('holds what a later check sends until every earlier one has its verdict, then sends it as it came', () => {
    const out: string[] = [];
    const s = new OrderedSink({ event: (e) => void out.push(`${e.type}${'index' in e ? ` ${e.index}` : ''}`), output: (i, d) => void out.push(`output ${i} ${d.toString()}`) });
    s.event(started(0));
    s.event(started(1)); // a second VM starts check 1 while check 0 runs
    s.output(1, Buffer.from('b'));
    s.output(0, Buffer.from('a'));
    s.event(finished(1));
    s.event(started(2));
    s.event({ type: 'vm-fault', message: 'x', retrying: true }); // not a check's: at once
    s.event(finished(0));
    s.event(finished(2));
    expect(out).toEqual(['check-started 0', 'output 0 a', 'vm-fault', 'check-finished 0', 'check-started 1', 'output 1 b', 'check-finished 1', 'check-started 2', 'check-finished 2']);
  });

  it("passes a finished check's late replay straight on (a second run records it after its verdict)", () => {
    const out: string[] = [];
    const s = new OrderedSink({ event: (e) => void out.push(`${e.type}${'index' in e ? ` ${e.index}` : ''}`), output: () => {} });
    s.event(finished(0));
    s.event(finished(1));
    s.event({ type: 'check-trace', index: 0, trace: {} as never });
    expect(out).toEqual(['check-finished 0', 'check-finished 1', 'check-trace 0']);
  });
});
