import type { CheckInfo } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { initialRunState, type RunAction, runReducer, type RunState } from '../run/run-state.js';
import { runButtonLabel, stillOpenLabel } from './check-labels.js';

const checks: CheckInfo[] = [{ index: 0, id: 'cwd-outside', kind: 'escape', title: 'cwd', summary: 's' }];
const play = (...actions: RunAction[]): RunState => actions.reduce(runReducer, initialRunState(checks));

describe('the Run button', () => {
  it('says Run before any run', () => {
    expect(runButtonLabel(play())).toBe('Run');
  });

  it('says Restart while a run is going, whatever its phase', () => {
    expect(runButtonLabel(play({ type: 'requested' }))).toBe('Restart');
    expect(runButtonLabel(play({ type: 'requested' }, { type: 'event', event: { type: 'queued', position: 2 } }))).toBe('Restart');
    expect(runButtonLabel(play({ type: 'requested' }, { type: 'event', event: { type: 'compile-started' } }))).toBe('Restart');
    expect(runButtonLabel(play({ type: 'requested' }, { type: 'event', event: { type: 'check-started', index: 0 } }))).toBe('Restart');
  });

  it('says Run again once a run has ended or was cut off', () => {
    expect(runButtonLabel(play({ type: 'requested' }, { type: 'event', event: { type: 'finished', outcome: 'failed', message: 'm', accelerator: 'tcg', durationMs: 1 } }))).toBe('Run again');
    expect(runButtonLabel(play({ type: 'requested' }, { type: 'accepted', runId: 'r_abcdefgh' }, { type: 'refused', error: { code: 'run-interrupted', message: 'the server restarted' } }))).toBe('Run again');
  });

  it('says Run after a request that never became a run', () => {
    expect(runButtonLabel(play({ type: 'requested' }, { type: 'refused', error: { code: 'not-connected', message: 'offline' } }))).toBe('Run');
  });
});

describe('a probe the lesson leaves open', () => {
  const open: CheckInfo = { ...checks[0]!, closedIn: { lesson: 'beyond-chroot/capabilities', title: 'Root without powers' } };

  it('reads "still open — closed in <lesson>" when it escaped', () => {
    expect(stillOpenLabel(open, 'escaped')).toBe('still open — closed in Root without powers');
  });

  it('reads like any check when it was contained, and never for a check the lesson must close', () => {
    expect(stillOpenLabel(open, 'contained')).toBeNull();
    expect(stillOpenLabel(checks[0]!, 'escaped')).toBeNull();
  });
});
