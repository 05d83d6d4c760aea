import type { RunOutcome, Verdict } from '@jaillab/protocol';
import type { JobCheck } from './run-job.js';

/**
 * The run's outcome and message. A probe the lesson declares open even for its solution (`closedIn`) that
 * escapes is "still open": named, but not counted against passing, because the lesson teaches that limit.
 */
export function summarize(checks: readonly JobCheck[], verdicts: ReadonlyArray<{ id: string; verdict: Verdict }>): { outcome: RunOutcome; message: string } {
  const openOnPurpose = new Map(checks.flatMap((c) => (c.closedIn ? [[c.probe.id, c.closedIn.title] as const] : [])));
  const stillOpen = verdicts.filter((v) => v.verdict === 'escaped' && openOnPurpose.has(v.id));
  const counted = verdicts.filter((v) => !(v.verdict === 'escaped' && openOnPurpose.has(v.id))).map((v) => v.verdict);
  const escapes = checks.filter((c) => c.kind === 'escape').length - stillOpen.length;
  const escaped = counted.filter((v) => v === 'escaped').length;
  const failed = counted.filter((v) => v === 'failed').length;
  const errors = counted.filter((v) => v === 'error').length;
  const open = stillOpen.length === 0 ? '' : ` ${stillOpenSentence(stillOpen.map((v) => openOnPurpose.get(v.id)!))}`;
  // "All 1 probe" and "1 of 1 probe" read as slips: one probe is "the probe", two are "both".
  const others = stillOpen.length ? ' other' : '';
  const contained = escapes === 1 ? `The${others} probe was contained` : escapes === 2 ? `Both${others} probes were contained` : `All ${escapes}${others} probes were contained`;
  if (escaped === 0 && failed === 0 && errors === 0) return { outcome: 'passed', message: `${contained} and the jail still does its job: lesson passed.${open}` };
  const parts: string[] = [];
  if (escaped) parts.push(escapes === 1 ? 'the probe escaped' : `${escaped} of ${escapes} probes escaped`);
  if (failed) parts.push(`${failed} service check${failed === 1 ? '' : 's'} failed`);
  if (errors) parts.push(`${errors} check${errors === 1 ? '' : 's'} could not be judged`);
  const text = parts.join(', ');
  return { outcome: escaped || failed ? 'failed' : 'error', message: text.charAt(0).toUpperCase() + text.slice(1) + '.' + open };
}

/** "2 probes are still open (closed in Root without powers)": what the lesson's defence does not reach yet. */
function stillOpenSentence(closers: string[]): string {
  const where = [...new Set(closers)].join(', ');
  return closers.length === 1 ? `1 probe is still open (closed in ${where}).` : `${closers.length} probes are still open (closed in ${where}).`;
}
