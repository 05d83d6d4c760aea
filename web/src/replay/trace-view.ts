import type { CheckTrace, TraceStep, TraceWhere } from '@jaillab/protocol';

/**
 * What the replay timeline shows, as pure functions over a check's trace:
 * the steps a filter keeps, runs of the same call folded into one row, and
 * the steps worth pointing at. A 2,000-step trace (a program looping over a
 * traced call) becomes a few dozen rows until the learner opens a run of them.
 */

export type Mark = 'outside' | 'secret' | 'refused';

/** The highlight marks of each step index that has any. */
export function marksOf(trace: CheckTrace): Map<number, Mark[]> {
  const marks = new Map<number, Mark[]>();
  const add = (i: number | null, m: Mark): void => {
    if (i === null) return;
    marks.set(i, [...(marks.get(i) ?? []), m]);
  };
  add(trace.highlights.outside, 'outside');
  add(trace.highlights.secret, 'secret');
  add(trace.highlights.refused, 'refused');
  return marks;
}

/** The calls in a trace, most frequent first, for the filter. */
export function callCounts(steps: readonly TraceStep[]): Array<{ call: string; count: number }> {
  const counts = new Map<string, number>();
  for (const s of steps) counts.set(s.call, (counts.get(s.call) ?? 0) + 1);
  return [...counts].map(([call, count]) => ({ call, count })).sort((a, b) => b.count - a.count || a.call.localeCompare(b.call));
}

/** One row of the timeline: one step, or a run of steps alike folded together (a loop: `period` calls repeated). */
export type TimelineRow = { kind: 'step'; step: TraceStep } | { kind: 'repeat'; first: TraceStep; steps: TraceStep[]; period: number };

/** Steps alike enough to fold: same process, call, outcome, and nothing about them worth its own row. */
const foldKey = (s: TraceStep): string => `${s.pid}\u0000${s.proc}\u0000${s.call}\u0000${s.result === null ? 'null' : s.result < 0 ? 'neg' : s.result > 2 ? 'fd' : s.result}\u0000${s.errno ?? ''}`;
const standsAlone = (s: TraceStep, marks: ReadonlyMap<number, Mark[]>): boolean => marks.has(s.i) || s.after !== undefined || s.became !== undefined || s.note !== undefined || s.fds !== undefined || s.target !== undefined;

/** Runs shorter than this stay as single rows: folding three steps saves nothing. */
export const FOLD_FROM = 4;
/** The longest loop body folded: a loop of open, read, close is three calls. */
export const MAX_PERIOD = 4;

/** How many steps from `at` repeat a body of `period` steps (whole repetitions only), none standing alone. */
function repeatLength(steps: readonly TraceStep[], keys: readonly string[], alone: readonly boolean[], at: number, period: number): number {
  for (let k = at; k < at + period; k++) if (k >= steps.length || alone[k]) return 0;
  let n = period;
  while (at + n < steps.length && !alone[at + n] && keys[at + n] === keys[at + n - period]) n++;
  return n - (n % period);
}

export function timelineRows(steps: readonly TraceStep[], marks: ReadonlyMap<number, Mark[]>, fold: boolean): TimelineRow[] {
  if (!fold) return steps.map((step) => ({ kind: 'step', step }));
  const keys = steps.map(foldKey);
  const alone = steps.map((s) => standsAlone(s, marks));
  const rows: TimelineRow[] = [];
  for (let at = 0; at < steps.length; ) {
    let best = { period: 1, length: 0 };
    for (let period = 1; period <= MAX_PERIOD; period++) {
      const length = repeatLength(steps, keys, alone, at, period);
      // A body repeated at least twice, the run long enough to be worth a row; the shortest body wins a tie.
      if (length >= FOLD_FROM && length >= 2 * period && length > best.length) best = { period, length };
    }
    if (best.length === 0) {
      rows.push({ kind: 'step', step: steps[at]! });
      at++;
      continue;
    }
    const run = steps.slice(at, at + best.length);
    rows.push({ kind: 'repeat', first: run[0]!, steps: run, period: best.period });
    at += best.length;
  }
  return rows;
}

/** The steps the call filter keeps (an empty filter keeps all). Highlighted steps are always kept. */
export function filterSteps(steps: readonly TraceStep[], calls: ReadonlySet<string>, marks: ReadonlyMap<number, Mark[]>): TraceStep[] {
  if (calls.size === 0) return [...steps];
  return steps.filter((s) => calls.has(s.call) || marks.has(s.i));
}

/** The step to jump to first: where the probe got out, else where it read the secret, else the refused call. */
export function firstHighlight(trace: CheckTrace): number | null {
  const h = trace.highlights;
  return h.outside ?? h.secret ?? h.refused;
}

/** The call as a line of C-ish text: `openat(AT_FDCWD, "../../secret", O_RDONLY) = 3`. */
export function callText(s: TraceStep): string {
  const ret = s.result === null ? '?' : s.errno ? `-1 ${s.errno}` : String(s.result);
  return `${s.call}(${s.args.join(', ')}) = ${ret}`;
}

const outsideMark = (w: TraceWhere): string => (w.inside ? '' : ' (outside)');

/**
 * What a step touched, in a few words: the path it named, the descriptor it got, where an fchdir() took the cwd
 * (the descriptor's directory: the step that walks out of a jail names no path), what the process became.
 */
export function stepDetail(s: TraceStep): string | null {
  const bits: string[] = [];
  if (s.path) bits.push(`${s.path.path}${outsideMark(s.path)}`);
  if (s.opened) bits.push(`fd ${s.opened.fd} → ${s.opened.path}${s.opened.secret ? ' (the secret)' : outsideMark(s.opened)}`);
  if (s.call === 'fchdir' && s.result === 0 && s.after?.cwd) bits.push(`cwd → ${s.after.cwd.path}${outsideMark(s.after.cwd)}`);
  if (s.fds?.length) bits.push(`passed ${s.fds.map((f) => `fd ${f.fd} → ${f.path}`).join(', ')}`);
  if (s.target) bits.push(`target rooted at ${s.target.path}${outsideMark(s.target)}`);
  if (s.became) bits.push(`now the ${s.became}${s.exe ? ` (${s.exe})` : ''}`);
  if (s.note) bits.push(s.note);
  return bits.length ? bits.join(' · ') : null;
}

export type Place = 'inside' | 'outside' | 'above-root' | 'elsewhere';

/** Where a root or cwd is, for the picture: in the jail below the root, in the jail above a deeper root, outside it, or in another mount namespace. */
export function placeOf(w: TraceWhere): Place {
  if (w.foreign) return 'elsewhere';
  if (!w.inside) return 'outside';
  return w.belowRoot ? 'inside' : 'above-root';
}

/**
 * Where each process's root and cwd are after each step: the last place a
 * step recorded for that process (or the trace's start), so the picture
 * beside every row is whole even when the step itself changed nothing.
 */
export function placesAfter(trace: CheckTrace): Map<number, { root: TraceWhere | null; cwd: TraceWhere | null }> {
  const byPid = new Map<number, { root: TraceWhere | null; cwd: TraceWhere | null }>();
  const out = new Map<number, { root: TraceWhere | null; cwd: TraceWhere | null }>();
  const start = { root: trace.initial?.root ?? null, cwd: trace.initial?.cwd ?? null };
  for (const s of trace.steps) {
    // A new process starts where its parent is; the parent is not named, so the jailer's place (or the start) stands in.
    const now = { ...(byPid.get(s.pid) ?? start) };
    if (s.after?.root) now.root = s.after.root;
    if (s.after?.cwd) now.cwd = s.after.cwd;
    byPid.set(s.pid, now);
    out.set(s.i, now);
  }
  return out;
}
