import { randomBytes } from 'node:crypto';
import type { Accelerator, RunEvent, RunOutcome, RunTimings, Verdict } from '@jaillab/protocol';
import type { CompileCache } from '../compile/compile-cache.js';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';
import type { Store } from '../store/store.js';
import { type CheckRequest, GuestJob } from '../vm/guest-job.js';
import type { GuestVm, VmBackend } from '../vm/vm-backend.js';
import type { ProbeBinary } from './probe-binaries.js';
import { RunLog } from './run-log.js';
import { retryWhenBusy } from './retry-busy.js';
import type { RunQueue } from './run-queue.js';
import { lessonFiles, preloadedCount, programFile } from './staging.js';
import { type CheckSecrets, judgeCheck, signalName } from './verdict.js';
import { diagnoseVmFault } from './vm-fault.js';
import { summarize } from './run-summary.js';

/**
 * One press of Run: queue → compile (while a VM is taken and the lesson's files
 * are staged) → each check in the VM → verdicts. Everything that happens is an
 * event in run.log.
 */

export interface RunDeps {
  backend: VmBackend;
  compiler: CompileCache;
  store: Store;
  queue: RunQueue;
  log: (line: string) => void;
}

export class Run {
  readonly log = new RunLog();
  readonly abort = new AbortController();
  readonly createdAt = new Date();
  outcome: RunOutcome | null = null;
  finishedAt: number | null = null;
  /** The learner had looked at the lesson's solution before pressing Run: a pass is a pass with the solution. */
  solutionShown = false;

  constructor(
    readonly id: string,
    readonly learnerId: string,
    readonly lesson: Lesson,
    readonly source: string,
    /** Binaries for every probe this run's checks use. */
    readonly probes: Map<string, ProbeBinary>,
  ) {}
}

/** A VM with its job begun and the lesson's files staged. */
interface Session {
  vm: GuestVm;
  job: GuestJob;
}

const fresh = (prefix: string): string => `${prefix}-${randomBytes(12).toString('hex')}`;

export async function executeRun(run: Run, deps: RunDeps): Promise<void> {
  const started = Date.now();
  const emit = (e: RunEvent): void => run.log.append(e);
  const signal = run.abort.signal;
  let session: Session | null = null;
  let accelerator: Accelerator | null = null;
  const verdicts: Array<{ id: string; verdict: Verdict }> = [];
  let release: (() => void) | null = null;
  const killOnAbort = (): void => void session?.vm.destroy();
  signal.addEventListener('abort', killOnAbort);
  const timings: RunTimings = { queueMs: 0, vmAcquireMs: 0, stageLessonMs: 0, stageProgramMs: 0, stageBytes: 0, stagedFromTemplate: 0, compile: null, checks: [] };
  const since = (t: number): number => Math.round((performance.now() - t) * 10) / 10;

  const finish = (outcome: RunOutcome, message: string): void => {
    if (run.outcome) return;
    run.outcome = outcome;
    run.finishedAt = Date.now();
    emit({ type: 'finished', outcome, message, accelerator, durationMs: Date.now() - started, timings });
    // Recorded off the run's path: a database held busy by someone else delays the record, it does not lose it.
    const summary = { outcome, accelerator, verdicts };
    void retryWhenBusy(() => deps.store.finishRun(run.id, summary), {
      attempts: 6,
      firstDelayMs: 250,
      onRetry: (attempt, e) => deps.log(`run ${run.id}: the database is busy (${e.message}); recording the result again (attempt ${attempt + 1})`),
    }).catch((e: Error) => deps.log(`run ${run.id}: could not record the result: ${e.message}`));
  };

  const openSession = async (withProgram: Buffer | null): Promise<Session> => {
    const acquiring = performance.now();
    const vm = await deps.backend.acquire(signal);
    timings.vmAcquireMs += since(acquiring);
    if (signal.aborted) {
      void vm.destroy();
      throw new Error('cancelled');
    }
    const waited = Date.now();
    const job = new GuestJob(vm);
    try {
      const staging = performance.now();
      await job.begin();
      const files = lessonFiles(run.lesson, run.probes, vm.preloaded);
      timings.stagedFromTemplate += preloadedCount(files);
      timings.stageBytes += job.stage(files);
      if (withProgram) timings.stageBytes += job.stage([programFile(withProgram)]);
      await job.sync();
      timings.stageLessonMs += since(staging);
    } catch (e) {
      await vm.destroy();
      throw e;
    }
    accelerator = vm.accelerator;
    emit({ type: 'vm-ready', accelerator: vm.accelerator, waitedMs: Date.now() - waited });
    return { vm, job };
  };

  try {
    const queued = performance.now();
    release = await deps.queue.enter({ owner: run.learnerId, signal, onPosition: (position) => emit({ type: 'queued', position }) });
    timings.queueMs = since(queued);
    emit({ type: 'compile-started' });
    const request = { source: run.source, fileName: run.lesson.starterFileName };
    // A program known not to compile (pressed Run again unchanged) needs no VM at all.
    const known = await deps.compiler.peek(request);
    // Otherwise take a VM and stage the lesson's files while gcc works: the two together are most of a run.
    const sessionReady = known && !known.ok ? Promise.reject(new Error('no VM for a program that does not compile')) : openSession(null);
    sessionReady.catch(() => {});
    const compiled = known ?? (await deps.compiler.get(request, { persist: false }));
    emit({ type: 'compile-finished', ok: compiled.ok, diagnostics: compiled.diagnostics, text: compiled.text.slice(0, 64 << 10), durationMs: compiled.durationMs, cached: compiled.cached });
    if (!compiled.cached && compiled.passes) timings.compile = { wallMs: compiled.durationMs, ...compiled.passes };
    if (!compiled.ok || !compiled.binary) {
      void sessionReady.then((s) => s.vm.destroy(), () => {});
      finish('compile-error', 'Your program did not compile: see the messages in the editor and the terminal.');
      return;
    }
    session = await sessionReady;
    const stagingProgram = performance.now();
    timings.stageBytes += session.job.stage([programFile(compiled.binary)]);
    await session.job.sync();
    timings.stageProgramMs = since(stagingProgram);

    let faultsLeft = 1;
    // Checks sent to this session's agent, by index, with their secrets: the next one goes out before the
    // current one is awaited, so the agent never waits for the host between checks.
    let sent = new Map<number, { req: CheckRequest; secrets: CheckSecrets }>();
    const send = (check: CheckSpec | undefined): void => {
      if (!check || sent.has(check.index) || !session) return;
      const secrets: CheckSecrets = { secret: fresh('SECRET'), nonce: fresh('nonce'), token: fresh('ticket') };
      const req = checkRequest(run.lesson, check, secrets);
      session.job.sendCheck(req);
      sent.set(check.index, { req, secrets });
    };
    for (const check of run.lesson.checks) {
      if (signal.aborted) throw new Error('cancelled');
      emit({ type: 'check-started', index: check.index });
      for (;;) {
        const output: Buffer[] = [];
        try {
          const started = performance.now();
          send(check);
          send(run.lesson.checks[check.index + 1]);
          const { req, secrets } = sent.get(check.index)!;
          const done = await session.job.awaitCheck(req, (data) => {
            output.push(data);
            run.log.appendOutput(check.index, data);
          });
          const hostMs = since(started);
          const judging = performance.now();
          const j = judgeCheck(check.kind, Buffer.concat(output), done, secrets, run.lesson.limits);
          const agentMs = done.phases.prepareMs + done.phases.accomplicesMs + done.wallMs + done.phases.drainMs;
          timings.checks.push({ index: check.index, hostMs, roundTripMs: Math.round((hostMs - agentMs) * 10) / 10, judgeMs: since(judging) });
          verdicts.push({ id: check.probe.id, verdict: j.verdict });
          emit({
            type: 'check-finished',
            index: check.index,
            verdict: j.verdict,
            evidence: j.evidence,
            reason: j.reason,
            exit: { code: done.exitCode, signal: done.signal === null ? null : signalName(done.signal) },
            limit: j.limit,
            durationMs: done.wallMs,
            phases: done.phases,
          });
          break;
        } catch (e) {
          if (signal.aborted) throw e;
          const fault = await diagnoseVmFault(session.vm, e as Error);
          await deps.backend.reportFault(session.vm, fault.exit);
          deps.log(`run ${run.id}: VM fault during ${check.probe.id}: ${fault.message}`);
          if (faultsLeft-- > 0) {
            emit({ type: 'vm-fault', message: `${fault.message}; running this check again in a fresh VM`, retrying: true });
            session = await openSession(compiled.binary);
            sent = new Map();
            continue;
          }
          emit({ type: 'vm-fault', message: fault.message, retrying: false });
          for (const rest of run.lesson.checks.slice(check.index)) {
            verdicts.push({ id: rest.probe.id, verdict: 'error' });
            emit({ type: 'check-finished', index: rest.index, verdict: 'error', evidence: null, reason: rest === check ? fault.message : 'not run: the VM failed twice in this run', exit: { code: null, signal: null }, limit: null, durationMs: 0 });
          }
          session = null;
          const { outcome, message } = summarize(run.lesson, verdicts);
          finish(outcome, `${message} The VM failed twice: ${fault.message}.`);
          return;
        }
      }
    }
    const { outcome, message } = summarize(run.lesson, verdicts);
    finish(outcome, outcome === 'passed' && run.solutionShown ? `${message} (With the solution shown: it counts as passed with the solution.)` : message);
  } catch (e) {
    if (signal.aborted) finish('cancelled', 'The run was cancelled.');
    else {
      deps.log(`run ${run.id}: ${(e as Error).stack ?? e}`);
      finish('error', `The run could not complete: ${(e as Error).message}`);
    }
  } finally {
    signal.removeEventListener('abort', killOnAbort);
    release?.();
    if (session) await session.vm.destroy();
  }
}

function checkRequest(lesson: Lesson, check: CheckSpec, s: CheckSecrets): CheckRequest {
  return {
    index: check.index,
    probePath: `probes/${check.probe.id}`,
    probeName: check.probe.id,
    ...s,
    plants: check.probe.meta.plant,
    accomplices: check.probe.accompliceSource === null ? [] : [`accomplices/${check.probe.id}`],
    wallTimeMs: lesson.limits.wallTimeMs,
    memoryBytes: lesson.limits.memoryBytes,
    processes: lesson.limits.processes,
    outputBytes: lesson.limits.outputBytes,
    race: check.probe.meta.race ?? null,
    groups: lesson.supplementaryGroups,
  };
}
