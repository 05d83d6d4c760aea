import { constants } from 'node:os';
import type { CheckKind, LimitKind, Verdict } from '@jaillab/protocol';
import type { EffectiveLimits } from '../../lessons/lesson.js';
import type { CheckDone } from '../../vm/guest-job.js';

/**
 * Judging a check. An escape probe escaped if and only if this check's fresh
 * secret appears in what it printed, or its nonce is in /outside/proof: both
 * can only come from outside the jail. What a probe *says* is used to explain
 * a verdict, never to reach one.
 */

/** Printed by every probe on start (lessons/probes/probe.h). */
export const PROBE_STARTED = 'jaillab-probe: started';

export interface CheckSecrets {
  secret: string;
  nonce: string;
  token: string;
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

/** Why the program ended before the probe started, in words. */
function earlyExit(done: CheckDone): string {
  if (done.detail?.startsWith('setup failed')) return `the VM could not prepare this check (${done.detail})`;
  if (done.signal !== null) return `your program was killed by ${signalName(done.signal)} before it started the probe`;
  if (done.exitCode === 126) return 'the VM could not start your program within its limits (the terminal says which step failed)';
  if (done.exitCode === 127) return 'your program could not be started, or its execv() of the probe failed';
  if (done.exitCode !== null) return `your program exited with status ${done.exitCode} without starting the probe`;
  return 'the probe never started';
}

export function judgeCheck(kind: CheckKind, output: Buffer, done: CheckDone, s: CheckSecrets, limits: EffectiveLimits): Judgement {
  const j = judgeOutput(kind, output, done, s, limits);
  // A race won on cue says how the window was found (or why there was none): the learner's real question.
  return done.raceNote && j.verdict !== 'error' ? { ...j, reason: `${j.reason}; ${done.raceNote}` } : j;
}

function judgeOutput(kind: CheckKind, output: Buffer, done: CheckDone, s: CheckSecrets, limits: EffectiveLimits): Judgement {
  const text = lines(output);
  const started = text.some((l) => l.includes(PROBE_STARTED));
  const limitReason = done.limit ? describeLimit(done.limit, limits) : null;
  const lastBlocked = [...text].reverse().find((l) => /\bblocked: /.test(l));

  if (kind === 'escape') {
    const secretLine = text.find((l) => l.includes(s.secret));
    if (secretLine) {
      const how = /escape: (.*?) -> /.exec(secretLine)?.[1];
      return {
        verdict: 'escaped',
        evidence: clip(secretLine),
        reason: how ? `escaped: read the outside secret via ${how}` : 'escaped: the outside secret appeared in the output',
        limit: done.limit,
      };
    }
    if (done.proof && done.proof.toString('utf8').includes(s.nonce))
      return { verdict: 'escaped', evidence: '/outside/proof holds this check\'s nonce', reason: 'escaped: the probe wrote a file outside the jail', limit: done.limit };
    if (!started) return { verdict: 'error', evidence: null, reason: limitReason ?? earlyExit(done), limit: done.limit };
    if (limitReason) return { verdict: 'error', evidence: null, reason: `the probe was ${limitReason}`, limit: done.limit };
    return { verdict: 'contained', evidence: null, reason: lastBlocked ? `contained: ${lastBlocked.replace(/^\[[^\]]*\]\s*blocked:\s*/, '')}` : 'contained: the probe found no way out', limit: null };
  }

  const tokenLine = text.find((l) => l.includes(s.token));
  if (tokenLine && started) return { verdict: 'passed', evidence: clip(tokenLine), reason: 'the jailed program still does its job', limit: done.limit };
  if (!started) return { verdict: 'failed', evidence: null, reason: limitReason ?? earlyExit(done), limit: done.limit };
  if (limitReason) return { verdict: 'failed', evidence: null, reason: `the service was ${limitReason}`, limit: done.limit };
  return { verdict: 'failed', evidence: null, reason: lastBlocked ? `the service could not do its job: ${lastBlocked.replace(/^\[[^\]]*\]\s*blocked:\s*/, '')}` : 'the service did not print what it was asked to read', limit: null };
}
