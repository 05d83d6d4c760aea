import { randomBytes } from 'node:crypto';
import type { Accelerator, RunEvent, RunOutcome, RunTimings, Verdict } from '@jaillab/protocol';
import type { CompileCache } from '../../compile/compile-cache.js';
import { type CheckDone, type CheckRequest, GuestJob, type StagedBinary } from '../../vm/guest-job.js';
import type { GuestVm, VmBackend } from '../../vm/vm-backend.js';
import type { RunSink } from '../run-executor.js';
import type { JobCheck, RunJob } from '../run-job.js';
import { binaryHash, type ProbeBinary, type ProbeBuilder } from './probe-binaries.js';
import { lessonFiles, preloadedCount, programFile } from './staging.js';
import { type CheckSecrets, judgeCheck, signalName } from './verdict.js';
import { diagnoseVmFault } from './vm-fault.js';
import { checkTrace } from '../../trace/check-trace.js';
import { checkPos05 } from '../../trace/pos05/check-pos05.js';
import { summarize } from '../run-summary.js';

/**
 * One job on this machine: compile (while a VM is taken and the lesson's files
 * are staged) → each check in the VM → verdicts. Everything that happens goes
 * to the sink as an event, `finished` last.
 */

export interface LocalRunDeps {
  backend: VmBackend;
  compiler: CompileCache;
  probes: ProbeBuilder;
  log: (line: string) => void;
}

/** A VM with its job begun and the lesson's files staged. */
interface Session {
  vm: GuestVm;
  job: GuestJob;
}

const fresh = (prefix: string): string => `${prefix}-${randomBytes(12).toString('hex')}`;

export async function executeRun(job: RunJob, sink: RunSink, signal: AbortSignal, deps: LocalRunDeps): Promise<void> {
  const started = Date.now();
  const emit = (e: RunEvent): void => sink.event(e);
  const lesson = job.lesson;
  let session: Session | null = null;
  let accelerator: Accelerator | null = null;
  let finished = false;
  const verdicts: Array<{ id: string; verdict: Verdict }> = [];
  const killOnAbort = (): void => void session?.vm.destroy();
  signal.addEventListener('abort', killOnAbort);
  const timings: RunTimings = { queueMs: 0, vmAcquireMs: 0, stageLessonMs: 0, stageProgramMs: 0, stageBytes: 0, stagedFromTemplate: 0, compile: null, checks: [] };
  const since = (t: number): number => Math.round((performance.now() - t) * 10) / 10;

  const finish = (outcome: RunOutcome, message: string): void => {
    if (finished) return;
    finished = true;
    emit({ type: 'finished', outcome, message, accelerator, durationMs: Date.now() - started, timings });
  };

  // The job's probe and accomplice binaries, built (or found) once: staged in the VM and named in every check.
  const probesReady = deps.probes.forJob(job);
  probesReady.catch(() => {});
  const openSession = async (withProgram: Buffer | null): Promise<Session> => {
    const probes = await probesReady;
    const acquiring = performance.now();
    const vm = await deps.backend.acquire(signal);
    timings.vmAcquireMs += since(acquiring);
    if (signal.aborted) {
      void vm.destroy();
      throw new Error('cancelled');
    }
    const waited = Date.now();
    const guest = new GuestJob(vm);
    try {
      const staging = performance.now();
      await guest.begin();
      const files = lessonFiles(lesson, probes, vm.preloaded);
      timings.stagedFromTemplate += preloadedCount(files);
      timings.stageBytes += guest.stage(files);
      if (withProgram) timings.stageBytes += guest.stage([programFile(withProgram)]);
      await guest.sync();
      timings.stageLessonMs += since(staging);
    } catch (e) {
      await vm.destroy();
      throw e;
    }
    accelerator = vm.accelerator;
    emit({ type: 'vm-ready', accelerator: vm.accelerator, waitedMs: Date.now() - waited });
    return { vm, job: guest };
  };

  try {
    emit({ type: 'compile-started' });
    const request = { source: job.source, fileName: lesson.starterFileName };
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
    const probes = await probesReady;
    let sent = new Map<number, { req: CheckRequest; secrets: CheckSecrets }>();
    const send = (check: JobCheck | undefined): void => {
      if (!check || sent.has(check.index) || !session) return;
      const secrets: CheckSecrets = { secret: fresh('SECRET'), nonce: fresh('nonce'), token: fresh('ticket') };
      const req = checkRequest(lesson, check, secrets, job.trace, probes);
      session.job.sendCheck(req);
      sent.set(check.index, { req, secrets });
    };
    for (const check of lesson.checks) {
      if (signal.aborted) throw new Error('cancelled');
      emit({ type: 'check-started', index: check.index });
      for (;;) {
        const output: Buffer[] = [];
        try {
          const began = performance.now();
          send(check);
          send(lesson.checks[check.index + 1]);
          const { req, secrets } = sent.get(check.index)!;
          const done = await session.job.awaitCheck(req, (data) => {
            output.push(data);
            return sink.output(check.index, data);
          });
          const hostMs = since(began);
          const judging = performance.now();
          const j = judgeCheck(check.kind, Buffer.concat(output), done, secrets, lesson.limits);
          const agentMs = done.phases.prepareMs + done.phases.accomplicesMs + done.wallMs + done.phases.drainMs;
          timings.checks.push({ index: check.index, hostMs, roundTripMs: Math.round((hostMs - agentMs) * 10) / 10, judgeMs: since(judging) });
          verdicts.push({ id: check.probe.id, verdict: j.verdict });
          // The replay goes first, so a watcher has it when the verdict arrives; the checker's findings after.
          const trace = done.trace ? checkTrace(done.trace, j.verdict) : null;
          if (trace) emit({ type: 'check-trace', index: check.index, trace });
          emit({
            type: 'check-finished',
            index: check.index,
            verdict: j.verdict,
            evidence: j.evidence,
            reason: j.reason,
            exit: howItEnded(done),
            limit: j.limit,
            durationMs: done.wallMs,
            phases: done.phases,
          });
          if (trace) emit({ type: 'check-findings', index: check.index, ...checkPos05(trace, job.checker) });
          break;
        } catch (e) {
          if (signal.aborted) throw e;
          const fault = await diagnoseVmFault(session.vm, e as Error);
          await deps.backend.reportFault(session.vm, fault.exit);
          deps.log(`run ${job.runId}: VM fault during ${check.probe.id}: ${fault.message}`);
          if (faultsLeft-- > 0) {
            emit({ type: 'vm-fault', message: `${fault.message}; running this check again in a fresh VM`, retrying: true });
            session = await openSession(compiled.binary);
            sent = new Map();
            continue;
          }
          emit({ type: 'vm-fault', message: fault.message, retrying: false });
          for (const rest of lesson.checks.slice(check.index)) {
            verdicts.push({ id: rest.probe.id, verdict: 'error' });
            emit({ type: 'check-finished', index: rest.index, verdict: 'error', evidence: null, reason: rest === check ? fault.message : 'not run: the VM failed twice in this run', exit: { code: null, signal: null }, limit: null, durationMs: 0 });
          }
          session = null;
          const { outcome, message } = summarize(lesson.checks, verdicts);
          finish(outcome, `${message} The VM failed twice: ${fault.message}.`);
          return;
        }
      }
    }
    const { outcome, message } = summarize(lesson.checks, verdicts);
    finish(outcome, outcome === 'passed' && job.solutionShown ? `${message} (With the solution shown: it counts as passed with the solution.)` : message);
  } catch (e) {
    if (signal.aborted) finish('cancelled', 'The run was cancelled.');
    else {
      deps.log(`run ${job.runId}: ${(e as Error).stack ?? e}`);
      finish('error', `The run could not complete: ${(e as Error).message}`);
    }
  } finally {
    signal.removeEventListener('abort', killOnAbort);
    if (session) await session.vm.destroy();
  }
}

/** How the check's program ended, as the learner reads it: the probe's own end once it ran, else the jail program's. */
function howItEnded(done: CheckDone): { code: number | null; signal: string | null } {
  const end = done.probe.exit ?? { code: done.exitCode, signal: done.signal };
  return { code: end.code, signal: end.signal === null ? null : signalName(end.signal) };
}

function checkRequest(lesson: RunJob['lesson'], check: JobCheck, s: CheckSecrets, trace: boolean, probes: Map<string, ProbeBinary>): CheckRequest {
  const bin = probes.get(check.probe.id);
  if (!bin) throw new Error(`probe ${check.probe.id} has no binary`);
  const staged = (path: string, binary: Buffer): StagedBinary => ({ path, sha256: binaryHash(binary), size: binary.byteLength });
  return {
    index: check.index,
    probe: staged(`probes/${check.probe.id}`, bin.probe),
    probeName: check.probe.id,
    ...s,
    plants: check.probe.plant,
    accomplices: bin.accomplice ? [{ ...staged(`accomplices/${check.probe.id}`, bin.accomplice), starts: check.probe.accompliceStarts }] : [],
    wallTimeMs: lesson.limits.wallTimeMs,
    memoryBytes: lesson.limits.memoryBytes,
    processes: lesson.limits.processes,
    outputBytes: lesson.limits.outputBytes,
    race: check.probe.race,
    trace,
    groups: lesson.supplementaryGroups,
  };
}
