import type { Accelerator, RunEvent, RunOutcome, RunTimings, Verdict } from '@jaillab/protocol';
import type { CompileCache } from '../../compile/compile-cache.js';
import { checkTrace } from '../../trace/check-trace.js';
import { checkPos05 } from '../../trace/pos05/check-pos05.js';
import type { CheckDone, CheckRequest, StagedBinary } from '../../vm/guest-job.js';
import type { VmBackend } from '../../vm/vm-backend.js';
import type { BorrowedSlot, RunSink, SpareSlots } from '../run-executor.js';
import type { JobCheck, RunJob } from '../run-job.js';
import { summarize } from '../run-summary.js';
import { type CheckTask, CheckTasks, HANG_CHECKS } from './check-tasks.js';
import { binaryHash, type ProbeBinary, type ProbeBuilder } from '../../compile/probe-binaries.js';
import { type CheckSecrets, freshSecrets, judgeCheck, signalName } from './verdict.js';
import { diagnoseVmFault } from './vm-fault.js';
import { OrderedSink } from './ordered-sink.js';
import { blankTimings, openSession, stageProgram, type VmSession } from './vm-session.js';

/**
 * One job on this machine: compile (while a VM is taken and the lesson's files
 * are staged) → the checks in the VM → verdicts. Everything that happens goes
 * to the sink as an event, `finished` last. What each check records, and when
 * an escaped one runs again to record its replay, is check-tasks.ts's; with a
 * spare slot and nobody waiting, a second VM takes checks too.
 */

export interface LocalRunDeps {
  backend: VmBackend;
  compiler: CompileCache;
  probes: ProbeBuilder;
  log: (line: string) => void;
}

/** A run spreads its checks over a second VM only with at least this many left (a VM costs a clone and a cold start). */
const SPREAD_MIN_CHECKS = 4;
/** The wire index of a check's second run (the agent's frames name the request they belong to). */
const RERUN_WIRE_INDEX = 1000;

/** A check sent to a session's agent, with its secrets. */
interface Sent {
  task: CheckTask;
  req: CheckRequest;
  secrets: CheckSecrets;
}

const since = (t: number): number => Math.round((performance.now() - t) * 10) / 10;

export async function executeRun(job: RunJob, sink: RunSink, signal: AbortSignal, deps: LocalRunDeps, spare?: SpareSlots): Promise<void> {
  await new LocalRun(job, sink, signal, deps, spare).execute();
}

class LocalRun {
  private readonly started = Date.now();
  private readonly timings: RunTimings = blankTimings();
  private readonly verdicts = new Map<number, Verdict>();
  private readonly sessions = new Set<VmSession>();
  private accelerator: Accelerator | null = null;
  private finished = false;
  private faultsLeft = 1;
  /** Set when the VM failed twice: the run stops, and this says why. */
  private failure: { index: number; message: string } | null = null;
  /** The job's probe and accomplice binaries, built (or found) once: staged in every VM and named in every check. */
  private readonly probes: Promise<Map<string, ProbeBinary>>;
  private program: Buffer | null = null;

  /** The run's stream, kept in check order while two VMs finish checks out of it. */
  private readonly sink: RunSink;

  constructor(
    private readonly job: RunJob,
    sink: RunSink,
    private readonly signal: AbortSignal,
    private readonly deps: LocalRunDeps,
    private readonly spare: SpareSlots | undefined,
  ) {
    this.sink = new OrderedSink(sink);
    this.probes = deps.probes.forJob(job);
    this.probes.catch(() => {});
  }

  private emit(e: RunEvent): void {
    this.sink.event(e);
  }

  private finish(outcome: RunOutcome, message: string): void {
    if (this.finished) return;
    this.finished = true;
    const withSolution = outcome === 'passed' && this.job.solutionShown;
    this.emit({ type: 'finished', outcome, message, ...(withSolution ? { withSolution } : {}), accelerator: this.accelerator, durationMs: Date.now() - this.started, timings: this.timings });
  }

  private async open(program: Buffer | null): Promise<VmSession> {
    const waited = Date.now();
    const session = await openSession(this.job.lesson, await this.probes, this.deps.backend, program, this.signal, this.timings);
    this.sessions.add(session);
    if (!this.accelerator) {
      this.accelerator = session.vm.accelerator;
      this.emit({ type: 'vm-ready', accelerator: session.vm.accelerator, waitedMs: Date.now() - waited });
    }
    return session;
  }

  private async close(session: VmSession): Promise<void> {
    this.sessions.delete(session);
    await session.vm.destroy();
  }

  async execute(): Promise<void> {
    const killOnAbort = (): void => {
      for (const s of this.sessions) void s.vm.destroy();
    };
    this.signal.addEventListener('abort', killOnAbort);
    try {
      const session = await this.compileWhileStaging();
      if (!session) return;
      const tasks = new CheckTasks(this.job.lesson.checks, this.job.trace);
      const workers = [this.work(session, tasks, null)];
      // A lone learner: with a slot nobody waits for, a second VM takes checks from the same list.
      const borrowed = this.job.lesson.checks.length >= SPREAD_MIN_CHECKS ? this.spare?.borrow() : null;
      if (borrowed) workers.push(this.spread(tasks, borrowed));
      await Promise.all(workers);
      if (this.signal.aborted) throw new Error('cancelled');
      const notRun = this.endChecksNotRun(tasks);
      const lesson = this.job.lesson;
      const { outcome, message } = summarize(lesson.checks, lesson.checks.map((c) => ({ id: c.probe.id, verdict: this.verdicts.get(c.index) ?? 'error' })));
      if (this.failure) this.finish(outcome, `${message} The VM failed twice: ${this.failure.message}.`);
      else if (notRun > 0)
        this.finish(outcome, `Your program never started the probe: ${HANG_CHECKS} checks in a row each waited out the time limit (${lesson.limits.wallTimeMs / 1000} s), so the other ${notRun} were not run. Does it exec argv[2]?`);
      else this.finish(outcome, outcome === 'passed' && this.job.solutionShown ? `${message} (With the solution shown: it counts as passed with the solution.)` : message);
      // The words are for the terminal; the page reads `withSolution` (finish).
    } catch (e) {
      if (this.signal.aborted) this.finish('cancelled', 'The run was cancelled.');
      else {
        this.deps.log(`run ${this.job.runId}: ${(e as Error).stack ?? e}`);
        this.finish('error', `The run could not complete: ${(e as Error).message}`);
      }
    } finally {
      this.signal.removeEventListener('abort', killOnAbort);
      await Promise.all([...this.sessions].map((s) => this.close(s)));
    }
  }

  /** Compiles while a VM is taken and the lesson staged: the session, with the program in it, or null (it did not compile). */
  private async compileWhileStaging(): Promise<VmSession | null> {
    this.emit({ type: 'compile-started' });
    const request = { source: this.job.source, fileName: this.job.lesson.starterFileName };
    // A program known not to compile (pressed Run again unchanged) needs no VM at all.
    const known = await this.deps.compiler.peek(request);
    const sessionReady = known && !known.ok ? Promise.reject(new Error('no VM for a program that does not compile')) : this.open(null);
    sessionReady.catch(() => {});
    const compiled = known ?? (await this.deps.compiler.get(request, { persist: false }));
    this.emit({ type: 'compile-finished', ok: compiled.ok, diagnostics: compiled.diagnostics, text: compiled.text.slice(0, 64 << 10), durationMs: compiled.durationMs, cached: compiled.cached });
    if (!compiled.cached && compiled.passes) this.timings.compile = { wallMs: compiled.durationMs, ...compiled.passes };
    if (!compiled.ok || !compiled.binary) {
      void sessionReady.then((s) => this.close(s), () => {});
      this.finish('compile-error', 'Your program did not compile: see the messages in the editor and the terminal.');
      return null;
    }
    this.program = compiled.binary;
    const session = await sessionReady;
    await stageProgram(session, compiled.binary, this.timings);
    return session;
  }

  /** A second VM for as long as the borrowed slot is not wanted by someone waiting. */
  private async spread(tasks: CheckTasks, borrowed: BorrowedSlot): Promise<void> {
    try {
      const session = await this.open(this.program);
      await this.work(session, tasks, borrowed);
      await this.close(session);
    } catch (e) {
      // The extra VM is a bonus: the run's own VM goes on with every check left.
      if (!this.signal.aborted) this.deps.log(`run ${this.job.runId}: a second VM could not help: ${(e as Error).message}`);
    } finally {
      borrowed.release();
    }
  }

  private send(session: VmSession, task: CheckTask | null, probes: Map<string, ProbeBinary>): Sent | null {
    if (!task) return null;
    const secrets = freshSecrets();
    const wireIndex = task.rerunOf ? RERUN_WIRE_INDEX + task.check.index : task.check.index;
    const req = checkRequest(this.job.lesson, task.check, wireIndex, secrets, task.record, probes);
    session.guest.sendCheck(req);
    return { task, req, secrets };
  }

  /**
   * Takes tasks until none is left, the run stops, or (a borrowed slot) someone is waiting for the slot. The next
   * check goes out before the current one is awaited, so the agent never waits for the host between checks.
   */
  private async work(first: VmSession, tasks: CheckTasks, borrowed: BorrowedSlot | null): Promise<void> {
    const probes = await this.probes;
    let session = first;
    let ahead: Sent | null = null;
    for (;;) {
      if (this.failure || this.signal.aborted) break;
      // A borrowed slot someone now waits for takes nothing new: it finishes what it sent, then is given back.
      const taking = !borrowed?.wanted();
      const current = ahead ?? (taking ? this.send(session, tasks.next(), probes) : null);
      ahead = null;
      if (!current) break;
      const { check } = current.task;
      if (!current.task.rerunOf) this.emit({ type: 'check-started', index: check.index });
      if (taking) ahead = this.send(session, tasks.next(), probes);
      const output: Buffer[] = [];
      const began = performance.now();
      let done: CheckDone;
      try {
        done = await session.guest.awaitCheck(current.req, (data) => {
          output.push(data);
          // A second run's output stays here: the terminal shows the run that was judged.
          return current.task.rerunOf ? undefined : this.sink.output(check.index, data);
        });
      } catch (e) {
        if (this.signal.aborted) throw e;
        if (ahead) tasks.retry(ahead.task);
        tasks.retry(current.task);
        ahead = null;
        const next = await this.fault(session, check, e as Error);
        if (!next) break;
        session = next;
        continue;
      }
      this.judge(current, Buffer.concat(output), done, since(began), tasks);
      if (tasks.stopped) {
        // A hanging program: what was sent ahead would hang too. It is not awaited (the VM goes with it).
        if (ahead) tasks.retry(ahead.task);
        break;
      }
    }
  }

  /** A VM failed under a check: a fresh one for the rest (once per run), or the run stops. */
  private async fault(session: VmSession, check: JobCheck, error: Error): Promise<VmSession | null> {
    const fault = await diagnoseVmFault(session.vm, error);
    this.sessions.delete(session);
    await this.deps.backend.reportFault(session.vm, fault.exit);
    this.deps.log(`run ${this.job.runId}: VM fault during ${check.probe.id}: ${fault.message}`);
    if (this.faultsLeft-- > 0 && !this.failure) {
      this.emit({ type: 'vm-fault', message: `${fault.message}; running this check again in a fresh VM`, retrying: true });
      return await this.open(this.program);
    }
    if (!this.failure) {
      this.failure = { index: check.index, message: fault.message };
      this.emit({ type: 'vm-fault', message: fault.message, retrying: false });
    }
    return null;
  }

  private judge(sent: Sent, output: Buffer, done: CheckDone, hostMs: number, tasks: CheckTasks): void {
    const { task, secrets } = sent;
    const { check } = task;
    const lesson = this.job.lesson;
    const judging = performance.now();
    const j = judgeCheck(check.kind, output, done, secrets, lesson.limits);
    if (task.rerunOf) {
      // The replay of an escaped check, recorded on a later run: it says so, and how that run ended (tried again,
      // up to RECORDING_RUNS, while it does not end as the first did).
      if (tasks.recorded(task, j.verdict) && done.trace) this.emit({ type: 'check-trace', index: check.index, trace: checkTrace(done.trace, j.verdict, { verdict: j.verdict }) });
      return;
    }
    const agentMs = done.phases.prepareMs + done.phases.accomplicesMs + done.phases.namespacesMs + done.wallMs + done.phases.drainMs;
    this.timings.checks.push({ index: check.index, hostMs, roundTripMs: Math.round((hostMs - agentMs) * 10) / 10, judgeMs: since(judging) });
    this.verdicts.set(check.index, j.verdict);
    // The replay goes first, so a watcher has it when the verdict arrives; the checker's findings after.
    const trace = done.trace ? checkTrace(done.trace, j.verdict) : null;
    if (trace) this.emit({ type: 'check-trace', index: check.index, trace });
    this.emit({
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
    if (trace) this.emit({ type: 'check-findings', index: check.index, ...checkPos05(trace, this.job.checker) });
    tasks.finished(task, j.verdict, done.limit === 'time' && !done.probe.started);
  }

  /** Checks that got no verdict: the VM failed twice, or the program hangs. Returns how many were skipped as hanging. */
  private endChecksNotRun(tasks: CheckTasks): number {
    const hanging = tasks.notRun();
    let skipped = 0;
    for (const check of this.job.lesson.checks) {
      if (this.verdicts.has(check.index)) continue;
      const reason = this.failure
        ? check.index === this.failure.index
          ? this.failure.message
          : 'not run: the VM failed twice in this run'
        : hanging.includes(check)
          ? `not run: your program never started the probe in ${HANG_CHECKS} checks in a row, each stopped by the time limit (${this.job.lesson.limits.wallTimeMs / 1000} s); every other check would wait the same way`
          : 'not run';
      if (!this.failure && hanging.includes(check)) skipped++;
      this.verdicts.set(check.index, 'error');
      this.emit({ type: 'check-finished', index: check.index, verdict: 'error', evidence: null, reason, exit: { code: null, signal: null }, limit: null, durationMs: 0 });
    }
    return skipped;
  }
}

/** How the check's program ended, as the learner reads it: the probe's own end once it ran, else the jail program's. */
function howItEnded(done: CheckDone): { code: number | null; signal: string | null } {
  const end = done.probe.exit ?? { code: done.exitCode, signal: done.signal };
  return { code: end.code, signal: end.signal === null ? null : signalName(end.signal) };
}

function checkRequest(lesson: RunJob['lesson'], check: JobCheck, wireIndex: number, s: CheckSecrets, trace: boolean, probes: Map<string, ProbeBinary>): CheckRequest {
  const bin = probes.get(check.probe.id);
  if (!bin) throw new Error(`probe ${check.probe.id} has no binary`);
  const staged = (path: string, binary: Buffer): StagedBinary => ({ path, sha256: binaryHash(binary), size: binary.byteLength });
  return {
    index: wireIndex,
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
