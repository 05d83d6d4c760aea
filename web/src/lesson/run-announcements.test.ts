import type { CheckInfo, RunEvent } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { initialRunState, runReducer, type RunState } from '../run/run-state.js';
import { AnnouncementLog, runAnnouncements } from './run-announcements.js';

const checks: CheckInfo[] = [
  { index: 0, id: 'cwd-outside', kind: 'escape', title: 'The working directory left outside', summary: 's' },
  { index: 1, id: 'read-data', kind: 'service', title: 'The service still works', summary: 's' },
];
const escaped: RunEvent = { type: 'check-finished', index: 0, verdict: 'escaped', evidence: 'x SECRET-1', reason: 'read the outside secret via ../outside/secret', exit: { code: 0, signal: null }, limit: null, durationMs: 5 };
const passed: RunEvent = { type: 'check-finished', index: 1, verdict: 'passed', evidence: null, reason: 'the service read its data', exit: { code: 0, signal: null }, limit: null, durationMs: 5 };
const events: RunEvent[] = [
  { type: 'created', runId: 'r_abcdefgh', lessonId: 'first-jail/a-jail-that-leaks', checks, createdAt: '2026-01-01T00:00:00Z' },
  { type: 'queued', position: 0 },
  { type: 'compile-started' },
  { type: 'compile-finished', ok: true, diagnostics: [], text: '', durationMs: 10, cached: false },
  { type: 'check-started', index: 0 },
  escaped,
  { type: 'check-started', index: 1 },
  passed,
  { type: 'finished', outcome: 'failed', message: 'The probe escaped.', accelerator: 'kvm', durationMs: 50 },
];

const requested = (): RunState => runReducer(initialRunState(checks), { type: 'requested' });
const apply = (s: RunState, e: RunEvent): RunState => runReducer(s, { type: 'event', event: e });

/** What a listener hears over these states, through one log (as RunAnnouncer keeps one per page). */
function heard(states: RunState[], log = new AnnouncementLog()): string[] {
  return states.flatMap((s) => log.next(s).map((a) => a.text));
}

/** Every state a run passes through, from a request. */
function statesOf(list: RunEvent[], from: RunState = requested()): RunState[] {
  const states: RunState[] = [from, runReducer(from, { type: 'accepted', runId: 'r_abcdefgh' })];
  for (const e of list) states.push(apply(states.at(-1)!, e));
  return states;
}

describe('run announcements', () => {
  it('says nothing before a run', () => {
    expect(runAnnouncements(initialRunState(checks))).toEqual([]);
  });

  it('turns a run into a spoken log: progress, each verdict with its reason, the ending', () => {
    expect(heard(statesOf(events))).toEqual([
      'Queued for a VM: you are next.',
      'Compiling…',
      'Running check 1 of 2: The working directory left outside.',
      'The working directory left outside escaped: read the outside secret via ../outside/secret.',
      'Running check 2 of 2: The service still works.',
      'The service still works passed: the service read its data.',
      'Not yet. The probe escaped: The working directory left outside.',
    ]);
  });

  it('a run replayed after a reconnect says nothing twice; the next run is heard afresh', () => {
    const log = new AnnouncementLog();
    const first = statesOf(events);
    expect(heard(first, log)).toHaveLength(7);
    const replay = runReducer(first.at(-1)!, { type: 'restart' });
    expect(heard([replay, ...events.reduce<RunState[]>((acc, e) => [...acc, apply(acc.at(-1) ?? replay, e)], [])], log)).toEqual([]);
    const again = heard(statesOf(events), log);
    expect(again).toHaveLength(7);
    expect(again).toContain('The working directory left outside escaped: read the outside secret via ../outside/secret.');
  });

  it('a restored run (a reload) is not news: only how it ended', () => {
    const restored = events.reduce(apply, runReducer(initialRunState(checks), { type: 'restored', runId: 'r_abcdefgh', createdAt: '2026-01-01T00:00:00Z', sourceSha256: 'x' }));
    expect(runAnnouncements(restored).map((a) => a.text)).toEqual(['Your last run, restored: Not yet. The probe escaped: The working directory left outside.']);
  });

  it('a refused run says why', () => {
    const refused = runReducer(requested(), { type: 'refused', error: { code: 'not-connected', message: 'Not connected to the server' } });
    expect(runAnnouncements(refused).map((a) => a.text)).toEqual(['Not run: Not connected to the server.']);
  });
});
