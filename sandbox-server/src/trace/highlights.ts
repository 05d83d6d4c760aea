import type { TraceHighlights, TraceStep, Verdict } from '@jaillab/protocol';

/**
 * The steps of a replay worth pointing at, found from the steps themselves:
 * where the probe first reached outside the jail, where the secret was
 * opened, and for a contained probe the call that was refused.
 */

const succeeded = (s: TraceStep): boolean => s.errno === null && s.result !== null;
const out = (w: { inside: boolean; foreign?: boolean } | undefined): boolean => w !== undefined && !w.inside && !w.foreign;

/**
 * Files through which the kernel runs a program of the probe's choosing, as root, outside every jail: opening one
 * for writing is the step that reaches outside, though the file itself is in the jail's own /proc or cgroup mount.
 */
const KERNEL_HOOK = /\/sys\/kernel\/(core_pattern|modprobe)$|\/release_agent$/;
const writes = (s: TraceStep): boolean => /O_WRONLY|O_RDWR/.test(s.args.join(' '));

/** Did this step put the process somewhere outside the jail, or give it something from there? */
export function reachesOutside(s: TraceStep): boolean {
  if (!succeeded(s)) return false;
  if (s.opened && KERNEL_HOOK.test(s.opened.path) && writes(s)) return true;
  if (out(s.after?.cwd) || out(s.after?.root)) return true;
  if (s.opened && (out(s.opened) || s.opened.secret || s.opened.kind === 'block-device')) return true;
  if (s.fds?.some((fd) => out(fd))) return true;
  return out(s.target);
}

/** Refusals that say "not allowed", before "not there": the probe's real obstacle. */
const REFUSALS = new Set(['EPERM', 'EACCES', 'EROFS', 'ENOSYS']);

export function highlightsOf(steps: readonly TraceStep[], verdict: Verdict | null): TraceHighlights {
  // What the jail program started (the probe, or a program squatted in its place); not the jail program, nor the
  // accomplice that works outside on purpose. The exec that starts the probe is the jail program's: the probe's own first move counts.
  const probe = steps.filter((s) => s.proc === 'probe' || s.proc === 'other');
  const outside = probe.find(reachesOutside)?.i ?? null;
  const secret = (probe.find((s) => succeeded(s) && s.opened?.secret) ?? steps.find((s) => succeeded(s) && s.opened?.secret))?.i ?? null;
  let refused: number | null = null;
  if (verdict === 'contained') {
    const failed = probe.filter((s) => s.errno !== null);
    refused = (failed.findLast((s) => REFUSALS.has(s.errno!)) ?? failed.at(-1))?.i ?? null;
  }
  return { outside, secret, refused };
}
