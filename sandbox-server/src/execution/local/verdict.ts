import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { CheckKind, LimitKind, Verdict } from '@jaillab/protocol';
import type { EffectiveLimits } from '../../lessons/lesson.js';
import type { CheckDone } from '../../vm/guest-job.js';

/**
 * Judging a check from what the VM's kernel showed the agent (guest-job.ts's
 * ProbeSeen), never from what anyone printed: the learner's program is root in
 * the VM and shares the probe's terminal, so any line — a start line, a
 * "blocked", a ticket — could be its own.
 *
 * - The probe started only if the agent saw a process exec the genuine probe
 *   (its bytes hashed at the exec). Only output written after that moment is
 *   the probe's (the agent holds every other process of the check from then on).
 * - Escaped: this check's fresh secret in the probe's output, its nonce in
 *   /outside/proof as the probe left it, or the probe's own exit status 0 (its
 *   report of an escape, which a program cannot forge: it is held, and the
 *   probe's bytes are the host's).
 * - Contained: the probe ended by itself with status 1 ("no way out"), or was
 *   killed by SIGSYS (the kernel, enforcing the jail's seccomp filter), with no
 *   evidence of an escape, in a world the agent found as it made it.
 * - Anything else cannot be judged: an error, saying what the program did.
 *
 * What a probe *says* explains a verdict (the escape's "how", the last
 * "blocked"), and is read from the probe's own output only.
 */

/** The exit statuses of a probe (lessons/probes/probe.h). */
export const ProbeExit = { ESCAPED: 0, CONTAINED: 1, UNFIT: 3 } as const;

export interface CheckSecrets {
  secret: string;
  nonce: string;
  token: string;
}

const fresh = (prefix: string): string => `${prefix}-${randomBytes(12).toString('hex')}`;

/** New secrets for each check (and each shell): nothing a program saw in one is of use in the next. */
export function freshSecrets(): CheckSecrets {
  return { secret: fresh('SECRET'), nonce: fresh('nonce'), token: fresh('ticket') };
}

export interface Judgement {
  verdict: Verdict;
  evidence: string | null;
  reason: string;
  limit: LimitKind | null;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f]/g;

function lines(output: Buffer): string[] {
  return output
    .toString('utf8')
    .split(/\r?\n|\r/)
    .map((l) => l.replace(ANSI, '').trim())
    .filter(Boolean);
}

function clip(s: string, max = 300): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? `signal ${n}`;
}

export function describeLimit(limit: LimitKind, limits: EffectiveLimits): string {
  switch (limit) {
    case 'time':
      return `stopped by the time limit (${limits.wallTimeMs / 1000} s)`;
    case 'memory':
      return `stopped by the memory limit (${limits.memoryBytes >> 20} MiB)`;
    case 'processes':
      return `stopped by the process limit (${limits.processes} processes at once): a fork that never ends?`;
    case 'output':
      return `stopped after ${limits.outputBytes >> 10} KiB of output (the output limit)`;
  }
}

/** Why the genuine probe never started, in words. */
function neverStarted(done: CheckDone, output: Buffer, s: CheckSecrets, what: 'probe' | 'service'): string {
  if (done.detail?.startsWith('setup failed')) return `the VM could not prepare this check (${done.detail})`;
  if (done.probe.impostor) return `your program ran ${done.probe.impostor}, which is not the ${what} (its bytes differ from the one the check installed): a check judges the real ${what} only`;
  const text = lines(output);
  if (text.some((l) => l.includes(s.secret))) return `your program printed the outside secret itself and never started the ${what}: that is your program reading outside files, not the ${what} escaping`;
  if (what === 'service' && text.some((l) => l.includes(s.token))) return 'your program printed the ticket itself and never started the service: the check needs the service to read it';
  if (done.signal !== null) return `your program was killed by ${signalName(done.signal)} before it started the ${what}`;
  if (done.exitCode === 126) return 'the VM could not start your program within its limits (the terminal says which step failed)';
  if (done.exitCode === 127) return `your program could not be started, or its execv() of the ${what} failed`;
  if (done.exitCode !== null) return `your program exited with status ${done.exitCode} without starting the ${what}`;
  return `the ${what} never started`;
}

/** The reason text of the probe's last "blocked:" line in its own output, if it printed one. */
function lastBlocked(probeText: string[]): string | null {
  const line = [...probeText].reverse().find((l) => /\bblocked: /.test(l));
  return line ? line.replace(/^\[[^\]]*\]\s*blocked:\s*/, '') : null;
}

/** How the probe's process ended when it did not end well: killed, or a status it never reports. */
function badEnd(exit: { code: number | null; signal: number | null }, what: 'probe' | 'service'): string {
  if (exit.signal !== null) return `the ${what} was killed by ${signalName(exit.signal)} before it finished: only a ${what} that ends by itself can be judged`;
  if (exit.code === ProbeExit.UNFIT) return `the ${what} started with a signal pending for it (left by your program before its exec), so it could not be judged`;
  return `the ${what} ended with status ${exit.code}, which is not a report it makes`;
}

export function judgeCheck(kind: CheckKind, output: Buffer, done: CheckDone, s: CheckSecrets, limits: EffectiveLimits): Judgement {
  const j = kind === 'escape' ? judgeEscape(output, done, s, limits) : judgeService(output, done, s, limits);
  // A race won on cue says how the window was found (or why there was none): the learner's real question.
  return done.raceNote && j.verdict !== 'error' ? { ...j, reason: `${j.reason}; ${done.raceNote}` } : j;
}

function judgeEscape(output: Buffer, done: CheckDone, s: CheckSecrets, limits: EffectiveLimits): Judgement {
  const p = done.probe;
  const limitReason = done.limit ? describeLimit(done.limit, limits) : null;
  const error = (reason: string): Judgement => ({ verdict: 'error', evidence: null, reason, limit: done.limit });
  if (!p.started) return error(limitReason ?? neverStarted(done, output, s, 'probe'));
  if (p.voided) return error(`this check cannot be judged: ${p.voided}`);
  const before = lines(output.subarray(0, p.outputAt));
  const probeText = lines(output.subarray(p.outputAt));
  // The program reading the secret is no escape of the probe's: say so, whatever the probe did.
  const ownPrint = before.some((l) => l.includes(s.secret)) ? ' (your program printed the secret itself before it started the probe: that part is not the probe escaping)' : '';
  const secretLine = probeText.find((l) => l.includes(s.secret));
  if (secretLine) {
    const how = /escape: (.*?) -> /.exec(secretLine)?.[1];
    const reason = how ? `escaped: read the outside secret via ${how}` : 'escaped: the outside secret appeared in what the probe printed';
    return { verdict: 'escaped', evidence: clip(secretLine), reason: reason + ownPrint, limit: done.limit };
  }
  if (done.proof && done.proof.toString('utf8').includes(s.nonce))
    return { verdict: 'escaped', evidence: "/outside/proof holds this check's nonce, written after the probe started", reason: 'escaped: the probe wrote a file outside the jail' + ownPrint, limit: done.limit };
  if (p.exit?.code === ProbeExit.ESCAPED)
    return { verdict: 'escaped', evidence: 'the probe exited with status 0, its report of an escape', reason: 'escaped: the probe reported an escape, though the secret it read did not reach the terminal' + ownPrint, limit: done.limit };
  if (limitReason) return error(`the probe was ${limitReason}`);
  if (!p.exit) return error('the probe did not end by itself, so it cannot be judged');
  const blocked = lastBlocked(probeText);
  if (p.exit.signal === constants.signals.SIGSYS)
    return { verdict: 'contained', evidence: null, reason: `contained: the kernel killed the probe at a call the jail's seccomp filter forbids (SIGSYS)${blocked ? `, after ${blocked}` : ''}${ownPrint}`, limit: null };
  if (p.exit.code !== ProbeExit.CONTAINED || p.exit.signal !== null) return error(badEnd(p.exit, 'probe'));
  return { verdict: 'contained', evidence: null, reason: `contained: ${blocked ?? 'the probe found no way out'}${ownPrint}`, limit: null };
}

function judgeService(output: Buffer, done: CheckDone, s: CheckSecrets, limits: EffectiveLimits): Judgement {
  const p = done.probe;
  const limitReason = done.limit ? describeLimit(done.limit, limits) : null;
  const failed = (reason: string): Judgement => ({ verdict: 'failed', evidence: null, reason, limit: done.limit });
  if (!p.started) return failed(limitReason ?? neverStarted(done, output, s, 'service'));
  if (p.voided) return failed(`this check cannot be judged: ${p.voided}`);
  const serviceText = lines(output.subarray(p.outputAt));
  const tokenLine = serviceText.find((l) => l.includes(s.token));
  if (tokenLine && p.exit?.code === 0 && p.exit.signal === null) return { verdict: 'passed', evidence: clip(tokenLine), reason: 'the jailed program still does its job', limit: done.limit };
  if (limitReason) return failed(`the service was ${limitReason}`);
  if (!p.exit) return failed('the service did not end by itself');
  if (p.exit.signal !== null || (p.exit.code !== 0 && p.exit.code !== ProbeExit.CONTAINED)) return failed(badEnd(p.exit, 'service'));
  const blocked = lastBlocked(serviceText);
  return failed(blocked ? `the service could not do its job: ${blocked}` : 'the service did not print what it was asked to read');
}
