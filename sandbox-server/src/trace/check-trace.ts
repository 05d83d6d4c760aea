import { type CheckTrace, MAX_TRACE_STEPS, type TraceStep, type Verdict } from '@jaillab/protocol';
import type { RawTrace } from '../vm/guest-job.js';
import { highlightsOf } from './highlights.js';

/**
 * A check's replay as the `check-trace` event carries it: the agent's steps,
 * its notes, and the highlights, bounded in bytes as well as steps — the event
 * log keeps it in memory and the store keeps the last run of every lesson. Past
 * SOFT_BYTES only landmarks (a change of place, credentials or program, a step
 * that reached outside) are kept; past HARD_BYTES nothing more.
 */
export const SOFT_BYTES = 384 << 10;
export const HARD_BYTES = 512 << 10;

const landmark = (s: TraceStep): boolean => s.after !== undefined || s.became !== undefined || s.note !== undefined || s.fds !== undefined || s.target !== undefined || s.opened?.secret === true || (s.opened !== undefined && !s.opened.inside);

/** The replay of one check's run (`secondRun`: it was recorded on a second run of an escaped check, which ended so). */
export function checkTrace(raw: RawTrace, verdict: Verdict | null, secondRun: CheckTrace['secondRun'] = null): CheckTrace {
  const steps: TraceStep[] = [];
  let bytes = 0;
  let hostDropped = 0;
  for (const s of raw.steps.slice(0, MAX_TRACE_STEPS)) {
    const size = JSON.stringify(s).length;
    if (bytes + size > HARD_BYTES || (bytes + size > SOFT_BYTES && !landmark(s))) {
      hostDropped++;
      continue;
    }
    bytes += size;
    steps.push(s);
  }
  const dropped = (raw.info?.dropped ?? 0) + hostDropped + raw.overflow + Math.max(0, raw.steps.length - MAX_TRACE_STEPS);
  // Where the first gap is: recorded whole up to there, landmarks only after it.
  const firstGap = steps.findIndex((s, k) => s.i !== k);
  const afterSteps = Math.min(firstGap >= 0 ? firstGap : steps.length, raw.info?.dropped ? raw.info.wholeSteps : Infinity);
  return {
    steps,
    truncated: dropped > 0 ? { afterSteps, dropped } : null,
    initial: raw.info?.initial ?? null,
    jail: raw.info?.jail ?? '/jail',
    jailAtProbeStart: raw.info?.jailAtProbeStart ?? null,
    highlights: highlightsOf(steps, verdict),
    notes: (raw.info?.notes ?? []).slice(0, 8),
    secondRun,
  };
}
