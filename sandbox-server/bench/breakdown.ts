import type { RunEvent, RunTimings } from '@jaillab/protocol';
import type { RunResult } from '../src/client/jaillab-client.js';
import { fmtMs, median } from './stats.js';

type CheckFinished = Extract<RunEvent, { type: 'check-finished' }>;
type Finished = Extract<RunEvent, { type: 'finished' }>;

/** The medians of one lesson's runs, phase by phase: where a run's wall time goes. */
export function breakdown(results: Array<{ result: RunResult; wallMs: number }>): Array<[string, string]> {
  const timings = results.map((r) => (r.result.finished as Finished).timings).filter((t): t is RunTimings => t !== undefined);
  const checks = results.map((r) => r.result.events.filter((e): e is CheckFinished => e.type === 'check-finished'));
  const m = (xs: number[]): string => fmtMs(median(xs));
  const perRun = (f: (t: RunTimings) => number): string => m(timings.map(f));
  const sumChecks = (f: (c: CheckFinished) => number): string => m(checks.map((cs) => cs.reduce((n, c) => n + f(c), 0)));
  const sumHost = (f: (c: RunTimings['checks'][number]) => number): string => m(timings.map((t) => t.checks.reduce((n, c) => n + f(c), 0)));
  const phase = (c: CheckFinished, k: 'prepareMs' | 'accomplicesMs' | 'drainMs'): number => c.phases?.[k] ?? 0;
  const compiles = timings.map((t) => t.compile).filter((c) => c !== null);
  const n = checks[0]?.length ?? 0;
  return [
    ['Run → all verdicts (wall), p50', m(results.map((r) => r.wallMs))],
    ['  queue wait', perRun((t) => t.queueMs)],
    ['  VM acquire', perRun((t) => t.vmAcquireMs)],
    ['  stage lesson files (during compile)', `${perRun((t) => t.stageLessonMs)}, ${(median(timings.map((t) => t.stageBytes)) / 1024 / 1024).toFixed(2)} MiB staged in all, ${median(timings.map((t) => t.stagedFromTemplate))} from the template`],
    ['  compile (wall)', m(compiles.map((c) => c.wallMs))],
    ['    front end (cc1) / as / link, CPU', `${m(compiles.map((c) => c.frontEndCpuMs))} / ${m(compiles.map((c) => c.assembleCpuMs))} / ${m(compiles.map((c) => c.linkCpuMs))}`],
    ['  stage the program (after compile)', perRun((t) => t.stageProgramMs)],
    [`  checks (${n}), summed:`, ''],
    ['    world reset (agent)', sumChecks((c) => phase(c, 'prepareMs'))],
    ['      strays killed / baseline / jail+program', `${sumChecks((c) => c.phases?.straysMs ?? 0)} / ${sumChecks((c) => c.phases?.baselineMs ?? 0)} / ${sumChecks((c) => c.phases?.worldMs ?? 0)}`],
    ['    accomplices ready (agent)', sumChecks((c) => phase(c, 'accomplicesMs'))],
    ['    the check\'s namespaces and init (agent)', sumChecks((c) => c.phases?.namespacesMs ?? 0)],
    ['    jailer start → probe started (agent)', sumChecks((c) => c.phases?.probeStartedMs ?? 0)],
    ['      of which fork and exec of the program', sumChecks((c) => c.phases?.programExecMs ?? 0)],
    ['    probe started → let run (held the rest, the world looked at)', sumChecks((c) => c.phases?.probeReleasedMs ?? 0)],
    ['    probe run, to the last process gone (agent)', sumChecks((c) => c.durationMs - (c.phases?.probeStartedMs ?? 0))],
    ['    drain and clean-up (agent)', sumChecks((c) => phase(c, 'drainMs'))],
    ['    host ↔ guest round trips', sumHost((c) => c.roundTripMs)],
    ['    judging (host)', sumHost((c) => c.judgeMs)],
  ];
}
