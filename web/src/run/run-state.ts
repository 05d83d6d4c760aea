import type { Accelerator, CheckInfo, CheckTrace, Diagnostic, Pos05Finding, Pos05Rule, RunEvent, Verdict } from '@jaillab/protocol';
import type { RunRequestError } from '../api/run-streams.js';

/**
 * Everything the page knows about the current run, as a pure reducer over the
 * run's events: the verdict panel, the toolbar and the editor markers all read
 * it. Replays (after a reconnect) simply go through it again from `restart`.
 */

export type CheckFinished = Extract<RunEvent, { type: 'check-finished' }>;
export type RunFinished = Extract<RunEvent, { type: 'finished' }>;
export type CompileFinished = Extract<RunEvent, { type: 'compile-finished' }>;

/** One check's POS05-C findings, and the rules it was checked against. */
export interface CheckFindings {
  findings: Pos05Finding[];
  rules: Pos05Rule[];
}

export type RunPhase =
  /** No run yet on this page. */
  | 'idle'
  /** Run pressed (or a run being re-watched); waiting for the server. */
  | 'requested'
  | 'queued'
  | 'compiling'
  | 'checking'
  | 'finished'
  /** The request never became a run (refused, too large, not connected). */
  | 'refused';

export interface RunState {
  phase: RunPhase;
  runId: string | null;
  checks: CheckInfo[];
  /** By check index. */
  results: Array<CheckFinished | undefined>;
  /** The escape replay of each check, by index (absent for a run without tracing). */
  traces: Array<CheckTrace | undefined>;
  /** The POS05-C checker's findings of each check, by index. */
  findings: Array<CheckFindings | undefined>;
  activeCheck: number | null;
  /**
   * The furthest check this run has reached, running or finished. The list
   * follows it rather than only the running check: a check done on a
   * borrowed VM arrives started-and-finished at once, so it is never seen
   * running, and the list must still move on to it.
   */
  reachedCheck: number | null;
  queuePosition: number | null;
  compile: CompileFinished | null;
  accelerator: Accelerator | null;
  faults: Array<{ message: string; retrying: boolean }>;
  finished: RunFinished | null;
  refusal: RunRequestError | null;
  /** This run is the server's record of an earlier one (a reload, another device), not one happening now. */
  restored: { createdAt: string; sourceSha256: string } | null;
}

export type RunAction =
  /** A lesson was opened: its checks, nothing run. */
  | { type: 'lesson'; checks: CheckInfo[] }
  | { type: 'requested' }
  /** The same run is about to be replayed from its first event. */
  | { type: 'restart' }
  | { type: 'accepted'; runId: string }
  | { type: 'event'; event: RunEvent }
  | { type: 'refused'; error: RunRequestError }
  /** The server's record of the last run is about to be replayed (its events follow). */
  | { type: 'restored'; runId: string; createdAt: string; sourceSha256: string };

export function initialRunState(checks: CheckInfo[]): RunState {
  return { phase: 'idle', runId: null, checks, results: [], traces: [], findings: [], activeCheck: null, reachedCheck: null, queuePosition: null, compile: null, accelerator: null, faults: [], finished: null, refusal: null, restored: null };
}

function cleared(state: RunState, phase: RunPhase, runId: string | null): RunState {
  return { ...initialRunState(state.checks), phase, runId };
}

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'lesson':
      return initialRunState(action.checks);
    case 'requested':
      return cleared(state, 'requested', null);
    case 'restart':
      return cleared(state, 'requested', state.runId);
    case 'accepted':
      return { ...state, runId: action.runId };
    case 'refused':
      return { ...cleared(state, 'refused', state.runId), refusal: action.error };
    case 'event':
      return applyEvent(state, action.event);
    case 'restored':
      return { ...cleared(state, 'requested', action.runId), restored: { createdAt: action.createdAt, sourceSha256: action.sourceSha256 } };
  }
}

function applyEvent(state: RunState, e: RunEvent): RunState {
  switch (e.type) {
    case 'created':
      return { ...state, runId: e.runId, checks: e.checks };
    case 'queued':
      return { ...state, phase: 'queued', queuePosition: e.position };
    case 'compile-started':
      return { ...state, phase: 'compiling', queuePosition: null };
    case 'compile-finished':
      return { ...state, compile: e };
    case 'vm-ready':
      return { ...state, accelerator: e.accelerator };
    case 'check-started':
      return { ...state, phase: 'checking', activeCheck: e.index, reachedCheck: furthest(state.reachedCheck, e.index) };
    case 'check-finished': {
      const results = [...state.results];
      results[e.index] = e;
      return { ...state, results, activeCheck: state.activeCheck === e.index ? null : state.activeCheck, reachedCheck: furthest(state.reachedCheck, e.index) };
    }
    case 'check-trace': {
      const traces = [...state.traces];
      traces[e.index] = e.trace;
      return { ...state, traces };
    }
    case 'check-findings': {
      const findings = [...state.findings];
      findings[e.index] = { findings: e.findings, rules: e.rules };
      return { ...state, findings };
    }
    case 'vm-fault':
      return { ...state, faults: [...state.faults, { message: e.message, retrying: e.retrying }] };
    case 'finished':
      return { ...state, phase: 'finished', finished: e, activeCheck: null, queuePosition: null, accelerator: e.accelerator ?? state.accelerator };
  }
}

function furthest(reached: number | null, index: number): number {
  return reached === null ? index : Math.max(reached, index);
}

/** True while a run is under way (Run would supersede it; Cancel makes sense). */
export function isRunActive(state: RunState): boolean {
  return state.phase === 'requested' || state.phase === 'queued' || state.phase === 'compiling' || state.phase === 'checking';
}

/** What one verdict-panel row shows; also its data-verdict test hook. */
export type CheckDisplay = Verdict | 'running' | 'queued' | 'pending';

export function checkDisplay(state: RunState, index: number): CheckDisplay {
  const result = state.results[index];
  if (result) return result.verdict;
  if (state.activeCheck === index) return 'running';
  if (isRunActive(state)) return 'queued';
  return 'pending';
}

const NO_DIAGNOSTICS: Diagnostic[] = [];

/** The compiler's diagnostics from this run, for the editor's markers (empty before a compile; the same array until it changes). */
export function runDiagnostics(state: RunState): Diagnostic[] {
  return state.compile?.diagnostics ?? NO_DIAGNOSTICS;
}
