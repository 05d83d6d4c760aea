import type { TraceHighlights, TraceStep, Verdict } from '@jaillab/protocol';

/**
 * The steps of a replay worth pointing at, found from the steps themselves:
 * where the probe first reached outside the jail, where the secret was
 * opened, and for a contained probe the call that was refused.
 */

const succeeded = (s: TraceStep): boolean => s.errno === null && s.result !== null;
const out = (w: { inside: boolean; foreign?: boolean } | undefined): boolean => w !== undefined && !w.inside && !w.foreign;

/** Did this step put the process somewhere outside the jail, or give it something from there? */
export function reachesOutside(s: TraceStep): boolean {
  if (!succeeded(s)) return false;
  if (out(s.after?.cwd) || out(s.after?.root)) return true;
  if (s.opened && (out(s.opened) || s.opened.secret || s.opened.kind === 'block-device')) return true;
  if (s.fds?.some((fd) => out(fd))) return true;
  return out(s.target);
}

/** Refusals that say "not allowed", before "not there": the probe's real obstacle. */
const REFUSALS = new Set(['EPERM', 'EACCES', 'EROFS', 'ENOSYS']);

export function highlightsOf(steps: readonly TraceStep[], verdict: Verdict | null): TraceHighlights {
  const probe = steps.filter((s) => s.proc === 'probe');
  // The exec that starts the probe belongs to the jail program: the probe's own first move counts.
  const outside = probe.find(reachesOutside)?.i ?? null;
  const secret = (steps.find((s) => s.proc === 'probe' && succeeded(s) && s.opened?.secret) ?? steps.find((s) => succeeded(s) && s.opened?.secret))?.i ?? null;
  let refused: number | null = null;
  if (verdict === 'contained') {
    const failed = probe.filter((s) => s.errno !== null);
    refused = (failed.findLast((s) => REFUSALS.has(s.errno!)) ?? failed.at(-1))?.i ?? null;
  }
  return { outside, secret, refused };
}
