import type { CheckInfo, CheckKind, RunOutcome } from '@jaillab/protocol';
import { type CheckDisplay, isRunActive, type RunState } from '../run/run-state.js';
import { plural } from '../text/plural.js';

/** Words for states and kinds, in one place so the panel, the toolbar and later views agree. */

export const KIND_LABEL: Record<CheckKind, string> = {
  escape: 'escape probe',
  service: 'service check',
};

export function checkStateLabel(display: CheckDisplay, state: RunState): string {
  switch (display) {
    case 'pending':
      return 'not run';
    case 'queued':
      if (state.phase === 'queued' && state.queuePosition !== null) return state.queuePosition === 0 ? 'queued · next' : `queued · ${state.queuePosition} ahead`;
      return 'waiting';
    case 'running':
      return 'running…';
    case 'escaped':
      return 'escaped';
    case 'contained':
      return 'contained';
    case 'passed':
      return 'passed';
    case 'failed':
      return 'failed';
    case 'error':
      return 'error';
  }
}

/**
 * A probe the lesson leaves open on purpose (its reference solution does not close it either) that escaped:
 * the lesson's defence ends there, and the label says where the course closes it. Null for any other check.
 */
export function stillOpenLabel(info: CheckInfo, display: CheckDisplay): string | null {
  return display === 'escaped' && info.closedIn ? `still open — closed in ${info.closedIn.title}` : null;
}

export const OUTCOME_TITLE: Record<RunOutcome, string> = {
  passed: 'Lesson passed',
  failed: 'Not yet',
  'compile-error': 'Did not compile',
  error: 'Could not complete',
  cancelled: 'Cancelled',
};

/** The run summary's title while a run is going. */
export function runPhaseTitle(state: RunState): string {
  switch (state.phase) {
    case 'queued':
      return 'Queued';
    case 'compiling':
      return 'Compiling';
    case 'checking':
      return 'Running';
    default:
      return 'Starting';
  }
}

/** One line for the toolbar while a run is going; null when nothing is going on. */
export function runProgressLabel(state: RunState): string | null {
  switch (state.phase) {
    case 'requested':
      return state.runId ? 'Loading the run…' : 'Sending your program…';
    case 'queued':
      return state.queuePosition === 0 ? 'Queued for a VM: you are next' : state.queuePosition === null ? 'Queued for a VM' : `Queued for a VM: ${plural(state.queuePosition, 'run')} ahead of you`;
    case 'compiling':
      return 'Compiling…';
    case 'checking': {
      const i = state.activeCheck;
      return i === null ? 'Checking…' : `Running check ${i + 1} of ${state.checks.length}…`;
    }
    default:
      return null;
  }
}

/**
 * The Run button's words: Run before the first run (and after a request that
 * never became one); Restart while a run is going (pressing it starts over
 * with the code as it is now); Run again once one has ended.
 */
export function runButtonLabel(state: RunState): string {
  if (isRunActive(state)) return 'Restart';
  return state.phase === 'finished' || state.runId !== null ? 'Run again' : 'Run';
}
