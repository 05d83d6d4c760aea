import { createHash, randomBytes } from 'node:crypto';
import type { ExtraProbe, RunEvent } from '@jaillab/protocol';
import type { CheckSpec, Lesson } from '../lessons/lesson.js';
import { checkInfos } from '../lessons/lesson-catalog.js';
import type { ProbeLibrary } from '../lessons/probe-library.js';
import type { Store } from '../store/store.js';
import type { RunExecutor } from '../execution/run-executor.js';
import { jobFor, type RunJob } from '../execution/run-job.js';
import { type ProbeBuilder, ProbeCompileError } from '../compile/probe-binaries.js';
import { retryWhenBusy } from './retry-busy.js';
import type { RunQueue } from './run-queue.js';
import { runRecordOf } from './run-record.js';
import { Run } from './run.js';


/** How long a finished run stays watchable (a tab reconnecting, a second tab catching up). */
const KEEP_FINISHED_MS = 10 * 60_000;

export interface RunServiceDeps {
  /** Where runs execute: this machine's VMs, or remote runners. */
  executor: RunExecutor;
  /** Who goes next when every slot is busy: turns between learners. */
  queue: RunQueue;
  store: Store;
  /** The probe library as it is now (lessons reload): probe.h for an instructor's extra probes. */
  library: () => ProbeLibrary;
  /** Compiles an instructor's extra probes before their run is accepted, so a typo is an answer, not a run. */
  probes: ProbeBuilder;
  log: (line: string) => void;
  /** After a run ended and was recorded (the workshop dashboards follow it). */
  onFinished?: (run: Run) => void;
  /** The course's lessons in order, for the POS05-C checker (a rule is checked from the lesson that teaches it on). */
  course?: () => ReadonlyArray<{ id: string; title: string }>;
}

export interface RunOptions {
  /** Record the escape replay of every check (default: yes). */
  trace?: boolean | undefined;
}

/**
 * Starts runs and keeps them watchable. A learner has at most one run going:
 * pressing Run again supersedes (cancels) the previous one, which is what the
 * person pressing it means, and keeps one learner from filling the queue. A
 * run waits its turn in the queue, then goes to the executor as a job; its
 * events come back into its log.
 */
export class RunService {
  private readonly runs = new Map<string, Run>();
  private readonly running = new Set<Promise<void>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly deps: RunServiceDeps) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  start(learnerId: string, lesson: Lesson, source: string, checks: CheckSpec[] = lesson.checks, options: RunOptions = {}): Run {
    for (const r of this.runs.values()) if (r.learnerId === learnerId && !r.outcome && !r.detached) r.abort.abort();
    const run = new Run(`r_${randomBytes(9).toString('base64url')}`, learnerId, lesson, source);
    this.runs.set(run.id, run);
    run.log.append({ type: 'created', runId: run.id, lessonId: lesson.id, checks: checkInfos({ ...lesson, checks }), createdAt: run.createdAt.toISOString() });
    this.deps.store.recordRun({ id: run.id, learnerId, lessonId: lesson.id, sourceSha256: createHash('sha256').update(source).digest('hex'), createdAt: run.createdAt.toISOString() });
    this.deps.store.saveCode(learnerId, lesson.id, source);
    run.solutionShown = this.deps.store.runSolutionShown(run.id);
    const job = jobFor(run, lesson, checks, this.deps.library().header, { trace: options.trace ?? true, course: this.deps.course?.() ?? [] });
    this.track(this.execute(run, job, { background: false, recorded: true }).then(() => this.keepRecord(run)));
    return run;
  }

  /**
   * A run that is not the learner's own Run: an instructor's probe fired at their jail (room attacks), a shot
   * in a break-it round, lessons:check from the probe editor. It supersedes nothing, cannot be cancelled by
   * its learner, and is neither their progress nor their last run: `onFinished` gets the run to keep its
   * result where its feature keeps it. `background` work waits below every learner's own Run in the queue (a
   * room firing 30 of them never delays a student's Run by more than the one run slot it is in); otherwise it
   * takes its turn among everyone's, as its learner's.
   */
  startDetached(learnerId: string, lesson: Lesson, source: string, checks: CheckSpec[], onFinished: (run: Run) => void, how: { background: boolean }): Run {
    const run = new Run(`r_${randomBytes(9).toString('base64url')}`, learnerId, lesson, source, true);
    this.runs.set(run.id, run);
    run.log.append({ type: 'created', runId: run.id, lessonId: lesson.id, checks: checkInfos({ ...lesson, checks }), createdAt: run.createdAt.toISOString() });
    const job = jobFor(run, lesson, checks, this.deps.library().header, { trace: true, course: this.deps.course?.() ?? [] });
    this.track(
      this.execute(run, job, { background: how.background, recorded: false }).then(() => {
        try {
          onFinished(run);
        } catch (e) {
          this.deps.log(`run ${run.id}: could not keep its result: ${(e as Error).message}`);
        }
      }),
    );
    return run;
  }

  /**
   * An instructor trying new probes against a lesson: they are compiled like
   * library probes (with probe.h) and run after the lesson's own checks, or
   * alone (`only`: trying a probe in the probe editor).
   */
  async startWithExtraProbes(learnerId: string, lesson: Lesson, source: string, extras: ExtraProbe[], options: RunOptions & { only?: boolean } = {}): Promise<Run> {
    const checks: CheckSpec[] = options.only ? [] : [...lesson.checks];
    for (const extra of extras) checks.push(await this.extraProbeCheck(extra, checks.length));
    return this.start(learnerId, lesson, source, checks, options);
  }

  /** An instructor's probe as a check: compiled first (with probe.h), so a typo is an answer, not a run. */
  async extraProbeCheck(extra: ExtraProbe, index: number): Promise<CheckSpec> {
    // Named probe.c as the job will compile it (ProbeBuilder.forJob): the binary is built once.
    await this.deps.probes.binary(extra.source, 'probe.c', this.deps.library().header, `probe ${extra.name}`);
    const title = extra.title ?? extra.name;
    return {
      index,
      kind: 'escape',
      probe: { id: `extra-${extra.name}`, meta: { title, kind: 'escape', summary: `instructor probe ${extra.name}.c`, source: 'instructor', plant: [], accompliceStarts: 'before-program' }, html: '', source: extra.source, accompliceSource: null },
    };
  }

  private track(p: Promise<void>): void {
    const tracked = p.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Waits its turn, hands the job to the executor, and keeps what comes back. */
  private async execute(run: Run, job: RunJob, how: { background: boolean; recorded: boolean }): Promise<void> {
    const signal = run.abort.signal;
    const queued = performance.now();
    const verdicts: Array<{ id: string; verdict: string }> = [];
    const sink = {
      event: (e: RunEvent): void => {
        if (run.outcome) return;
        if (e.type === 'check-finished') verdicts.push({ id: job.lesson.checks[e.index]?.probe.id ?? `check-${e.index}`, verdict: e.verdict });
        if (e.type === 'finished') {
          run.outcome = e.outcome;
          run.finishedAt = Date.now();
          if (e.timings) e = { ...e, timings: { ...e.timings, queueMs: queueMs } };
          if (how.recorded) this.record(run, { outcome: e.outcome, accelerator: e.accelerator, verdicts });
        }
        run.log.append(e);
      },
      output: (checkIndex: number, data: Buffer): void => run.log.appendOutput(checkIndex, data),
    };
    let queueMs = 0;
    let release: (() => void) | null = null;
    try {
      release = await this.deps.queue.enter({ owner: run.learnerId, signal, background: how.background, onPosition: (position) => sink.event({ type: 'queued', position }) });
      queueMs = Math.round((performance.now() - queued) * 10) / 10;
      await this.deps.executor.execute(job, sink, signal, this.deps.queue);
    } catch (e) {
      if (!signal.aborted) this.deps.log(`run ${run.id}: ${(e as Error).stack ?? e}`);
    } finally {
      release?.();
    }
    // Whatever happened, the run ends with `finished`, once.
    if (!run.outcome)
      sink.event(signal.aborted ? { type: 'finished', outcome: 'cancelled', message: 'The run was cancelled.', accelerator: null, durationMs: Date.now() - run.createdAt.getTime() } : { type: 'finished', outcome: 'error', message: 'The run could not complete.', accelerator: null, durationMs: Date.now() - run.createdAt.getTime() });
  }

  /** Recorded off the run's path: a database held busy by someone else delays the record, it does not lose it. */
  private record(run: Run, summary: { outcome: string; accelerator: string | null; verdicts: Array<{ id: string; verdict: string }> }): void {
    if (summary.outcome === 'passed') {
      try {
        this.deps.store.keepPassingCode(run.learnerId, run.lesson.id, run.source);
      } catch (e) {
        this.deps.log(`run ${run.id}: could not keep its passing code: ${(e as Error).message}`);
      }
    }
    void retryWhenBusy(() => this.deps.store.finishRun(run.id, summary), {
      attempts: 6,
      firstDelayMs: 250,
      onRetry: (attempt, e) => this.deps.log(`run ${run.id}: the database is busy (${e.message}); recording the result again (attempt ${attempt + 1})`),
    }).catch((e: Error) => this.deps.log(`run ${run.id}: could not record the result: ${e.message}`));
  }

  /** The finished run, whole, as the learner's last run of the lesson: a reload or an instructor sees it later. */
  private keepRecord(run: Run): void {
    if (run.outcome === null || run.outcome === 'cancelled') return;
    try {
      this.deps.store.keepRunRecord(run.learnerId, runRecordOf(run, run.solutionShown));
    } catch (e) {
      this.deps.log(`run ${run.id}: could not keep its record: ${(e as Error).message}`);
    }
    this.deps.onFinished?.(run);
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  /** Every run still kept (running, or finished within the last minutes). */
  all(): IterableIterator<Run> {
    return this.runs.values();
  }

  cancel(id: string): void {
    this.runs.get(id)?.abort.abort();
  }

  /** Cancels every run and waits until each has finished and released its VM. */
  async shutdown(): Promise<void> {
    clearInterval(this.sweeper);
    for (const r of this.runs.values()) r.abort.abort();
    await Promise.all([...this.running]);
  }

  private sweep(): void {
    const cutoff = Date.now() - KEEP_FINISHED_MS;
    for (const [id, r] of this.runs) if (r.finishedAt !== null && r.finishedAt < cutoff) this.runs.delete(id);
  }
}
