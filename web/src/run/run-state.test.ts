import type { CheckInfo, RunEvent } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { checkDisplay, initialRunState, isRunActive, runReducer, type RunState } from './run-state.js';

const checks: CheckInfo[] = [
  { index: 0, id: 'cwd-outside', kind: 'escape', title: 'The working directory left outside', summary: 's' },
  { index: 1, id: 'read-data', kind: 'service', title: 'The service still works', summary: 's' },
];

const events: RunEvent[] = [
  { type: 'created', runId: 'r_abcdefgh', lessonId: 'first-jail/a-jail-that-leaks', checks, createdAt: '2026-01-01T00:00:00Z' },
  { type: 'queued', position: 1 },
  { type: 'compile-started' },
  { type: 'compile-finished', ok: true, diagnostics: [], text: '', durationMs: 10, cached: false },
  { type: 'vm-ready', accelerator: 'kvm', waitedMs: 3 },
  { type: 'check-started', index: 0 },
  { type: 'check-finished', index: 0, verdict: 'escaped', evidence: 'x SECRET-1', reason: 'escaped', exit: { code: 0, signal: null }, limit: null, durationMs: 5 },
  { type: 'check-started', index: 1 },
  { type: 'check-finished', index: 1, verdict: 'passed', evidence: null, reason: 'ok', exit: { code: 0, signal: null }, limit: null, durationMs: 5 },
  { type: 'finished', outcome: 'failed', message: 'The probe escaped.', accelerator: 'kvm', durationMs: 50 },
];

function play(list: RunEvent[], from: RunState = runReducer(initialRunState(checks), { type: 'requested' })): RunState {
  return list.reduce((s, event) => runReducer(s, { type: 'event', event }), from);
}

describe('run state', () => {
  it('shows each check as pending before any run', () => {
    const s = initialRunState(checks);
    expect(checks.map((c) => checkDisplay(s, c.index))).toEqual(['pending', 'pending']);
    expect(isRunActive(s)).toBe(false);
  });

  it('follows a run from queue to verdicts', () => {
    const queued = play(events.slice(0, 2));
    expect(queued.phase).toBe('queued');
    expect(queued.queuePosition).toBe(1);
    expect(checkDisplay(queued, 0)).toBe('queued');

    const running = play(events.slice(0, 6));
    expect(running.accelerator).toBe('kvm');
    expect(checkDisplay(running, 0)).toBe('running');
    expect(checkDisplay(running, 1)).toBe('queued');

    const done = play(events);
    expect(done.phase).toBe('finished');
    expect(done.finished?.outcome).toBe('failed');
    expect([checkDisplay(done, 0), checkDisplay(done, 1)]).toEqual(['escaped', 'passed']);
    expect(isRunActive(done)).toBe(false);
  });

  it('reaches a check that arrives already finished, as a check done on a borrowed VM does', () => {
    const first = play(events.slice(0, 6));
    expect(first.reachedCheck).toBe(0);
    // Check 1 finished elsewhere: its start and end come together, so it is never the running check.
    const both = play([events[7]!, events[8]!], play(events.slice(0, 7)));
    expect(both.activeCheck).toBeNull();
    expect(both.reachedCheck).toBe(1);
    // An earlier check finishing late does not pull the list back.
    const late = runReducer(both, { type: 'event', event: events[6]! });
    expect(late.reachedCheck).toBe(1);
  });

  it('forgets everything but the run id on a replay, so replayed events do not double up', () => {
    const mid = play(events.slice(0, 7));
    const restarted = runReducer(mid, { type: 'restart' });
    expect(restarted.runId).toBe('r_abcdefgh');
    expect(restarted.results).toEqual([]);
    expect(play(events, restarted).results.filter(Boolean)).toHaveLength(2);
  });

  it('leaves checks pending when the program does not compile', () => {
    const s = play([
      events[0]!,
      events[2]!,
      { type: 'compile-finished', ok: false, diagnostics: [{ severity: 'error', message: 'm', line: 1, column: 1, endLine: 1, endColumn: 2 }], text: 'e', durationMs: 1, cached: false },
      { type: 'finished', outcome: 'compile-error', message: 'no', accelerator: null, durationMs: 1 },
    ]);
    expect(checkDisplay(s, 0)).toBe('pending');
    expect(s.compile?.diagnostics).toHaveLength(1);
  });

  it('records a refusal', () => {
    const s = runReducer(initialRunState(checks), { type: 'refused', error: { code: 'too-large', message: 'big' } });
    expect(s.phase).toBe('refused');
    expect(s.refusal?.message).toBe('big');
  });
});
